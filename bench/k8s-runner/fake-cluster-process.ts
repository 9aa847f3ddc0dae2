// The fake cluster in a process of its own, so the host's CPU time measures the executor alone.
// Prints { url, token } as JSON on its first line; answers 'stats' messages with the requests it
// served since the last 'reset'.
import { startFakeCluster } from '../../packages/k8s-runner/src/testing/index.ts'

const cluster = await startFakeCluster({ bookmarkIntervalMs: 1000 })
process.send?.({ type: 'ready', url: cluster.url, token: cluster.token })
process.on('message', async (message: { type: string }) => {
  if (message.type === 'reset') {
    cluster.resetRequests()
    process.send?.({ type: 'reset' })
  } else if (message.type === 'stats') {
    const byVerb: Record<string, number> = {}
    for (const request of cluster.requests) {
      const key = `${request.verb} ${request.resource ?? ''}`.trim()
      byVerb[key] = (byVerb[key] ?? 0) + 1
    }
    process.send?.({
      type: 'stats',
      total: cluster.requests.length,
      byVerb,
      jobs: cluster.list('jobs').length,
      pods: cluster.list('pods').length,
    })
  } else if (message.type === 'close') {
    await cluster.close()
    process.exit(0)
  }
})

// The fake cluster in a process of its own, so the host's CPU time measures the executor alone.
// Sends { url, token, certificate } when ready; answers 'stats' messages with the requests it
// served and the connections it accepted since the last 'reset'. `--https`: serve HTTPS.
import { startFakeCluster } from '../../packages/k8s-runner/src/testing/index.ts'

const cluster = await startFakeCluster({ bookmarkIntervalMs: 1000, https: process.argv.includes('--https') })
process.send?.({ type: 'ready', url: cluster.url, token: cluster.token, certificate: cluster.certificate })
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
      connections: cluster.connections.accepted,
      handshakes: cluster.connections.handshakes,
      jobs: cluster.list('jobs').length,
      pods: cluster.list('pods').length,
    })
  } else if (message.type === 'close') {
    await cluster.close()
    process.exit(0)
  }
})

// The same fan-out against a real cluster, when KUBECONFIG points at one and QL_K8S_TEST_IMAGE
// names a worker image holding ql-worker and the bundled fan-out graph at /app/fan-out-graph.mjs
// (build it from Dockerfile.example). Skipped, with the reason printed, otherwise: the fake
// cluster is the default everywhere else.
import { KubeConfig, VersionApi } from '@kubernetes/client-node'
import { describe, expect, it } from 'vitest'
import { createKubernetesExecutor } from '../src/index'
import { fanOutGraph } from './fixtures/fan-out-graph'

const image = process.env.QL_K8S_TEST_IMAGE
const reason = await (async () => {
  if (!process.env.KUBECONFIG) return 'KUBECONFIG is not set'
  if (!image) return 'QL_K8S_TEST_IMAGE (a worker image with /app/fan-out-graph.mjs) is not set'
  try {
    const kubeConfig = new KubeConfig()
    kubeConfig.loadFromDefault()
    await Promise.race([
      kubeConfig.makeApiClient(VersionApi).getCode(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 10 s')), 10_000).unref()),
    ])
    return undefined
  } catch (error) {
    return `the cluster in KUBECONFIG is not reachable (${(error as Error).message})`
  }
})()
if (reason !== undefined) console.warn(`SKIPPED: the real-cluster end-to-end test: ${reason}.`)

describe.skipIf(reason !== undefined)('end to end on the cluster in KUBECONFIG', () => {
  it('runs a 20-way fan-out as Jobs, retrying the crashed one, and cleans up', async () => {
    await using executor = createKubernetesExecutor({
      image: image as string,
      namespace: process.env.QL_K8S_TEST_NAMESPACE,
      worker: { module: '/app/fan-out-graph.mjs' },
      ttlSecondsAfterFinished: 300,
    })
    const threadId = `ql-e2e-${Date.now()}`
    const items = [...Array.from({ length: 19 }, (_, k) => `ok-${k}`), 'flaky']
    try {
      const { state } = await fanOutGraph(executor).compile().run({ items }, { threadId })
      expect(state.results).toHaveLength(20)
      expect(executor.stats().created).toBe(21)
    } finally {
      await executor.deleteRun(threadId)
    }
  }, 600_000)
})

// Connection reuse against the fake cluster in HTTPS mode: the executor's API requests share
// keep-alive connections instead of a TCP connection and a TLS handshake each. The fake counts the
// connections and handshakes it accepts. HTTPS mode makes its certificate with the openssl command
// (Debian's openssl package); skipped, saying so, when there is none.
import { execFileSync } from 'node:child_process'
import { CoreV1Api } from '@kubernetes/client-node'
import type { ExecutorTask } from '@ql/agents'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKubernetesExecutor } from '../src/index'
import { type FakeCluster, startFakeCluster } from '../src/testing/index'
import { PROCESS_TEST_TIMEOUT, replyWith } from './helpers'

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!hasOpenssl) {
  console.warn(
    'SKIPPED: the keep-alive tests need openssl on PATH for the fake cluster certificate (apt-get install -y openssl); none found.',
  )
}

/** The TCP and TLS sockets this process holds (the fake cluster's and its clients'). */
const openSockets = () =>
  process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap' || kind === 'TLSWrap').length

let cluster: FakeCluster
beforeAll(async () => {
  if (hasOpenssl) cluster = await startFakeCluster({ https: true, bookmarkIntervalMs: 0 })
})
afterAll(() => cluster?.close())

function task(threadId: string, k: number): ExecutorTask {
  return {
    graph: 'g',
    threadId,
    step: 1,
    taskId: `1:work:${k}`,
    node: 'work',
    attempt: 1,
    state: { k },
    answers: {},
    memo: {},
  }
}

describe.skipIf(!hasOpenssl)('API connections over HTTPS', () => {
  it('the library alone opens a connection and does a TLS handshake per request', async () => {
    // what the executor works around: kubeConfig.makeApiClient gives every request a new Agent
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api)
    cluster.resetRequests()
    for (let k = 0; k < 4; k++) await core.listNamespacedPod({ namespace: 'default' })
    expect(cluster.requests.map((request) => request.status)).toEqual([200, 200, 200, 200])
    expect(cluster.connections.handshakes).toBe(4)
  })

  it(
    'N nodes reuse a few keep-alive connections, send the token on every request and leave no socket open',
    async () => {
      const before = openSockets()
      const nodes = 30
      const concurrency = 4
      cluster.resetRequests()
      const executor = createKubernetesExecutor({
        kubeConfig: cluster.kubeConfig(),
        image: 'registry.example.com/worker:1',
        command: replyWith({ kind: 'ok', update: { done: true } }),
        concurrency,
        watchIdleMs: 60_000,
      })
      const never = new AbortController().signal
      const results = await Promise.all(
        Array.from({ length: nodes }, (_, k) => executor.execute(task('keep-alive', k), never)),
      )
      expect(results).toEqual(Array.from({ length: nodes }, () => ({ kind: 'ok', update: { done: true } })))
      await executor.close()

      // every request succeeded, so each carried the bearer token (the fake answers 401 without it)
      const requests = cluster.requests.filter((request) => request.verb !== 'watch')
      expect(requests.length).toBeGreaterThanOrEqual(3 * nodes)
      expect(requests.filter((request) => request.status < 200 || request.status >= 300)).toEqual([])
      // a bound that does not grow with N: per concurrency slot, a task's requests and the previous
      // task's input-ConfigMap deletion in flight beside them; plus one connection per watch
      const { accepted, handshakes } = cluster.connections
      expect(handshakes).toBe(accepted)
      expect(accepted).toBeLessThanOrEqual(2 * concurrency + 2)
      expect(accepted).toBeLessThan(requests.length / 4)

      // close() destroyed the pooled connections: the fake sees them close, this process holds none
      await cluster.waitFor(() => cluster.connections.open === 0, {
        timeoutMs: 10_000,
        message: 'every connection closed after executor.close()',
      })
      expect(openSockets()).toBeLessThanOrEqual(before)
    },
    PROCESS_TEST_TIMEOUT,
  )
})

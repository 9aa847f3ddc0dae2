// A graph whose `work` node runs as Kubernetes Jobs through the fake cluster: every pod is a real
// ql-worker process that loads the (bundled) graph module and runs one task.
import { createMemoryCheckpointer, type GraphEvent } from '@ql/agents'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKubernetesExecutor, type KubernetesExecutor, PodFailedError } from '../src/index'
import { type FakeCluster, startFakeCluster } from '../src/testing/index'
import { fanOutGraph } from './fixtures/fan-out-graph'
import { BUNDLE_TIMEOUT, bundleWorker, PROCESS_TEST_TIMEOUT, removeBundles } from './helpers'

const SECRET = 'sk-e2e-secret-value-0123456789'
let cluster: FakeCluster
let worker: Awaited<ReturnType<typeof bundleWorker>>

beforeAll(async () => {
  worker = await bundleWorker()
  cluster = await startFakeCluster({ bookmarkIntervalMs: 200 })
  cluster.create('secrets', 'default', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'llm' },
    data: { key: Buffer.from(SECRET).toString('base64') },
  })
}, BUNDLE_TIMEOUT)
afterAll(async () => {
  await cluster?.close()
  removeBundles()
})

function executor(): KubernetesExecutor {
  return createKubernetesExecutor({
    kubeConfig: cluster.kubeConfig(),
    image: 'registry.example.com/fan-out:1',
    command: worker.command,
    worker: worker.worker,
    secretEnv: { API_KEY: { secret: 'llm', key: 'key' } },
    concurrency: 20,
  })
}

const ofThread = (threadId: string) => (object: { metadata: { annotations?: Record<string, string> } }) =>
  object.metadata.annotations?.['ql.dev/thread-id'] === threadId

describe('end to end through the fake cluster', () => {
  it(
    'runs a 20-way fan-out as Jobs, and the graph engine retries the one whose pod crashed',
    async () => {
      await using runner = executor()
      const items = [...Array.from({ length: 19 }, (_, k) => `ok-${k}`), 'flaky']
      const graph = fanOutGraph(runner).compile()
      const events: GraphEvent[] = []
      const run = graph.stream({ items }, { threadId: 'fan-out' })
      for await (const event of run) events.push(event)
      const { state } = await run.result

      expect(state.results).toHaveLength(20)
      for (const item of items) {
        const attempt = item === 'flaky' ? 2 : 1
        expect(state.results).toContainEqual(expect.stringMatching(new RegExp(`^${item}:${attempt}:\\d+$`)))
      }
      // each result came from another process: a pod, not the host
      const pids = new Set(state.results.map((result) => result.split(':')[2]))
      expect(pids.size).toBe(20)
      expect(pids.has(String(process.pid))).toBe(false)

      // the crash came back as a typed, retryable error with the pod's log tail; the engine retried it
      const retries = events.filter((event) => event.type === 'node-retry')
      expect(retries).toHaveLength(1)
      const error = (retries[0] as { error: unknown }).error
      expect(PodFailedError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ reason: 'Error', exitCode: 3, retryable: true })
      expect((error as PodFailedError).logTail).toContain('crashing on purpose in attempt 1')

      // one Job per task attempt, each run exactly once
      const jobs = cluster.list('jobs').filter(ofThread('fan-out'))
      expect(jobs).toHaveLength(21)
      for (const job of jobs) expect(cluster.processStarts.get(job.metadata.name)).toBe(1)
      expect(runner.stats()).toMatchObject({ created: 21, adopted: 0 })
      expect(runner.stats().watches.jobs.lists).toBe(1)
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'fails a node that outlives its timeout, and deletes its Job and pod',
    async () => {
      await using runner = executor()
      const graph = fanOutGraph(runner, { timeoutMs: 1500, retries: 0 }).compile()
      const error = await graph.run({ items: ['hang'] }, { threadId: 'timeout' }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'node_failed', node: 'work', cause: { code: 'timeout' } })
      await cluster.waitFor(
        () =>
          cluster.list('jobs').filter(ofThread('timeout')).length === 0 &&
          cluster.list('pods').filter(ofThread('timeout')).length === 0,
        { message: 'the timed-out Job and its pod are deleted' },
      )
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'reports a node whose promise can never settle instead of a silent exit',
    async () => {
      await using runner = executor()
      const error = await fanOutGraph(runner, { retries: 0 })
        .compile()
        .run({ items: ['stall'] }, { threadId: 'stall' })
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'node_failed', cause: { code: 'unknown' } })
      expect(((error as Error).cause as Error).message).toContain('never finished')
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'a cancelled run leaves no Jobs or pods behind, and deleteRun removes the rest',
    async () => {
      await using runner = executor()
      const graph = fanOutGraph(runner).compile()
      const controller = new AbortController()
      const running = graph
        .run(
          { items: ['hang', 'hang', 'hang', 'hang', 'hang'] },
          { threadId: 'cancel', signal: controller.signal },
        )
        .catch((e: unknown) => e)
      await cluster.waitFor(
        () =>
          cluster
            .list('pods')
            .filter(ofThread('cancel'))
            .filter((pod) => (pod.status as { phase?: string }).phase === 'Running').length === 5,
        { message: 'five running pods' },
      )
      controller.abort()
      expect(await running).toMatchObject({ code: 'aborted' })
      await runner.close()
      await cluster.waitFor(
        () =>
          cluster.list('jobs').filter(ofThread('cancel')).length === 0 &&
          cluster.list('pods').filter(ofThread('cancel')).length === 0,
        { message: 'no Jobs or pods of the cancelled run' },
      )
      await runner.deleteRun('cancel')
      await cluster.waitFor(() => cluster.list('configmaps').filter(ofThread('cancel')).length === 0)
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'passes secrets by reference only: never in a spec, an error, an event or a log',
    async () => {
      await using runner = executor()
      const graph = fanOutGraph(runner, { retries: 0 }).compile({ checkpointer: createMemoryCheckpointer() })
      const { state } = await graph.run({ items: ['secret'] }, { threadId: 'secret-ok' })
      expect(state.results).toEqual([`secret:${SECRET.length}`]) // the pod had the value

      const events: GraphEvent[] = []
      const run = graph.stream({ items: ['leak'] }, { threadId: 'secret-leak' })
      const error = await (async () => {
        for await (const event of run) events.push(event)
      })().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'node_failed' })
      const seen = [
        JSON.stringify(error),
        String((error as Error).message),
        String(((error as Error).cause as Error).message),
        JSON.stringify(events, (_key, value) =>
          value instanceof Error ? { ...value, message: value.message } : value,
        ),
        JSON.stringify(cluster.list('jobs')),
        JSON.stringify(cluster.list('pods')),
        JSON.stringify(cluster.list('configmaps')),
        JSON.stringify(cluster.list('events')),
        ...cluster.list('pods').map((pod) => cluster.podLog('default', pod.metadata.name) ?? ''),
      ]
      expect(((error as Error).cause as Error).message).toContain('the provider rejected key [REDACTED]')
      for (const text of seen) expect(text).not.toContain(SECRET)
      const logs = cluster
        .list('pods')
        .filter(ofThread('secret-ok'))
        .map((pod) => cluster.podLog('default', pod.metadata.name) ?? '')
      expect(logs.join('')).toContain('using key [REDACTED]')
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'refuses a result over maxResultBytes with a typed error, and reads one over 4 KiB from the log',
    async () => {
      await using runner = executor()
      const graph = fanOutGraph(runner, { retries: 0 }).compile()
      const { state } = await graph.run({ items: ['big-20000'] }, { threadId: 'big-ok' })
      expect(state.results[0]).toHaveLength(20_000)
      expect(runner.stats().logReads).toBe(1)

      await using small = createKubernetesExecutor({
        kubeConfig: cluster.kubeConfig(),
        image: 'registry.example.com/fan-out:1',
        command: worker.command,
        worker: worker.worker,
        maxResultBytes: 10_000,
      })
      const error = await fanOutGraph(small, { retries: 0 })
        .compile()
        .run({ items: ['big-20000'] }, { threadId: 'big-refused' })
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'node_failed', cause: { code: 'payload_too_large' } })
      expect(((error as Error).cause as Error).message).toMatch(/over the limit of 10000.*result store/)
    },
    PROCESS_TEST_TIMEOUT,
  )
})

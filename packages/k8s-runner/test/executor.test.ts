import type { ExecutorTask } from '@ql/agents'
import { createMemoryBlobStore } from '@ql/agents'
import { InvalidRequestError, isQlError, TimeoutError } from '@ql/provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createKubernetesExecutor,
  KubernetesApiError,
  type KubernetesExecutor,
  type KubernetesExecutorOptions,
  PayloadTooLargeError,
  PodFailedError,
} from '../src/index'
import { type FakeCluster, type FakeObject, startFakeCluster } from '../src/testing/index'
import { PROCESS_TEST_TIMEOUT, replyWith } from './helpers'

let cluster: FakeCluster
beforeAll(async () => {
  cluster = await startFakeCluster({
    imagePullFails: (image) => image.startsWith('missing/'),
    bookmarkIntervalMs: 0,
  })
})
afterAll(() => cluster.close())

let counter = 0
function task(overrides: Partial<ExecutorTask> = {}): ExecutorTask {
  counter++
  return {
    graph: 'g',
    threadId: `thread-${counter}`,
    step: 1,
    taskId: `1:work:${counter}`,
    node: 'work',
    attempt: 1,
    state: { n: counter },
    answers: {},
    memo: {},
    ...overrides,
  }
}

function executor(options: Partial<KubernetesExecutorOptions> = {}): KubernetesExecutor {
  return createKubernetesExecutor({
    kubeConfig: cluster.kubeConfig(),
    image: 'registry.example.com/worker:1',
    command: replyWith({ kind: 'ok', update: { n: 42 } }),
    watchIdleMs: 60_000,
    ...options,
  })
}

const never = new AbortController().signal
const jobsOf = (threadId: string) =>
  cluster.list('jobs').filter((job) => job.metadata.annotations?.['ql.dev/thread-id'] === threadId)
const podsOf = (threadId: string) =>
  cluster.list('pods').filter((pod) => pod.metadata.annotations?.['ql.dev/thread-id'] === threadId)
const activeDeadline = (threadId: string) =>
  (jobsOf(threadId)[0]?.spec as { activeDeadlineSeconds?: number } | undefined)?.activeDeadlineSeconds
const runningPod = async (threadId: string) => {
  await cluster.waitFor(
    () => podsOf(threadId).some((pod) => (pod.status as { phase?: string })?.phase === 'Running'),
    {
      message: `a running pod of ${threadId}`,
    },
  )
  return podsOf(threadId)[0] as FakeObject
}

describe('createKubernetesExecutor', () => {
  it(
    'runs a task as a Job and reads its result from the termination message',
    async () => {
      await using runner = executor({
        env: { LOG_LEVEL: 'debug' },
        secretEnv: { API_KEY: { secret: 'llm', key: 'openai' } },
        resources: { limits: { memory: '256Mi' } },
        nodeSelector: { pool: 'agents' },
        tolerations: [{ key: 'agents', operator: 'Exists', effect: 'NoSchedule' }],
        serviceAccountName: 'ql-worker',
      })
      cluster.create('secrets', 'default', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'llm' },
        data: { openai: Buffer.from('sk-never-in-a-spec-123').toString('base64') },
      })
      const t = task()
      const result = await runner.execute(t, never)
      expect(result).toEqual({ kind: 'ok', update: { n: 42 } })

      const [job] = jobsOf(t.threadId)
      const spec = job?.spec as any
      expect(job?.metadata.name).toMatch(/^ql-work-[0-9a-f]{12}-1$/)
      expect(spec.backoffLimit).toBe(0)
      expect(spec.ttlSecondsAfterFinished).toBe(3600)
      expect(job?.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'ql-k8s-runner',
        'ql.dev/node': 'work',
        'ql.dev/thread': t.threadId,
        'ql.dev/run': expect.stringMatching(/^[0-9a-f]{16}$/),
      })
      expect(job?.metadata.annotations).toMatchObject({ 'ql.dev/task-id': t.taskId, 'ql.dev/graph': 'g' })
      const anchor = cluster.get('configmaps', 'default', `ql-run-${job?.metadata.labels?.['ql.dev/run']}`)
      expect(job?.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: anchor?.metadata.name,
          uid: anchor?.metadata.uid,
          blockOwnerDeletion: false,
        },
      ])
      const pod = spec.template.spec
      expect(pod).toMatchObject({
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        serviceAccountName: 'ql-worker',
        nodeSelector: { pool: 'agents' },
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      })
      const container = pod.containers[0]
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      })
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' })
      expect(container.env).toContainEqual({
        name: 'API_KEY',
        valueFrom: { secretKeyRef: { name: 'llm', key: 'openai' } },
      })
      expect(container.env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' })
      expect(container.env).toContainEqual({ name: 'QL_SECRET_ENV', value: 'API_KEY' })
      expect(JSON.stringify(cluster.list('jobs'))).not.toContain('sk-never-in-a-spec-123')
      expect(JSON.stringify(cluster.list('pods'))).not.toContain('sk-never-in-a-spec-123')
      // the input ConfigMap is gone once the result is in
      await cluster.waitFor(
        () => cluster.get('configmaps', 'default', `${job?.metadata.name}-in`) === undefined,
      )
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'adopts a Job that already exists (409) instead of starting the task again',
    async () => {
      const t = task()
      await using first = executor()
      await first.execute(t, never)
      await using second = executor()
      expect(await second.execute(t, never)).toEqual({ kind: 'ok', update: { n: 42 } })
      expect(second.stats()).toMatchObject({ created: 0, adopted: 1 })
      const [job] = jobsOf(t.threadId)
      expect(cluster.processStarts.get(job?.metadata.name as string)).toBe(1)
      // another attempt of the same task is another Job
      await second.execute({ ...t, attempt: 2 }, never)
      expect(
        jobsOf(t.threadId)
          .map((j) => j.metadata.name.slice(-2))
          .sort(),
      ).toEqual(['-1', '-2'])
    },
    PROCESS_TEST_TIMEOUT,
  )

  it('refuses an input over the 1 MiB ConfigMap limit before creating anything', async () => {
    await using runner = executor()
    const t = task({ state: { blob: 'x'.repeat(1024 * 1024) } })
    const error = await runner.execute(t, never).catch((e: unknown) => e)
    expect(PayloadTooLargeError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ what: 'input', limitBytes: 1024 * 1024, retryable: false })
    expect((error as Error).message).toMatch(/node "work" is \d+ bytes of JSON.*1 MiB/)
    expect(jobsOf(t.threadId)).toEqual([])
  })

  it(
    'reads a result too large for the termination message from the marked log line',
    async () => {
      const big = { kind: 'ok', update: { text: 'y'.repeat(10_000) } }
      const line = `@@ql-result v1 ${JSON.stringify(big)}`
      await using runner = executor({
        command: [
          'sh',
          '-c',
          `echo some output; echo '${line}'; printf '{"ql":"v1","log":10030}' > "$QL_TERMINATION_FILE"`,
        ],
      })
      expect(await runner.execute(task(), never)).toEqual(big)
      expect(runner.stats().logReads).toBe(1)
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'reads a result from the result store, and refuses one without a store',
    async () => {
      const store = createMemoryBlobStore()
      const json = JSON.stringify({ kind: 'ok', update: { n: 7 } })
      await store.put('abc', json)
      const command = [
        'sh',
        '-c',
        `printf '{"ql":"v1","store":"abc","bytes":${json.length}}' > "$QL_TERMINATION_FILE"`,
      ]
      await using withStore = executor({ command, resultStore: store })
      expect(await withStore.execute(task(), never)).toEqual({ kind: 'ok', update: { n: 7 } })
      await using without = executor({ command })
      await expect(without.execute(task(), never)).rejects.toMatchObject({
        code: 'payload_too_large',
        what: 'result',
      })
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'turns a crash into a retryable PodFailedError with the exit code and the log tail',
    async () => {
      await using runner = executor({
        command: ['sh', '-c', 'echo starting; echo "boom: no config" >&2; exit 3'],
      })
      const error = await runner.execute(task(), never).catch((e: unknown) => e)
      expect(PodFailedError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({
        reason: 'Error',
        exitCode: 3,
        retryable: true,
        node: 'work',
        namespace: 'default',
      })
      expect((error as PodFailedError).logTail).toContain('boom: no config')
      expect((error as Error).message).toMatch(
        /Node "work" failed in Kubernetes Job default\/ql-work-.*: Error \(exit code 3\)/,
      )
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'reports OOMKilled and Evicted pods with their reasons',
    async () => {
      await using runner = executor({ command: ['sh', '-c', 'echo eating memory; exec sleep 60'] })
      const oom = task()
      const failing = runner.execute(oom, never).catch((e: unknown) => e)
      cluster.oomKill('default', (await runningPod(oom.threadId)).metadata.name)
      expect(await failing).toMatchObject({
        code: 'pod_failed',
        reason: 'OOMKilled',
        exitCode: 137,
        retryable: false,
      })

      const evicted = task()
      const evicting = runner.execute(evicted, never).catch((e: unknown) => e)
      cluster.evict('default', (await runningPod(evicted.threadId)).metadata.name)
      const error = (await evicting) as PodFailedError
      expect(error).toMatchObject({ code: 'pod_failed', reason: 'Evicted', retryable: true })
      expect(error.message).toContain('The node was low on resource: memory.')
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'fails fast on a pod that can never start, and deletes its Job',
    async () => {
      await using pull = executor({ image: 'missing/image:1' })
      const t = task()
      await expect(pull.execute(t, never)).rejects.toMatchObject({
        reason: 'ImagePullBackOff',
        retryable: false,
      })
      await cluster.waitFor(() => jobsOf(t.threadId).length === 0 && podsOf(t.threadId).length === 0)

      await using config = executor({ secretEnv: { TOKEN: { secret: 'absent', key: 'token' } } })
      const error = await config.execute(task(), never).catch((e: unknown) => e)
      expect(error).toMatchObject({ reason: 'CreateContainerConfigError', retryable: false })
      expect((error as Error).message).toContain('secret "absent" not found')
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'reports DeadlineExceeded when the Job outlives activeDeadlineSeconds',
    async () => {
      await using runner = executor({ command: ['sh', '-c', 'exec sleep 60'], activeDeadlineSeconds: 1 })
      const t = task()
      const error = await runner.execute(t, never).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'pod_failed', reason: 'DeadlineExceeded', retryable: false })
      expect((error as Error).message).toContain('Job was active longer than specified deadline')
      expect(activeDeadline(t.threadId)).toBe(1)
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'derives activeDeadlineSeconds from a task timeout, or from a function',
    async () => {
      const seen: number[] = []
      await using runner = executor({
        activeDeadlineSeconds: (t) => {
          seen.push(t.step)
          return 5
        },
      })
      const t = task({ step: 9 })
      await runner.execute(t, never)
      expect(seen).toEqual([9])
      expect(activeDeadline(t.threadId)).toBe(5)
      await using fromTask = executor()
      const timed = { ...task(), timeoutMs: 2500 } as ExecutorTask
      await fromTask.execute(timed, never)
      expect(activeDeadline(timed.threadId)).toBe(33)
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'deletes the Job with its pods (propagationPolicy Background) when the task is cancelled',
    async () => {
      await using runner = executor({ command: ['sh', '-c', 'exec sleep 60'] })
      const t = task()
      const controller = new AbortController()
      const running = runner.execute(t, controller.signal).catch((e: unknown) => e)
      await runningPod(t.threadId)
      cluster.resetRequests()
      const reason = new TimeoutError({ message: 'Node "work" took longer than its timeout of 10 ms.' })
      controller.abort(reason)
      expect(await running).toBe(reason)
      await runner.close()
      const deletion = cluster.requests.find((r) => r.verb === 'delete' && r.resource === 'jobs')
      expect(deletion?.path).toContain('propagationPolicy=Background')
      await cluster.waitFor(() => jobsOf(t.threadId).length === 0 && podsOf(t.threadId).length === 0, {
        message: 'the cancelled Job and its pod are gone',
      })
      expect(await runner.execute(t, never).catch((e: unknown) => e)).toBeInstanceOf(InvalidRequestError)
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'rejects at once for an aborted signal, and waits for a slot under its concurrency limit',
    async () => {
      await using runner = executor({ concurrency: 1, command: ['sh', '-c', 'exec sleep 60'] })
      const aborted = AbortSignal.abort()
      await expect(runner.execute(task(), aborted)).rejects.toMatchObject({ code: 'aborted' })
      const first = new AbortController()
      const second = new AbortController()
      const a = task()
      const b = task()
      const runA = runner.execute(a, first.signal).catch((e: unknown) => e)
      const runB = runner.execute(b, second.signal).catch((e: unknown) => e)
      await runningPod(a.threadId)
      expect(jobsOf(b.threadId)).toEqual([]) // waiting for the slot, nothing created
      second.abort()
      expect(await runB).toMatchObject({ code: 'aborted' })
      first.abort()
      await runA
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'keeps one watch per resource, resumes it from its resource version, and lists again only on 410 Gone',
    async () => {
      await using runner = executor()
      await runner.execute(task(), never)
      await runner.execute(task(), never)
      expect(runner.stats().watches.jobs).toMatchObject({ lists: 1, watches: 1, expired: 0 })
      expect(runner.stats().watches.pods).toMatchObject({ lists: 1, watches: 1, expired: 0 })
      cluster.sendBookmarks()
      // the API server drops the watches: they resume from where they were, without a list
      cluster.dropWatches()
      await runner.execute(task(), never)
      expect(runner.stats().watches.jobs).toMatchObject({ lists: 1, resumes: 1 })
      // the history they would resume from is gone: 410, then one list each
      cluster.expireWatchHistory()
      cluster.dropWatches()
      await runner.execute(task(), never)
      const { jobs, pods } = runner.stats().watches
      expect(jobs).toMatchObject({ lists: 2, expired: 1 })
      expect(pods).toMatchObject({ lists: 2, expired: 1 })
      expect(jobs.bookmarks + pods.bookmarks).toBeGreaterThanOrEqual(1)
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'costs three API requests per task after the first, none of them polling',
    async () => {
      await using runner = executor()
      const threadId = `requests-${Date.now()}`
      await runner.execute(task({ threadId }), never)
      const inputs = () =>
        cluster
          .list('configmaps')
          .filter((cm) => cm.metadata.labels?.['app.kubernetes.io/component'] === 'input')
      await cluster.waitFor(() => inputs().length === 0, { message: 'the first input ConfigMap is deleted' })
      cluster.resetRequests()
      for (let index = 0; index < 5; index++) await runner.execute(task({ threadId }), never)
      await runner.close()
      const byVerb: Record<string, number> = {}
      for (const r of cluster.requests)
        byVerb[`${r.verb} ${r.resource}`] = (byVerb[`${r.verb} ${r.resource}`] ?? 0) + 1
      expect(byVerb).toEqual({
        'create configmaps': 5,
        'create jobs': 5,
        'delete configmaps': 5,
      })
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'deleteRun removes the anchor and, through owner references, every Job, pod and ConfigMap of the run',
    async () => {
      await using runner = executor({ command: ['sh', '-c', 'exec sleep 60'] })
      const threadId = 'delete-me'
      const controller = new AbortController()
      const running = runner.execute(task({ threadId }), controller.signal).catch((e: unknown) => e)
      await runningPod(threadId)
      await runner.deleteRun(threadId)
      await runner.deleteRun(threadId) // twice is fine
      await cluster.waitFor(
        () =>
          jobsOf(threadId).length === 0 &&
          podsOf(threadId).length === 0 &&
          cluster
            .list('configmaps')
            .every((cm) => cm.metadata.annotations?.['ql.dev/thread-id'] !== threadId),
        { message: 'everything of the run is gone' },
      )
      // the waiting task learns its Job was deleted
      expect(await running).toMatchObject({ code: 'pod_failed', reason: 'JobDeleted', retryable: true })
      expect(runner.selectorFor(threadId)).toMatch(/^ql\.dev\/run=[0-9a-f]{16}$/)
    },
    PROCESS_TEST_TIMEOUT,
  )

  it('reports API failures as KubernetesApiError without credentials', async () => {
    const kubeConfig = cluster.kubeConfig()
    kubeConfig.users = [{ name: 'fake', token: 'wrong-token-value' }]
    await using runner = executor({ kubeConfig })
    const error = await runner.execute(task(), never).catch((e: unknown) => e)
    expect(KubernetesApiError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ status: 401, reason: 'Unauthorized', retryable: false })
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('wrong-token-value')
  })

  it('validates its options', () => {
    expect(() => createKubernetesExecutor({ image: '' })).toThrow(/image must name the worker image/)
    expect(() =>
      createKubernetesExecutor({ image: 'x', concurrency: 0, kubeConfig: cluster.kubeConfig() }),
    ).toThrow(/concurrency must be a positive integer/)
    const error = (() => {
      try {
        createKubernetesExecutor({
          image: 'x',
          kubeConfig: cluster.kubeConfig(),
          secretEnv: { KEY: 'sk-literal-secret-value' as never },
        })
      } catch (e) {
        return e
      }
    })()
    expect(isQlError(error, 'invalid_request')).toBe(true)
    expect((error as Error).message).toContain('literal secret values are not accepted')
    expect((error as Error).message).not.toContain('sk-literal-secret-value')
  })
})

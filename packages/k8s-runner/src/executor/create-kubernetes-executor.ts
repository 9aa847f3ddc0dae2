import {
  KubeConfig,
  type V1ConfigMap,
  type V1Job,
  type V1OwnerReference,
  type V1Pod,
} from '@kubernetes/client-node'
import type { Executor, ExecutorTask, TaskResult } from '@ql/agents'
import { AbortedError, InvalidRequestError, isQlError } from '@ql/provider'
import { KubernetesApiError, PayloadTooLargeError, PodFailedError } from '../errors/kubernetes-errors'
import { findResultLine } from '../worker/result-message'
import { type ConcurrencyLimit, createConcurrencyLimit } from './concurrency-limit'
import type { KubernetesExecutorOptions } from './executor-options'
import {
  anchorManifest,
  CONTAINER,
  inputManifest,
  jobManifest,
  LABELS,
  MANAGED_BY,
  ownerReference,
  runSelector,
  type TaskNames,
  taskNames,
} from './job-manifests'
import { createKeepAliveApiClients } from './keep-alive-api-clients'
import { onAbort } from './on-abort'
import { type TaskOutcome, taskOutcome } from './task-outcome'
import { WatchedCollection, type WatchStats } from './watched-collection'

/** A ConfigMap holds at most 1 MiB of data. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024
const TASK_KEY = 'task.json'

/** What a {@link KubernetesExecutor} has done, for tests and benchmarks. */
export interface KubernetesExecutorStats {
  /** Jobs created. */
  created: number
  /** Jobs that already existed (a resumed run) and were adopted instead of started again. */
  adopted: number
  /** Jobs deleted because the task was cancelled or its pod could never start. */
  deleted: number
  /** Results read from a pod's log (too large for its termination message). */
  logReads: number
  /** The job and pod watches. */
  watches: { jobs: WatchStats; pods: WatchStats }
}

/** An `Executor` that runs each task as a Kubernetes Job. */
export interface KubernetesExecutor extends Executor {
  /** The namespace the Jobs run in. */
  readonly namespace: string
  /** The label selector for a thread's Jobs and pods (`kubectl get jobs,pods -l <selector>`). */
  selectorFor(threadId: string): string
  /**
   * Deletes a run's anchor, and with it (by owner reference, `propagationPolicy: Background`) every
   * Job, pod and ConfigMap the run left behind.
   */
  deleteRun(threadId: string): Promise<void>
  stats(): KubernetesExecutorStats
  /** Stops the watches and waits for cleanups in flight. Running Jobs are left to finish. */
  close(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/**
 * An `Executor` for `@ql/agents` that runs each task of a node as a Kubernetes Job on your
 * cluster, with `@kubernetes/client-node`:
 *
 * - one Job per task attempt, named from the graph, thread, task id and attempt, so a resumed run
 *   adopts a Job that already exists (409 AlreadyExists) instead of starting it again;
 *   `backoffLimit: 0` (the graph engine owns retries), `activeDeadlineSeconds`,
 *   `ttlSecondsAfterFinished`, run/thread/node labels, and an owner reference to a per-run anchor
 *   ConfigMap, so `deleteRun(threadId)` removes everything;
 * - the task travels in a ConfigMap (refused with `PayloadTooLargeError` above 1 MiB); the result
 *   comes back in the container's termination message, or a marked log line when larger;
 * - status from one watch of Jobs and one of pods for the whole executor, resumed from the last
 *   resource version (bookmarks on), listed again only on 410 Gone: no polling per Job;
 * - a pod that fails becomes a `PodFailedError` with Kubernetes' reason (ImagePullBackOff,
 *   OOMKilled, DeadlineExceeded, Evicted, ...) and the log tail;
 * - cancellation (the task's signal) deletes the Job with `propagationPolicy: Background`;
 * - secrets only as `secretKeyRef`, the restricted Pod Security profile, no service-account
 *   token unless asked;
 * - API requests share keep-alive connections (one pool per TLS identity, closed by `close()`),
 *   where the client library alone opens a connection and does a TLS handshake per request.
 *
 * ```ts
 * const executor = createKubernetesExecutor({ image: 'registry.example.com/my-graph:1', namespace: 'agents',
 *   worker: { module: '/app/graph.js', export: 'graph' }, secretEnv: { OPENAI_API_KEY: { secret: 'llm', key: 'openai' } } })
 * createGraph({ ... }).addNode('review', review, { executor, timeoutMs: 600_000, retry: { retries: 2 } })
 * ```
 */
export function createKubernetesExecutor(options: KubernetesExecutorOptions): KubernetesExecutor {
  checkOptions(options)
  const kubeConfig = options.kubeConfig ?? defaultKubeConfig()
  const namespace = options.namespace ?? contextNamespace(kubeConfig) ?? 'default'
  // one keep-alive connection pool per executor (the library opens a connection per request)
  const clients = createKeepAliveApiClients(kubeConfig)
  const { batch, core } = clients
  const selector = `${LABELS.managedBy}=${MANAGED_BY},${LABELS.component}=worker`
  const counts = { created: 0, adopted: 0, deleted: 0, logReads: 0 }
  const waiters = new Map<string, Set<() => void>>()
  const podsByJob = new Map<string, Set<string>>()
  const anchors = new Map<string, Promise<V1OwnerReference>>()
  const cleanups = new Set<Promise<unknown>>()
  const limit: ConcurrencyLimit = createConcurrencyLimit(options.concurrency ?? 16)
  const idleMs = options.watchIdleMs ?? 2000
  let users = 0
  let idleTimer: NodeJS.Timeout | undefined
  let closed = false

  const notify = (job: string | undefined) => {
    if (job === undefined) return
    for (const check of [...(waiters.get(job) ?? [])]) check()
  }
  const jobs = new WatchedCollection<V1Job>({
    kubeConfig,
    path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
    labelSelector: selector,
    list: async () => {
      const list = await api('list Jobs', () =>
        batch.listNamespacedJob({ namespace, labelSelector: selector }),
      )
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' }
    },
    onChange: (name) => notify(name),
  })
  const pods = new WatchedCollection<V1Pod>({
    kubeConfig,
    path: `/api/v1/namespaces/${namespace}/pods`,
    labelSelector: selector,
    list: async () => {
      const list = await api('list pods', () =>
        core.listNamespacedPod({ namespace, labelSelector: selector }),
      )
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' }
    },
    onChange: (name, pod) => {
      const job =
        pod?.metadata?.labels?.['job-name'] ?? pod?.metadata?.labels?.['batch.kubernetes.io/job-name']
      if (pod !== undefined && job !== undefined) {
        indexPod(job, name)
        notify(job)
        return
      }
      for (const [owner, set] of podsByJob) {
        if (set.delete(name)) {
          if (set.size === 0) podsByJob.delete(owner)
          notify(owner)
        }
      }
    },
  })

  function indexPod(job: string, pod: string): void {
    const set = podsByJob.get(job) ?? new Set<string>()
    podsByJob.set(job, set)
    set.add(pod)
  }

  function track(work: Promise<unknown>): void {
    const settled = work.catch(() => {})
    cleanups.add(settled)
    settled.then(() => cleanups.delete(settled))
  }

  async function api<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw toApiError(what, namespace, error)
    }
  }

  async function deleteQuietly(what: 'job' | 'input', name: string): Promise<void> {
    try {
      if (what === 'job') {
        await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' })
        counts.deleted++
      } else {
        await core.deleteNamespacedConfigMap({ name, namespace })
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw toApiError(`delete ${what} ${name}`, namespace, error)
    }
  }

  function anchorFor(threadId: string, names: TaskNames): Promise<V1OwnerReference> {
    let anchor = anchors.get(threadId)
    if (anchor === undefined) {
      anchor = (async () => {
        let object: V1ConfigMap
        try {
          object = await core.createNamespacedConfigMap({
            namespace,
            body: anchorManifest(threadId, names, options.labels),
          })
        } catch (error) {
          if (statusOf(error) !== 409)
            throw toApiError(`create the run anchor ${names.anchor}`, namespace, error)
          object = await api(`read the run anchor ${names.anchor}`, () =>
            core.readNamespacedConfigMap({ name: names.anchor, namespace }),
          )
        }
        return ownerReference({ name: names.anchor, uid: object.metadata?.uid ?? '' })
      })()
      anchors.set(threadId, anchor)
      anchor.catch(() => anchors.delete(threadId))
    }
    return anchor
  }

  async function startWatches(): Promise<void> {
    clearTimeout(idleTimer)
    idleTimer = undefined
    await Promise.all([jobs.start(), pods.start()])
  }

  function idle(): void {
    if (users > 0 || closed) return
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => {
      if (users === 0) track(Promise.all([jobs.stop(), pods.stop()]))
    }, idleMs)
    idleTimer.unref()
  }

  function waitForOutcome(job: string, signal: AbortSignal): Promise<TaskOutcome> {
    return new Promise((resolve, reject) => {
      let seen = false
      let listed = false
      let listing = false
      const waiting = waiters.get(job) ?? new Set<() => void>()
      waiters.set(job, waiting)
      const finish = () => {
        waiting.delete(check)
        if (waiting.size === 0) waiters.delete(job)
        stopListening()
      }
      function check() {
        const object = jobs.objects.get(job)
        if (object !== undefined) seen = true
        const podList = [...(podsByJob.get(job) ?? [])]
          .map((name) => pods.objects.get(name))
          .filter((pod): pod is V1Pod => pod !== undefined)
        const outcome = taskOutcome(object, podList, seen, listed)
        if (outcome.kind === 'list-pods') {
          if (!listing) {
            listing = true
            listPods(job).then(
              () => {
                listed = true
                check()
              },
              (error: unknown) => {
                finish()
                reject(error)
              },
            )
          }
          return
        }
        if (outcome.kind !== 'pending') {
          finish()
          resolve(outcome)
        }
      }
      const stopListening = onAbort(signal, () => {
        finish()
        reject(abortReason(signal))
      })
      waiting.add(check)
      check()
    })
  }

  /** Lists a Job's pods once (its verdict came before any pod event) and adds them to the cache. */
  async function listPods(job: string): Promise<void> {
    const list = await api(`list the pods of ${job}`, () =>
      core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` }),
    )
    for (const pod of list.items) {
      const name = pod.metadata?.name
      if (name === undefined || pods.objects.has(name)) continue
      pods.objects.set(name, pod)
      indexPod(job, name)
    }
  }

  async function logTail(pod: string | undefined): Promise<string | undefined> {
    if (pod === undefined) return undefined
    try {
      const text = await core.readNamespacedPodLog({
        name: pod,
        namespace,
        container: CONTAINER,
        tailLines: 20,
        limitBytes: 2048,
      })
      return typeof text === 'string' && text !== '' ? text : undefined
    } catch {
      return undefined
    }
  }

  async function resultOf(task: ExecutorTask, names: TaskNames, outcome: TaskOutcome): Promise<TaskResult> {
    if (outcome.kind === 'message') {
      const message = outcome.message
      if ('result' in message) return message.result
      if ('log' in message) {
        counts.logReads++
        const log = await api(`read the log of ${outcome.pod}`, () =>
          core.readNamespacedPodLog({ name: outcome.pod, namespace, container: CONTAINER }),
        )
        const result = findResultLine(String(log))
        if (result !== undefined) return result
        throw new PodFailedError({
          message: `Node "${task.node}" (Job ${names.job}) said its result is in its log, but the log has no result line.`,
          reason: 'ResultMissing',
          job: names.job,
          namespace,
          node: task.node,
          pod: outcome.pod,
        })
      }
      const store = options.resultStore
      if (store === undefined) {
        throw new PayloadTooLargeError({
          message: `Node "${task.node}" (Job ${names.job}) put its ${message.bytes}-byte result in a result store, but this executor has none: pass createKubernetesExecutor({ resultStore }).`,
          what: 'result',
          bytes: message.bytes,
          limitBytes: options.maxResultBytes ?? CONFIGMAP_LIMIT_BYTES,
        })
      }
      const json = await store.get(message.store)
      if (json === undefined) {
        throw new PodFailedError({
          message: `Node "${task.node}" (Job ${names.job}) put its result in the result store under ${message.store}, but it is not there.`,
          reason: 'ResultMissing',
          job: names.job,
          namespace,
          node: task.node,
          pod: outcome.pod,
        })
      }
      return JSON.parse(json) as TaskResult
    }
    if (outcome.kind === 'failed') {
      if (outcome.stuck) track(deleteQuietly('job', names.job))
      const tail = outcome.logTail ?? (outcome.stuck ? undefined : await logTail(outcome.pod))
      const exit = outcome.exitCode === undefined ? '' : ` (exit code ${outcome.exitCode})`
      const detail =
        outcome.message === '' || outcome.message === tail ? '' : `: ${outcome.message.slice(0, 500)}`
      throw new PodFailedError({
        message: `Node "${task.node}" failed in Kubernetes Job ${namespace}/${names.job}: ${outcome.reason}${exit}${detail}.`,
        reason: outcome.reason,
        job: names.job,
        namespace,
        node: task.node,
        ...(outcome.pod === undefined ? {} : { pod: outcome.pod }),
        ...(outcome.exitCode === undefined ? {} : { exitCode: outcome.exitCode }),
        ...(tail === undefined ? {} : { logTail: tail.slice(-2048) }),
      })
    }
    throw new Error('unreachable: a pending outcome')
  }

  function deadlineFor(task: ExecutorTask): number | undefined {
    const option = options.activeDeadlineSeconds
    if (typeof option === 'number') return option
    if (typeof option === 'function') return option(task)
    const timeoutMs = (task as ExecutorTask & { timeoutMs?: number }).timeoutMs
    return typeof timeoutMs === 'number' && timeoutMs > 0 ? Math.ceil(timeoutMs / 1000) + 30 : undefined
  }

  async function execute(task: ExecutorTask, signal: AbortSignal): Promise<TaskResult> {
    if (closed) throw new InvalidRequestError({ message: 'This Kubernetes executor was closed.' })
    if (signal.aborted) throw abortReason(signal)
    const names = taskNames(task)
    const json = JSON.stringify(task)
    const bytes = Buffer.byteLength(json) + TASK_KEY.length
    if (bytes > CONFIGMAP_LIMIT_BYTES) {
      throw new PayloadTooLargeError({
        message:
          `The task for node "${task.node}" is ${bytes} bytes of JSON (state, input, answers and memo), over the ` +
          `${CONFIGMAP_LIMIT_BYTES}-byte (1 MiB) limit of the ConfigMap that carries it to the pod. Keep large ` +
          `values out of the state (store them elsewhere and pass a reference, or use compile({ blobs })).`,
        what: 'input',
        bytes,
        limitBytes: CONFIGMAP_LIMIT_BYTES,
      })
    }
    const release = await limit.acquire(signal).catch(() => {
      throw abortReason(signal)
    })
    users++
    let outcome: TaskOutcome | undefined
    try {
      await startWatches()
      const owner = await anchorFor(task.threadId, names)
      if (signal.aborted) throw abortReason(signal)
      try {
        await core.createNamespacedConfigMap({
          namespace,
          body: inputManifest(task, names, json, owner, options),
        })
      } catch (error) {
        if (statusOf(error) !== 409)
          throw toApiError(`create the input ConfigMap ${names.input}`, namespace, error)
      }
      try {
        await batch.createNamespacedJob({
          namespace,
          body: jobManifest(task, names, owner, options, deadlineFor(task)),
        })
        counts.created++
      } catch (error) {
        if (statusOf(error) !== 409) throw toApiError(`create the Job ${names.job}`, namespace, error)
        counts.adopted++
      }
      if (signal.aborted) throw abortReason(signal)
      outcome = await waitForOutcome(names.job, signal)
      return await resultOf(task, names, outcome)
    } catch (error) {
      if (signal.aborted && outcome === undefined) {
        // cancelled (the run, or the node's timeout): the Job goes, and its pods with it
        track(deleteQuietly('job', names.job))
        track(deleteQuietly('input', names.input))
        throw abortReason(signal)
      }
      throw error
    } finally {
      if (outcome !== undefined) track(deleteQuietly('input', names.input))
      release()
      users--
      idle()
    }
  }

  return {
    namespace,
    execute,
    selectorFor: runSelector,
    async deleteRun(threadId) {
      const names = taskNames({ graph: '', threadId, taskId: '', node: 'run', attempt: 0 } as ExecutorTask)
      anchors.delete(threadId)
      try {
        await core.deleteNamespacedConfigMap({
          name: names.anchor,
          namespace,
          propagationPolicy: 'Background',
        })
      } catch (error) {
        if (statusOf(error) !== 404)
          throw toApiError(`delete the run anchor ${names.anchor}`, namespace, error)
      }
    },
    stats: () => ({ ...counts, watches: { jobs: { ...jobs.stats }, pods: { ...pods.stats } } }),
    async close() {
      closed = true
      clearTimeout(idleTimer)
      await Promise.all([jobs.stop(), pods.stop()])
      while (cleanups.size > 0) await Promise.all([...cleanups])
      clients.destroy()
    },
    async [Symbol.asyncDispose]() {
      await this.close()
    },
  }
}

function checkOptions(options: KubernetesExecutorOptions): void {
  const issues: { path: string; message: string }[] = []
  if (typeof options?.image !== 'string' || options.image.trim() === '') {
    issues.push({ path: 'image', message: 'must name the worker image' })
  }
  const concurrency = options?.concurrency
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    issues.push({ path: 'concurrency', message: `must be a positive integer, got ${concurrency}` })
  }
  for (const [name, value] of Object.entries(options?.env ?? {})) {
    if (typeof value !== 'string') issues.push({ path: `env.${name}`, message: 'must be a string' })
  }
  for (const [name, ref] of Object.entries(options?.secretEnv ?? {})) {
    if (
      typeof ref !== 'object' ||
      ref === null ||
      typeof ref.secret !== 'string' ||
      typeof ref.key !== 'string'
    ) {
      // never echo the value: it may be a secret passed by mistake
      issues.push({
        path: `secretEnv.${name}`,
        message:
          'must be { secret, key } naming a Kubernetes Secret (literal secret values are not accepted)',
      })
    }
  }
  const max = options?.maxResultBytes
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    issues.push({ path: 'maxResultBytes', message: `must be a positive integer, got ${max}` })
  }
  if (issues.length > 0) {
    throw new InvalidRequestError({
      message: `createKubernetesExecutor: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}.`,
      issues,
    })
  }
}

function defaultKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromDefault()
  return kubeConfig
}

function contextNamespace(kubeConfig: KubeConfig): string | undefined {
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext())
  return context?.namespace
}

function abortReason(signal: AbortSignal): Error {
  const reason = signal.reason
  if (isQlError(reason)) return reason
  return new AbortedError({ message: 'The run was cancelled.', cause: reason })
}

/** The HTTP status of a client-node error, if it has one. */
function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code
  return typeof code === 'number' ? code : undefined
}

function toApiError(what: string, namespace: string, error: unknown): KubernetesApiError {
  if (KubernetesApiError.isInstance(error)) return error
  const status = statusOf(error)
  let body = (error as { body?: unknown })?.body
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body)
    } catch {
      // not JSON
    }
  }
  const statusBody =
    typeof body === 'object' && body !== null ? (body as { message?: string; reason?: string }) : {}
  const detail =
    status === undefined
      ? `the API server could not be reached (${(error as Error)?.message ?? String(error)})`
      : `${status}${statusBody.reason === undefined ? '' : ` ${statusBody.reason}`}${statusBody.message === undefined ? '' : `: ${statusBody.message}`}`
  const hint =
    status === 403
      ? " (apply the Role from renderManifests() to the executor's identity)"
      : status === 401
        ? ' (check the credentials of the kubeconfig)'
        : ''
  const reason =
    statusBody.reason ?? (status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : undefined)
  return new KubernetesApiError({
    message: `Kubernetes API: ${what} in namespace ${namespace} failed: ${detail}${hint}`,
    ...(status === undefined ? {} : { status }),
    ...(reason === undefined ? {} : { reason }),
  })
}

import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeObject, FakeResource, FakeStore, StoreEvent } from './fake-store'
import { type ContainerSpec, PodProcess } from './pod-process'

/** How an object's dependents are treated when it is deleted. */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan'

interface JobSpec {
  backoffLimit?: number
  completions?: number
  activeDeadlineSeconds?: number
  ttlSecondsAfterFinished?: number
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }
    spec: PodSpec
  }
}

interface PodSpec {
  containers: ContainerSpec[]
  volumes?: {
    name: string
    configMap?: { name: string; items?: { key: string; path: string }[]; optional?: boolean }
    secret?: { secretName: string; items?: { key: string; path: string }[]; optional?: boolean }
    emptyDir?: Record<string, unknown>
  }[]
  terminationGracePeriodSeconds?: number
  activeDeadlineSeconds?: number
  [field: string]: unknown
}

interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
  lastProbeTime?: string
  lastTransitionTime?: string
}

interface JobState {
  succeeded: number
  failed: number
  deadline?: NodeJS.Timeout
  ttl?: NodeJS.Timeout
}

/** What the controller needs from the cluster. @internal */
export interface ControllerOptions {
  store: FakeStore
  sandboxRoot: string
  /** Images whose pull fails (ErrImagePull, then ImagePullBackOff). */
  imagePullFails: (image: string) => boolean
  /** Extra environment for every pod process (for example NODE_OPTIONS in tests). */
  podEnv: Record<string, string>
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z')

/**
 * The fake control plane: a job controller that creates one Pod per Job attempt and tracks its
 * outcome (backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished), a kubelet that runs each
 * pod's command as a local process, and a garbage collector that honours owner references and
 * propagation policies. @internal
 */
export class FakeJobController {
  readonly #store: FakeStore
  readonly #options: ControllerOptions
  readonly #jobs = new Map<string, JobState>()
  /** Running processes by pod uid. */
  readonly #processes = new Map<string, PodProcess>()
  /** Pod logs by `namespace/pod`, kept after the process ends. */
  readonly #logs = new Map<string, PodProcess['log']>()
  /** Pods waiting for a ConfigMap or Secret, by `namespace/pod`. */
  readonly #waiting = new Set<string>()
  readonly #unsubscribe: () => void
  /** Work in flight (pod starts, exits, deletions), so `close()` can wait for it. */
  readonly #pending = new Set<Promise<unknown>>()
  /** Counts of processes started per job name, for tests. */
  readonly starts = new Map<string, number>()
  #closed = false

  constructor(options: ControllerOptions) {
    this.#store = options.store
    this.#options = options
    this.#unsubscribe = this.#store.subscribe((event) => this.#track(this.#onEvent(event)))
  }

  /** The log of a pod's container, if it ever ran. */
  logOf(namespace: string, pod: string) {
    return this.#logs.get(`${namespace}/${pod}`)
  }

  /** Kills a running pod as the kernel's OOM killer would: exit 137, reason OOMKilled. */
  oomKill(namespace: string, pod: string): boolean {
    const object = this.#store.get('pods', namespace, pod)
    const running = object === undefined ? undefined : this.#processes.get(object.metadata.uid as string)
    if (running === undefined) return false
    running.stop(0, 'OOMKilled')
    return true
  }

  /** Evicts a pod as the kubelet does under node pressure: phase Failed, reason Evicted. */
  evict(namespace: string, pod: string): boolean {
    const object = this.#store.get('pods', namespace, pod)
    if (object === undefined) return false
    const running = this.#processes.get(object.metadata.uid as string)
    if (running !== undefined) running.stop(0, 'Evicted')
    else this.#finishPod(namespace, pod, undefined, 'Evicted')
    return true
  }

  /** Deletes an object with the given propagation policy; resolves when it is gone. */
  async delete(
    resource: FakeResource,
    namespace: string,
    name: string,
    policy: PropagationPolicy | undefined,
    graceSeconds?: number,
  ): Promise<void> {
    const object = this.#store.get(resource, namespace, name)
    if (object === undefined) return
    const uid = object.metadata.uid as string
    const effective = policy ?? (resource === 'jobs' ? 'Orphan' : 'Background')
    if (effective === 'Orphan') {
      for (const dependent of this.#store.dependentsOf(uid)) {
        this.#store.update(dependent.resource, namespace, dependent.object.metadata.name, (copy) => {
          copy.metadata.ownerReferences = copy.metadata.ownerReferences?.filter((owner) => owner.uid !== uid)
          return copy
        })
      }
    }
    if (effective === 'Foreground') {
      this.#store.update(resource, namespace, name, (copy) => {
        copy.metadata.deletionTimestamp = now()
        copy.metadata.finalizers = [...(copy.metadata.finalizers ?? []), 'foregroundDeletion']
        return copy
      })
      await Promise.all(
        this.#store
          .dependentsOf(uid)
          .map((dependent) =>
            this.delete(dependent.resource, namespace, dependent.object.metadata.name, 'Foreground'),
          ),
      )
    }
    if (resource === 'pods') await this.#deletePod(namespace, name, graceSeconds)
    else this.#removeObject(resource, namespace, name)
    if (effective === 'Background') {
      // the garbage collector: after the owner is gone, its dependents follow
      await Promise.all(
        this.#store
          .dependentsOf(uid)
          .map((dependent) =>
            this.delete(dependent.resource, namespace, dependent.object.metadata.name, 'Background'),
          ),
      )
    }
  }

  /** Stops everything: kills every process and waits for it to exit. */
  async close(): Promise<void> {
    this.#closed = true
    this.#unsubscribe()
    for (const state of this.#jobs.values()) {
      clearTimeout(state.deadline)
      clearTimeout(state.ttl)
    }
    for (const running of this.#processes.values()) running.stop(0)
    await Promise.all([...this.#processes.values()].map((running) => running.exited))
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }

  /** Resolves when no pod start, exit or deletion is in flight. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }

  #track(work: Promise<unknown> | undefined): void {
    if (work === undefined) return
    this.#pending.add(work)
    work.then(
      () => this.#pending.delete(work),
      () => this.#pending.delete(work),
    )
  }

  async #onEvent(event: StoreEvent): Promise<void> {
    await Promise.resolve() // never act inside the store's own call
    if (this.#closed) return
    const { namespace = 'default', name } = event.object.metadata
    if (event.resource === 'jobs') {
      if (event.type === 'ADDED') this.#syncJob(namespace, name)
      if (event.type === 'DELETED') {
        const state = this.#jobs.get(event.object.metadata.uid as string)
        clearTimeout(state?.deadline)
        clearTimeout(state?.ttl)
        this.#jobs.delete(event.object.metadata.uid as string)
      }
    } else if (event.resource === 'pods') {
      if (event.type === 'ADDED') await this.#startPod(namespace, name)
      if (event.type === 'DELETED') {
        this.#waiting.delete(`${namespace}/${name}`)
        const owner = controllerOf(event.object)
        if (owner !== undefined) {
          const phase = (event.object.status as { phase?: string } | undefined)?.phase
          const state = this.#jobs.get(owner.uid)
          // a pod deleted before it finished counts as a failure of its job
          if (state !== undefined && phase !== 'Succeeded' && phase !== 'Failed') state.failed++
          this.#syncJob(namespace, owner.name)
        }
      }
    } else if (
      (event.resource === 'configmaps' || event.resource === 'secrets') &&
      event.type !== 'DELETED'
    ) {
      for (const key of [...this.#waiting]) {
        const [podNamespace, pod] = key.split('/') as [string, string]
        if (podNamespace === namespace) await this.#startPod(podNamespace, pod)
      }
    }
  }

  #syncJob(namespace: string, name: string): void {
    const job = this.#store.get('jobs', namespace, name)
    if (job === undefined || job.metadata.deletionTimestamp !== undefined) return
    const uid = job.metadata.uid as string
    const spec = job.spec as JobSpec
    let state = this.#jobs.get(uid)
    if (state === undefined) {
      state = { succeeded: 0, failed: 0 }
      this.#jobs.set(uid, state)
      this.#store.update('jobs', namespace, name, (copy) => {
        // the API server's defaults: a selector on the controller uid, and that label on the template
        const copySpec = copy.spec as JobSpec & { selector?: unknown }
        copySpec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } }
        copySpec.template.metadata = {
          ...copySpec.template.metadata,
          labels: {
            ...copySpec.template.metadata?.labels,
            'batch.kubernetes.io/controller-uid': uid,
            'batch.kubernetes.io/job-name': name,
            'controller-uid': uid,
            'job-name': name,
          },
        }
        copy.status = { startTime: now(), active: 0, ready: 0, terminating: 0 }
        return copy
      })
      if (spec.activeDeadlineSeconds !== undefined) {
        state.deadline = setTimeout(
          () =>
            this.#failJob(
              namespace,
              name,
              'DeadlineExceeded',
              'Job was active longer than specified deadline',
            ),
          spec.activeDeadlineSeconds * 1000,
        )
      }
    }
    if (finished(job)) return
    const pods = this.#podsOf(namespace, uid)
    const active = pods.filter((pod) => !isTerminal(pod) && pod.metadata.deletionTimestamp === undefined)
    if (state.succeeded >= (spec.completions ?? 1)) {
      this.#finishJob(namespace, name, {
        type: 'Complete',
        status: 'True',
        lastProbeTime: now(),
        lastTransitionTime: now(),
      })
      return
    }
    if (state.failed > (spec.backoffLimit ?? 6)) {
      this.#failJob(namespace, name, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')
      return
    }
    if (active.length === 0) {
      const template = spec.template
      this.#store.create('pods', namespace, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '',
          generateName: `${name}-`,
          labels: {
            ...template.metadata?.labels,
            'batch.kubernetes.io/controller-uid': uid,
            'batch.kubernetes.io/job-name': name,
            'controller-uid': uid,
            'job-name': name,
          },
          ...(template.metadata?.annotations === undefined
            ? {}
            : { annotations: template.metadata.annotations }),
          ownerReferences: [
            { apiVersion: 'batch/v1', kind: 'Job', name, uid, controller: true, blockOwnerDeletion: true },
          ],
        },
        spec: { ...template.spec, nodeName: 'fake-node' },
        status: { phase: 'Pending', qosClass: 'BestEffort' },
      })
      this.#event(job, 'Normal', 'SuccessfulCreate', `Created pod for job ${name}`)
    }
    this.#store.update('jobs', namespace, name, (copy) => {
      const status = (copy.status ?? {}) as Record<string, unknown>
      status.active = Math.max(active.length, 1)
      status.ready = active.filter((pod) => (pod.status as { phase?: string })?.phase === 'Running').length
      if (state.failed > 0) status.failed = state.failed
      copy.status = status
      return copy
    })
  }

  #finishJob(namespace: string, name: string, condition: Condition): void {
    const job = this.#store.get('jobs', namespace, name)
    if (job === undefined || finished(job)) return
    const state = this.#jobs.get(job.metadata.uid as string)
    clearTimeout(state?.deadline)
    const updated = this.#store.update('jobs', namespace, name, (copy) => {
      const status = (copy.status ?? {}) as Record<string, unknown>
      const conditions = (status.conditions as Condition[] | undefined) ?? []
      if (condition.type === 'Complete') {
        conditions.push({ ...condition, type: 'SuccessCriteriaMet' })
        status.completionTime = now()
        status.succeeded = state?.succeeded ?? 1
      } else {
        conditions.push({ ...condition, type: 'FailureTarget' })
        if ((state?.failed ?? 0) > 0) status.failed = state?.failed
      }
      conditions.push(condition)
      status.conditions = conditions
      status.active = 0
      status.ready = 0
      copy.status = status
      return copy
    }) as FakeObject
    this.#event(
      updated,
      condition.type === 'Complete' ? 'Normal' : 'Warning',
      condition.type === 'Complete' ? 'Completed' : (condition.reason ?? 'Failed'),
      condition.type === 'Complete' ? 'Job completed' : (condition.message ?? ''),
    )
    const ttl = (updated.spec as JobSpec).ttlSecondsAfterFinished
    if (ttl !== undefined && state !== undefined) {
      state.ttl = setTimeout(
        () => this.#track(this.delete('jobs', namespace, name, 'Background')),
        ttl * 1000,
      )
    }
  }

  #failJob(namespace: string, name: string, reason: string, message: string): void {
    const job = this.#store.get('jobs', namespace, name)
    if (job === undefined || finished(job)) return
    this.#finishJob(namespace, name, {
      type: 'Failed',
      status: 'True',
      reason,
      message,
      lastProbeTime: now(),
      lastTransitionTime: now(),
    })
    for (const pod of this.#podsOf(namespace, job.metadata.uid as string)) {
      if (!isTerminal(pod)) this.#track(this.delete('pods', namespace, pod.metadata.name, 'Background'))
    }
  }

  #podsOf(namespace: string, jobUid: string): FakeObject[] {
    return this.#store.list('pods', namespace).filter((pod) => controllerOf(pod)?.uid === jobUid)
  }

  async #startPod(namespace: string, name: string): Promise<void> {
    const pod = this.#store.get('pods', namespace, name)
    if (pod === undefined || pod.metadata.deletionTimestamp !== undefined) return
    if ((pod.status as { phase?: string } | undefined)?.phase !== 'Pending') return
    if (this.#processes.has(pod.metadata.uid as string)) return
    const spec = pod.spec as PodSpec
    const container = spec.containers[0] as ContainerSpec
    const key = `${namespace}/${name}`
    const waiting = (reason: string, message?: string) => {
      this.#setContainer(namespace, name, container, {
        waiting: { reason, ...(message === undefined ? {} : { message }) },
      })
    }
    if (container.image !== undefined && this.#options.imagePullFails(container.image)) {
      waiting('ErrImagePull', `failed to pull and unpack image "${container.image}": not found`)
      this.#event(pod, 'Warning', 'Failed', `Failed to pull image "${container.image}"`)
      await Promise.resolve()
      waiting('ImagePullBackOff', `Back-off pulling image "${container.image}"`)
      this.#event(pod, 'Normal', 'BackOff', `Back-off pulling image "${container.image}"`)
      return
    }
    // volumes: a missing ConfigMap or Secret keeps the pod in ContainerCreating until it appears
    const sandbox = join(this.#options.sandboxRoot, namespace, name)
    const volumes: Record<string, Record<string, string> | null> = {}
    for (const volume of spec.volumes ?? []) {
      if (volume.configMap !== undefined || volume.secret !== undefined) {
        const source = volume.configMap !== undefined ? 'configmaps' : 'secrets'
        const sourceName = volume.configMap?.name ?? (volume.secret?.secretName as string)
        const object = this.#store.get(source, namespace, sourceName)
        if (object === undefined) {
          if (volume.configMap?.optional || volume.secret?.optional) {
            volumes[volume.name] = {}
            continue
          }
          this.#waiting.add(key)
          waiting('ContainerCreating')
          return
        }
        const data =
          source === 'secrets'
            ? Object.fromEntries(
                Object.entries((object.data ?? {}) as Record<string, string>).map(([k, v]) => [
                  k,
                  Buffer.from(v, 'base64').toString(),
                ]),
              )
            : ((object.data ?? {}) as Record<string, string>)
        const items = volume.configMap?.items ?? volume.secret?.items
        volumes[volume.name] =
          items === undefined
            ? data
            : Object.fromEntries(items.map((item) => [item.path, data[item.key] ?? '']))
      } else {
        volumes[volume.name] = null
      }
    }
    const env: Record<string, string> = { HOSTNAME: name, ...this.#options.podEnv }
    for (const variable of container.env ?? []) {
      if (variable.value !== undefined) {
        env[variable.name] = variable.value
        continue
      }
      const from = variable.valueFrom
      const ref = from?.secretKeyRef ?? from?.configMapKeyRef
      if (ref !== undefined) {
        const isSecret = from?.secretKeyRef !== undefined
        const object = this.#store.get(isSecret ? 'secrets' : 'configmaps', namespace, ref.name)
        const raw = (object?.data as Record<string, string> | undefined)?.[ref.key]
        if (raw === undefined) {
          if (ref.optional) continue
          this.#waiting.add(key)
          const what = isSecret ? 'secret' : 'configmap'
          waiting(
            'CreateContainerConfigError',
            object === undefined
              ? `${what} "${ref.name}" not found`
              : `couldn't find key ${ref.key} in ${isSecret ? 'Secret' : 'ConfigMap'} ${namespace}/${ref.name}`,
          )
          return
        }
        env[variable.name] = isSecret ? Buffer.from(raw, 'base64').toString() : raw
      } else if (from?.fieldRef !== undefined) {
        const path = from.fieldRef.fieldPath
        env[variable.name] =
          path === 'metadata.name'
            ? name
            : path === 'metadata.namespace'
              ? namespace
              : String(pod.metadata.labels?.[/labels\['(.*)'\]/.exec(path)?.[1] ?? ''] ?? '')
      }
    }
    this.#waiting.delete(key)
    const mounts: Record<string, string> = {}
    for (const mount of container.volumeMounts ?? []) {
      const directory = join(sandbox, 'volumes', mount.name)
      mkdirSync(directory, { recursive: true })
      for (const [file, content] of Object.entries(volumes[mount.name] ?? {})) {
        writeFileSync(join(directory, file), content)
      }
      mounts[mount.mountPath] = directory
    }
    const running = new PodProcess({ container, sandbox, env, mounts })
    this.#processes.set(pod.metadata.uid as string, running)
    this.#logs.set(key, running.log)
    const jobName = pod.metadata.labels?.['job-name']
    if (jobName !== undefined) this.starts.set(jobName, (this.starts.get(jobName) ?? 0) + 1)
    this.#store.update('pods', namespace, name, (copy) => {
      copy.status = {
        ...(copy.status as object),
        phase: 'Running',
        startTime: running.startedAt,
        podIP: '127.0.0.1',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: running.startedAt }],
        containerStatuses: [containerStatus(container, { running: { startedAt: running.startedAt } }, true)],
      }
      return copy
    })
    this.#event(pod, 'Normal', 'Started', `Started container ${container.name}`)
    const owner = controllerOf(pod)
    if (owner !== undefined) this.#syncJob(namespace, owner.name)
    const exit = await running.exited
    this.#processes.delete(pod.metadata.uid as string)
    this.#finishPod(namespace, name, exit, running.killReason)
  }

  #finishPod(
    namespace: string,
    name: string,
    exit: Awaited<PodProcess['exited']> | undefined,
    killReason: string | undefined,
  ): void {
    const pod = this.#store.get('pods', namespace, name)
    if (pod === undefined) return
    if (pod.metadata.deletionTimestamp !== undefined) {
      // a deleted pod's process ended: the pod goes away
      this.#store.remove('pods', namespace, name)
      rmSync(join(this.#options.sandboxRoot, namespace, name), { recursive: true, force: true })
      return
    }
    const container = (pod.spec as PodSpec).containers[0] as ContainerSpec
    const exitCode = exit?.exitCode ?? 137
    const succeeded = exitCode === 0 && killReason === undefined
    const terminated = {
      exitCode,
      reason: killReason === 'OOMKilled' ? 'OOMKilled' : succeeded ? 'Completed' : 'Error',
      ...(exit?.message ? { message: exit.message } : {}),
      startedAt: exit?.startedAt ?? now(),
      finishedAt: exit?.finishedAt ?? now(),
    }
    this.#store.update('pods', namespace, name, (copy) => {
      const status = (copy.status ?? {}) as Record<string, unknown>
      status.phase = succeeded ? 'Succeeded' : 'Failed'
      if (killReason === 'Evicted') {
        status.reason = 'Evicted'
        status.message = 'The node was low on resource: memory.'
      }
      status.conditions = [
        { type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: now() },
      ]
      status.containerStatuses = [containerStatus(container, { terminated }, false)]
      copy.status = status
      return copy
    })
    if (killReason === 'Evicted')
      this.#event(pod, 'Warning', 'Evicted', 'The node was low on resource: memory.')
    const owner = controllerOf(pod)
    if (owner !== undefined) {
      const state = this.#jobs.get(owner.uid)
      if (state !== undefined) {
        if (succeeded) state.succeeded++
        else state.failed++
      }
      this.#syncJob(namespace, owner.name)
    }
  }

  async #deletePod(namespace: string, name: string, graceSeconds: number | undefined): Promise<void> {
    const pod = this.#store.get('pods', namespace, name)
    if (pod === undefined) return
    const running = this.#processes.get(pod.metadata.uid as string)
    if (running === undefined) {
      this.#store.remove('pods', namespace, name)
      rmSync(join(this.#options.sandboxRoot, namespace, name), { recursive: true, force: true })
      return
    }
    if (pod.metadata.deletionTimestamp === undefined) {
      this.#store.update('pods', namespace, name, (copy) => {
        copy.metadata.deletionTimestamp = now()
        return copy
      })
    }
    const grace = graceSeconds ?? (pod.spec as PodSpec).terminationGracePeriodSeconds ?? 30
    running.stop(grace)
    await running.exited
    // #startPod's exit handler removes the pod once the process is gone
    while (this.#store.get('pods', namespace, name) !== undefined) await new Promise(setImmediate)
  }

  #removeObject(resource: FakeResource, namespace: string, name: string): void {
    this.#store.remove(resource, namespace, name)
  }

  #setContainer(
    namespace: string,
    name: string,
    container: ContainerSpec,
    state: Record<string, unknown>,
  ): void {
    this.#store.update('pods', namespace, name, (copy) => {
      copy.status = {
        ...(copy.status as object),
        containerStatuses: [containerStatus(container, state, false)],
      }
      return copy
    })
  }

  #event(object: FakeObject, type: string, reason: string, message: string): void {
    const namespace = object.metadata.namespace ?? 'default'
    this.#store.create('events', namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${object.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace,
        uid: object.metadata.uid,
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now(),
      lastTimestamp: now(),
      source: { component: object.kind === 'Job' ? 'job-controller' : 'kubelet' },
    })
  }
}

function containerStatus(container: ContainerSpec, state: Record<string, unknown>, ready: boolean) {
  return {
    name: container.name,
    image: container.image ?? '',
    imageID: '',
    ready,
    restartCount: 0,
    started: ready,
    state,
  }
}

function controllerOf(object: FakeObject) {
  return object.metadata.ownerReferences?.find((owner) => owner.controller === true && owner.kind === 'Job')
}

function isTerminal(pod: FakeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase
  return phase === 'Succeeded' || phase === 'Failed'
}

function finished(job: FakeObject): boolean {
  const conditions = ((job.status as { conditions?: Condition[] } | undefined)?.conditions ??
    []) as Condition[]
  return conditions.some(
    (condition) =>
      (condition.type === 'Complete' || condition.type === 'Failed') && condition.status === 'True',
  )
}

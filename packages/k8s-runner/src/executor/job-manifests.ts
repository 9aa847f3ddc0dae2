import { createHash } from 'node:crypto'
import type { V1ConfigMap, V1EnvVar, V1Job, V1OwnerReference } from '@kubernetes/client-node'
import type { ExecutorTask } from '@ql/agents'
import { WORKER_ENV } from '../worker/result-message'
import type { KubernetesExecutorOptions } from './executor-options'

/** The labels every object of ours carries. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  run: 'ql.dev/run',
  graph: 'ql.dev/graph',
  node: 'ql.dev/node',
  attempt: 'ql.dev/attempt',
  thread: 'ql.dev/thread',
} as const

/** The value of `app.kubernetes.io/managed-by` on everything the executor creates. */
export const MANAGED_BY = 'ql-k8s-runner'

/** Where the task's ConfigMap is mounted in the worker container. @internal */
export const TASK_MOUNT = '/var/run/ql'
/** The termination message path of the worker container. @internal */
export const TERMINATION_PATH = '/dev/termination-log'
/** The worker container's name. @internal */
export const CONTAINER = 'worker'

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex')
}

function slug(text: string, max: number): string {
  const cut = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '')
  return cut === '' ? 'node' : cut
}

/** The run label value of a thread: the first 16 hex digits of its id's SHA-256. */
export function runId(threadId: string): string {
  return hash('ql-run', threadId).slice(0, 16)
}

/** The label selector for every Job and pod of a thread: `ql.dev/run=<id>` (for `kubectl get -l`). */
export function runSelector(threadId: string): string {
  return `${LABELS.run}=${runId(threadId)}`
}

/** The names of the objects of one task attempt. Deterministic: the same attempt of the same task gets the same names. @internal */
export interface TaskNames {
  job: string
  input: string
  anchor: string
  run: string
}

/** @internal */
export function taskNames(task: ExecutorTask): TaskNames {
  const id = hash(task.graph, task.threadId, task.taskId).slice(0, 12)
  const job = `ql-${slug(task.node, 24)}-${id}-${task.attempt}`
  const run = runId(task.threadId)
  return { job, input: `${job}-in`, anchor: `ql-run-${run}`, run }
}

/** The labels of one task's objects. @internal */
export function taskLabels(task: ExecutorTask, names: TaskNames, extra: Record<string, string> = {}) {
  const labels: Record<string, string> = {
    ...extra,
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.run]: names.run,
    [LABELS.graph]: slug(task.graph, 63),
    [LABELS.node]: slug(task.node, 63),
    [LABELS.attempt]: String(task.attempt),
  }
  if (task.threadId.length <= 63 && LABEL_VALUE.test(task.threadId)) labels[LABELS.thread] = task.threadId
  return labels
}

function taskAnnotations(task: ExecutorTask, extra: Record<string, string> = {}) {
  return {
    ...extra,
    'ql.dev/graph': task.graph,
    'ql.dev/thread-id': task.threadId,
    'ql.dev/task-id': task.taskId,
    'ql.dev/node': task.node,
  }
}

/** The per-run anchor: a ConfigMap every Job and input of the run is owned by. @internal */
export function anchorManifest(
  threadId: string,
  names: Pick<TaskNames, 'anchor' | 'run'>,
  labels: Record<string, string> = {},
): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: names.anchor,
      labels: {
        ...labels,
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.component]: 'run',
        [LABELS.run]: names.run,
      },
      annotations: { 'ql.dev/thread-id': threadId },
    },
    data: { threadId },
  }
}

/** @internal */
export function ownerReference(anchor: { name: string; uid: string }): V1OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: anchor.name,
    uid: anchor.uid,
    blockOwnerDeletion: false,
  }
}

/** The ConfigMap that carries the task to the worker. @internal */
export function inputManifest(
  task: ExecutorTask,
  names: TaskNames,
  json: string,
  owner: V1OwnerReference,
  options: KubernetesExecutorOptions,
): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: names.input,
      labels: taskLabels(task, names, { ...options.labels, [LABELS.component]: 'input' }),
      annotations: taskAnnotations(task, options.annotations),
      ownerReferences: [owner],
    },
    data: { 'task.json': json },
  }
}

/**
 * The Job for one task attempt: `backoffLimit: 0` (the graph engine retries), a deadline, a TTL,
 * the restricted Pod Security profile, secrets only by `secretKeyRef`. @internal
 */
export function jobManifest(
  task: ExecutorTask,
  names: TaskNames,
  owner: V1OwnerReference,
  options: KubernetesExecutorOptions,
  activeDeadlineSeconds: number | undefined,
): V1Job {
  const labels = taskLabels(task, names, { ...options.labels, [LABELS.component]: 'worker' })
  const annotations = taskAnnotations(task, options.annotations)
  const secretNames = Object.keys(options.secretEnv ?? {})
  const env: V1EnvVar[] = [
    { name: WORKER_ENV.taskFile, value: `${TASK_MOUNT}/task.json` },
    { name: WORKER_ENV.terminationFile, value: TERMINATION_PATH },
    { name: 'HOME', value: '/tmp' },
  ]
  if (options.worker?.module !== undefined)
    env.push({ name: WORKER_ENV.module, value: options.worker.module })
  if (options.worker?.export !== undefined)
    env.push({ name: WORKER_ENV.exportName, value: options.worker.export })
  if (options.worker?.resultStoreExport !== undefined) {
    env.push({ name: WORKER_ENV.resultStoreExport, value: options.worker.resultStoreExport })
  }
  if (options.maxResultBytes !== undefined) {
    env.push({ name: WORKER_ENV.maxResultBytes, value: String(options.maxResultBytes) })
  }
  if (secretNames.length > 0) env.push({ name: WORKER_ENV.secretNames, value: secretNames.join(',') })
  for (const [name, value] of Object.entries(options.env ?? {})) env.push({ name, value })
  for (const [name, ref] of Object.entries(options.secretEnv ?? {})) {
    env.push({
      name,
      valueFrom: {
        secretKeyRef: {
          name: ref.secret,
          key: ref.key,
          ...(ref.optional === undefined ? {} : { optional: ref.optional }),
        },
      },
    })
  }
  const seccompProfile = { type: 'RuntimeDefault' }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: names.job, labels, annotations, ownerReferences: [owner] },
    spec: {
      backoffLimit: 0,
      ...(activeDeadlineSeconds === undefined ? {} : { activeDeadlineSeconds }),
      ttlSecondsAfterFinished: options.ttlSecondsAfterFinished ?? 3600,
      template: {
        metadata: { labels, annotations },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: options.automountServiceAccountToken ?? false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: options.terminationGracePeriodSeconds ?? 10,
          ...(options.serviceAccountName === undefined
            ? {}
            : { serviceAccountName: options.serviceAccountName }),
          ...(options.nodeSelector === undefined ? {} : { nodeSelector: options.nodeSelector }),
          ...(options.tolerations === undefined ? {} : { tolerations: options.tolerations }),
          ...(options.priorityClassName === undefined
            ? {}
            : { priorityClassName: options.priorityClassName }),
          ...(options.imagePullSecrets === undefined
            ? {}
            : { imagePullSecrets: options.imagePullSecrets.map((name) => ({ name })) }),
          securityContext: {
            runAsNonRoot: true,
            ...(options.runAsUser === undefined
              ? {}
              : { runAsUser: options.runAsUser, runAsGroup: options.runAsUser }),
            seccompProfile,
          },
          volumes: [
            { name: 'task', configMap: { name: names.input } },
            { name: 'tmp', emptyDir: {} },
          ],
          containers: [
            {
              name: CONTAINER,
              image: options.image,
              ...(options.imagePullPolicy === undefined ? {} : { imagePullPolicy: options.imagePullPolicy }),
              command: options.command ?? ['ql-worker'],
              ...(options.args === undefined ? {} : { args: options.args }),
              env,
              ...(options.resources === undefined ? {} : { resources: options.resources }),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile,
              },
              volumeMounts: [
                { name: 'task', mountPath: TASK_MOUNT, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
              terminationMessagePath: TERMINATION_PATH,
              terminationMessagePolicy: 'FallbackToLogsOnError',
            },
          ],
        },
      },
    },
  }
}

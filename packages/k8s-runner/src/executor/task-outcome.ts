import type { V1Job, V1Pod } from '@kubernetes/client-node'
import type { PodFailureReason } from '../errors/kubernetes-errors'
import { parseResultMessage, type ResultMessage } from '../worker/result-message'

/** What the cluster says about one task's Job so far. @internal */
export type TaskOutcome =
  | { kind: 'pending' }
  /** The Job has ended but no pod of it is known: list its pods once before deciding. */
  | { kind: 'list-pods' }
  | { kind: 'message'; message: ResultMessage; pod: string }
  | {
      kind: 'failed'
      reason: PodFailureReason
      message: string
      pod?: string
      exitCode?: number
      logTail?: string
      /** The pod is stuck (it will never start): the Job must be deleted. */
      stuck?: boolean
    }

/** Waiting reasons after which a pod never starts by itself. */
const STUCK = new Set([
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
])

/**
 * Reads a task's outcome from its Job and pods as the watches last saw them: a result handed back
 * through a termination message wins; then a failed pod's reason (Evicted, OOMKilled, a crash);
 * then the Job's failure reason (DeadlineExceeded); then a pod that can never start. @internal
 */
export function taskOutcome(
  job: V1Job | undefined,
  pods: V1Pod[],
  jobSeen: boolean,
  podsListed: boolean,
): TaskOutcome {
  for (const pod of pods) {
    const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated
    const message = parseResultMessage(terminated?.message)
    if (message !== undefined) return { kind: 'message', message, pod: pod.metadata?.name ?? '' }
  }
  for (const pod of pods) {
    if (pod.status?.phase !== 'Failed') continue
    const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated
    const reason = pod.status.reason ?? terminated?.reason ?? 'Error'
    return {
      kind: 'failed',
      reason,
      message: pod.status.message ?? terminated?.message?.split('\n')[0] ?? '',
      pod: pod.metadata?.name ?? '',
      ...(terminated?.exitCode === undefined ? {} : { exitCode: terminated.exitCode }),
      ...(terminated?.message ? { logTail: terminated.message } : {}),
    }
  }
  // the Job and pod watches are two streams: a Job's verdict may arrive before its pod's last
  // update, so a verdict without a finished pod waits for it (or for one list of the pods)
  const settled = (pod: V1Pod) =>
    pod.status?.phase === 'Succeeded' ||
    pod.status?.phase === 'Failed' ||
    pod.metadata?.deletionTimestamp !== undefined
  const conditions = job?.status?.conditions ?? []
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True')
  if (failed !== undefined) {
    if (failed.reason !== 'DeadlineExceeded') {
      if (pods.some((pod) => !settled(pod))) return { kind: 'pending' }
      if (pods.length === 0 && !podsListed) return { kind: 'list-pods' }
    }
    return { kind: 'failed', reason: failed.reason ?? 'Failed', message: failed.message ?? '' }
  }
  const complete = conditions.find((c) => c.type === 'Complete' && c.status === 'True')
  const succeeded = pods.find((pod) => pod.status?.phase === 'Succeeded')
  if (complete !== undefined || succeeded !== undefined) {
    if (succeeded === undefined && pods.some((pod) => !settled(pod))) return { kind: 'pending' }
    if (succeeded === undefined && !podsListed) return { kind: 'list-pods' }
    // done, but no pod has our message (the pod was removed, or the command is not ql-worker)
    return {
      kind: 'failed',
      reason: 'ResultMissing',
      message: 'the Job completed but its pod handed no result back (is the command ql-worker?)',
      ...(succeeded?.metadata?.name === undefined ? {} : { pod: succeeded.metadata.name }),
    }
  }
  for (const pod of pods) {
    const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting
    if (waiting?.reason !== undefined && STUCK.has(waiting.reason)) {
      return {
        kind: 'failed',
        reason: waiting.reason,
        message: waiting.message ?? '',
        pod: pod.metadata?.name ?? '',
        stuck: true,
      }
    }
  }
  if (job === undefined && jobSeen) {
    return { kind: 'failed', reason: 'JobDeleted', message: 'the Job was deleted before it finished' }
  }
  return { kind: 'pending' }
}

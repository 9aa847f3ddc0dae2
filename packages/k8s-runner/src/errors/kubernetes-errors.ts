import { isQlError, QlError, type QlErrorDecoders, type QlErrorOptions } from '@ql/provider'

/**
 * Why a node's Job ended without a result: the pod or Job reason Kubernetes reported
 * (`ImagePullBackOff`, `ErrImagePull`, `InvalidImageName`, `CreateContainerConfigError`,
 * `CreateContainerError`, `OOMKilled`, `DeadlineExceeded`, `Evicted`, `Error`,
 * `BackoffLimitExceeded`), or one of ours: `JobDeleted` (someone deleted the Job while the host
 * waited) and `ResultMissing` (the pod ended without handing a result back).
 */
export type PodFailureReason =
  | 'ImagePullBackOff'
  | 'ErrImagePull'
  | 'InvalidImageName'
  | 'CreateContainerConfigError'
  | 'CreateContainerError'
  | 'OOMKilled'
  | 'DeadlineExceeded'
  | 'Evicted'
  | 'Error'
  | 'BackoffLimitExceeded'
  | 'JobDeleted'
  | 'ResultMissing'
  | (string & {})

/** Reasons worth another attempt: the same pod may well succeed on a second try. */
const RETRYABLE_REASONS = new Set(['Evicted', 'Error', 'JobDeleted', 'ErrImagePull', 'Preempted', 'NodeLost'])

/**
 * A node's Kubernetes Job failed: the container crashed, was OOM-killed, evicted or ran past its
 * deadline, or its pod could not start (image pull, missing Secret). `reason` is Kubernetes' own
 * reason; `logTail` holds the last lines the container wrote, when there were any. Code
 * `pod_failed`; retryable for crashes (`Error`), evictions and deleted Jobs, not for
 * `OOMKilled`, `DeadlineExceeded` or pods that cannot start (fix the image, limits or Secret).
 */
export class PodFailedError extends QlError {
  /** True when `error` is a `PodFailedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is PodFailedError {
    return isQlError(error, 'pod_failed')
  }
  readonly reason: PodFailureReason
  /** The Job that ran the node. */
  readonly job: string
  readonly namespace: string
  /** The graph node. */
  readonly node: string
  /** The pod, when there was one. */
  readonly pod?: string
  /** The container's exit code, when it ran and ended. */
  readonly exitCode?: number
  /** The last lines the container wrote (at most 2 KiB), when there were any. */
  readonly logTail?: string

  constructor(
    options: QlErrorOptions & {
      reason: PodFailureReason
      job: string
      namespace: string
      node: string
      pod?: string
      exitCode?: number
      logTail?: string
    },
  ) {
    super({
      ...options,
      code: 'pod_failed',
      retryable: options.retryable ?? RETRYABLE_REASONS.has(options.reason),
    })
    this.name = 'PodFailedError'
    this.reason = options.reason
    this.job = options.job
    this.namespace = options.namespace
    this.node = options.node
    if (options.pod !== undefined) this.pod = options.pod
    if (options.exitCode !== undefined) this.exitCode = options.exitCode
    if (options.logTail !== undefined) this.logTail = options.logTail
  }

  protected override jsonDetails() {
    return {
      reason: this.reason,
      job: this.job,
      namespace: this.namespace,
      node: this.node,
      ...(this.pod === undefined ? {} : { pod: this.pod }),
      ...(this.exitCode === undefined ? {} : { exitCode: this.exitCode }),
      ...(this.logTail === undefined ? {} : { logTail: this.logTail }),
    }
  }
}

/**
 * A task's input or a node's result is larger than Kubernetes can carry: a ConfigMap holds at
 * most 1 MiB, and results above `maxResultBytes` need a result store. `what` says which; `bytes`
 * and `limitBytes` the sizes. Code `payload_too_large`; not retryable.
 */
export class PayloadTooLargeError extends QlError {
  /** True when `error` is a `PayloadTooLargeError`, from any copy of this package. */
  static override isInstance(error: unknown): error is PayloadTooLargeError {
    return isQlError(error, 'payload_too_large')
  }
  readonly what: 'input' | 'result'
  readonly bytes: number
  readonly limitBytes: number

  constructor(options: QlErrorOptions & { what: 'input' | 'result'; bytes: number; limitBytes: number }) {
    super({ ...options, code: 'payload_too_large', retryable: false })
    this.name = 'PayloadTooLargeError'
    this.what = options.what
    this.bytes = options.bytes
    this.limitBytes = options.limitBytes
  }

  protected override jsonDetails() {
    return { what: this.what, bytes: this.bytes, limitBytes: this.limitBytes }
  }
}

/**
 * A call to the Kubernetes API failed: `status` is the HTTP status (undefined for a network
 * failure) and `reason` the `Status` reason (`Forbidden`, `NotFound`, `Invalid`, ...). Code
 * `kubernetes_api`; retryable for 429, 5xx and network failures.
 */
export class KubernetesApiError extends QlError {
  /** True when `error` is a `KubernetesApiError`, from any copy of this package. */
  static override isInstance(error: unknown): error is KubernetesApiError {
    return isQlError(error, 'kubernetes_api')
  }
  /** The `Status` reason the API server gave, when it gave one. */
  readonly reason?: string

  constructor(options: QlErrorOptions & { reason?: string }) {
    const status = options.status
    super({
      ...options,
      code: 'kubernetes_api',
      retryable: options.retryable ?? (status === undefined || status === 429 || status >= 500),
    })
    this.name = 'KubernetesApiError'
    if (options.reason !== undefined) this.reason = options.reason
  }

  protected override jsonDetails() {
    return this.reason === undefined ? undefined : { reason: this.reason }
  }
}

/**
 * Decoders for `qlErrorFromJSON` that rebuild this package's errors from their JSON form:
 * `qlErrorFromJSON(json, kubernetesErrorDecoders)`.
 */
export const kubernetesErrorDecoders: QlErrorDecoders = {
  pod_failed: (options, details) =>
    new PodFailedError({
      ...options,
      reason: String(details.reason ?? 'Error'),
      job: String(details.job ?? ''),
      namespace: String(details.namespace ?? ''),
      node: String(details.node ?? ''),
      ...(typeof details.pod === 'string' ? { pod: details.pod } : {}),
      ...(typeof details.exitCode === 'number' ? { exitCode: details.exitCode } : {}),
      ...(typeof details.logTail === 'string' ? { logTail: details.logTail } : {}),
    }),
  payload_too_large: (options, details) =>
    new PayloadTooLargeError({
      ...options,
      what: details.what === 'input' ? 'input' : 'result',
      bytes: Number(details.bytes ?? 0),
      limitBytes: Number(details.limitBytes ?? 0),
    }),
  kubernetes_api: (options, details) =>
    new KubernetesApiError({
      ...options,
      ...(typeof details.reason === 'string' ? { reason: details.reason } : {}),
    }),
}

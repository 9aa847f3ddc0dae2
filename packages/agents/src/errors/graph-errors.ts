import { isQlError, QlError, type QlErrorOptions } from '@ql/provider'

/**
 * The graph is malformed: an edge names an unknown node, a node cannot be reached, there is no
 * entry, or two nodes that can run in the same step write one key that has no reducer. Thrown by
 * `compile()`; `nodes` names the nodes involved. Code `graph_invalid`; not retryable.
 */
export class GraphValidationError extends QlError {
  /** True when `error` is a `GraphValidationError`, from any copy of this package. */
  static override isInstance(error: unknown): error is GraphValidationError {
    return isQlError(error, 'graph_invalid')
  }
  /** The nodes the problem is about. */
  readonly nodes: readonly string[]

  constructor(options: QlErrorOptions & { nodes: readonly string[] }) {
    super({ ...options, code: 'graph_invalid', retryable: false })
    this.name = 'GraphValidationError'
    this.nodes = options.nodes
  }

  protected override jsonDetails() {
    return { nodes: [...this.nodes] }
  }
}

/**
 * A node failed (threw, timed out after its retries, or returned an invalid update). The run
 * stopped after the last completed step, which a checkpointer kept: fix the cause and
 * `resume(threadId)` to run the failed step again. `cause` holds the node's error. Code
 * `node_failed`; retryable when the cause is.
 */
export class NodeFailedError extends QlError {
  /** True when `error` is a `NodeFailedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is NodeFailedError {
    return isQlError(error, 'node_failed')
  }
  /** The node that failed. */
  readonly node: string
  /** The step the node ran in (0 is the first). */
  readonly step: number

  constructor(options: QlErrorOptions & { node: string; step: number }) {
    super({ ...options, code: 'node_failed', retryable: options.retryable ?? false })
    this.name = 'NodeFailedError'
    this.node = options.node
    this.step = options.step
  }

  protected override jsonDetails() {
    return { node: this.node, step: this.step }
  }
}

/**
 * A node returned an update the state schema rejects: an unknown key, a value of the wrong type,
 * or (in one step) two writes to a key that has no reducer. Code `invalid_update`; not retryable.
 */
export class InvalidUpdateError extends QlError {
  /** True when `error` is an `InvalidUpdateError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidUpdateError {
    return isQlError(error, 'invalid_update')
  }
  /** The nodes whose update was rejected. */
  readonly nodes: readonly string[]
  /** The state key at fault. */
  readonly key: string

  constructor(options: QlErrorOptions & { nodes: readonly string[]; key: string }) {
    super({ ...options, code: 'invalid_update', retryable: false })
    this.name = 'InvalidUpdateError'
    this.nodes = options.nodes
    this.key = options.key
  }

  protected override jsonDetails() {
    return { nodes: [...this.nodes], key: this.key }
  }
}

/**
 * The run took more steps than `stepLimit` (a loop that does not end). The last completed step
 * is checkpointed. Code `step_limit`; not retryable.
 */
export class StepLimitError extends QlError {
  /** True when `error` is a `StepLimitError`, from any copy of this package. */
  static override isInstance(error: unknown): error is StepLimitError {
    return isQlError(error, 'step_limit')
  }
  /** The limit that was reached. */
  readonly stepLimit: number

  constructor(options: QlErrorOptions & { stepLimit: number }) {
    super({ ...options, code: 'step_limit', retryable: false })
    this.name = 'StepLimitError'
    this.stepLimit = options.stepLimit
  }

  protected override jsonDetails() {
    return { stepLimit: this.stepLimit }
  }
}

/**
 * Another writer appended to the thread since this one read it: two processes ran or resumed the
 * same thread at once. Nothing was written by the loser. Code `checkpoint_conflict`; not
 * retryable (read the thread again and decide).
 */
export class CheckpointConflictError extends QlError {
  /** True when `error` is a `CheckpointConflictError`, from any copy of this package. */
  static override isInstance(error: unknown): error is CheckpointConflictError {
    return isQlError(error, 'checkpoint_conflict')
  }
  /** The thread both writers wrote to. */
  readonly threadId: string

  constructor(options: QlErrorOptions & { threadId: string }) {
    super({ ...options, code: 'checkpoint_conflict', retryable: false })
    this.name = 'CheckpointConflictError'
    this.threadId = options.threadId
  }

  protected override jsonDetails() {
    return { threadId: this.threadId }
  }
}

/**
 * A thread cannot be resumed as asked: it does not exist, it already finished, it is not waiting
 * for the value given, or its checkpoints were written with an incompatible state schema version
 * and no migration was given. Code `thread_state`; not retryable.
 */
export class ThreadStateError extends QlError {
  /** True when `error` is a `ThreadStateError`, from any copy of this package. */
  static override isInstance(error: unknown): error is ThreadStateError {
    return isQlError(error, 'thread_state')
  }
  /** The thread. */
  readonly threadId: string

  constructor(options: QlErrorOptions & { threadId: string }) {
    super({ ...options, code: 'thread_state', retryable: false })
    this.name = 'ThreadStateError'
    this.threadId = options.threadId
  }

  protected override jsonDetails() {
    return { threadId: this.threadId }
  }
}

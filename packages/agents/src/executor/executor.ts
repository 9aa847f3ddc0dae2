import type { QlErrorJSON } from '@ql/provider'
import type { Interrupt } from '../checkpoint/checkpoint-record'

/**
 * Decides where a node runs. Without one, a node runs in the host process; with
 * `addNode(name, fn, { executor })`, each of its tasks is handed to the executor, which may run it
 * in another process or on another machine (`@ql/k8s-runner` runs it as a Kubernetes Job). There,
 * the same graph module is loaded and `graph.executeTask(task, signal)` runs the node and gives
 * back a {@link TaskResult}. Everything that crosses is plain JSON: state, input, answers,
 * memo, update and errors (as `QlError` JSON).
 */
export interface Executor {
  /**
   * Runs one task somewhere and resolves with how it ended. Reject only when the executor itself
   * failed (the node's own failures come back as `{ kind: 'error' }`); a rejection is treated as
   * the node's failure, retried by the node's retry policy when retryable. Stop when `signal`
   * aborts (the run was cancelled, or the node's timeout passed).
   */
  execute(task: ExecutorTask, signal: AbortSignal): Promise<TaskResult>
}

/** One task for an {@link Executor}: everything a worker needs to run the node, as JSON. */
export interface ExecutorTask {
  /** The graph's name (a worker checks that it loaded the same graph). */
  graph: string
  threadId: string
  step: number
  /** `<step>:<node>:<index>`, unique within the thread: use it to name the remote job (idempotently). */
  taskId: string
  node: string
  /** Which attempt this is (the node's retry policy runs in the host). */
  attempt: number
  /**
   * The node's `timeoutMs`, when it has one: the host aborts the task's signal past it; a remote
   * executor can also give its job a deadline from it (a Kubernetes Job's `activeDeadlineSeconds`).
   */
  timeoutMs?: number
  /** The state the node reads. */
  state: Record<string, unknown>
  /** The `send` input, when a `send` scheduled the task. */
  input?: unknown
  /**
   * Answers to this task's earlier interrupts, by the index of the `interrupt()` call; for a
   * subgraph node, also answers to interrupts inside the subgraph, by their id there.
   */
  answers: Record<string, unknown>
  /** What `context.memo` remembered before an earlier interrupt. */
  memo: Record<string, unknown>
}

/** How a task ended, as JSON. */
export type TaskResult =
  | {
      kind: 'ok'
      update: Record<string, unknown> | null
      /**
       * For a subgraph node: the updates its subgraph's nodes wrote, in the order the subgraph
       * applied them (`update` is then `null`); the host applies each through the parent's reducers.
       */
      writes?: Record<string, unknown>[]
    }
  | {
      kind: 'interrupt'
      /** The (first) interrupt. */
      interrupt: Interrupt
      /** Every interrupt, when there are several (a subgraph node whose subgraph paused in parallel branches). */
      interrupts?: Interrupt[]
      memo: Record<string, unknown>
    }
  | { kind: 'error'; error: QlErrorJSON }

/** A task the run will run (or ran): a node, and the input of the `send` that scheduled it. */
export interface TaskRef {
  /** Stable within a thread: `<step>:<node>:<index>`. */
  id: string
  node: string
  /** The `send` input; absent when an edge scheduled the task. */
  input?: unknown
}

/**
 * The update one task returned. A subgraph node's task has one write per update its subgraph's
 * nodes wrote to keys the parent has, in the order the subgraph applied them (one empty write when
 * there were none): all with the task's id, applied one after the other.
 */
export interface TaskWrite {
  id: string
  node: string
  update: Record<string, unknown>
}

/** One pause of a run for outside input. */
export interface Interrupt {
  /**
   * Give this to `resume(threadId, { answers: { [id]: value } })` to answer this interrupt alone:
   * `<taskId>#<index>`; for an interrupt inside a subgraph, the subgraph node's task id, `/`, then
   * the id inside the subgraph (`0:review:0/1:ask:0#0`).
   */
  id: string
  /** The node that asked (inside a subgraph: the subgraph's node; `path` says where that is). */
  node: string
  /**
   * For an interrupt inside a subgraph: the subgraph nodes it came through, outermost first, as
   * relayed events carry it (`['review']` when node `ask` of the subgraph added as `review` asked).
   * Absent for a node of the graph itself.
   */
  path?: string[]
  /** What the node passed to `interrupt(payload)`. */
  payload: unknown
}

/**
 * One entry of a thread's append-only log. A thread's state is its `start` state with every
 * `step`'s writes applied through the reducers in order: a checkpoint holds what changed, never
 * the whole state again, so its size follows the change, not the graph or the history.
 * Every value is plain JSON.
 */
export type CheckpointRecord =
  | {
      type: 'start'
      /** The graph's name. */
      graph: string
      /** The state schema's version. */
      version: string | number
      /** The validated input state. */
      state: Record<string, unknown>
      /** The tasks of step 0. */
      next: TaskRef[]
      at: number
    }
  | {
      type: 'step'
      /** The step that completed. */
      step: number
      /** Every task's update, in task order (reducers apply them in this order). */
      writes: TaskWrite[]
      /** The tasks of the next step (none: the run is done). */
      next: TaskRef[]
      /** Join edges' progress after the step: join index → sources that have run since its target last ran. */
      joins?: Record<string, string[]>
      at: number
    }
  | {
      /** A task that finished in a step that has not completed (a sibling interrupted or failed). */
      type: 'task'
      step: number
      write: TaskWrite
      at: number
    }
  | {
      type: 'interrupt'
      step: number
      interrupts: Interrupt[]
      /** What the interrupted tasks' `context.memo` calls returned, by task id then key: replayed on resume. */
      memo?: Record<string, Record<string, unknown>>
      at: number
    }
  | {
      /** Answers to the interrupts of `step`, by interrupt id. */
      type: 'resume'
      step: number
      values: Record<string, unknown>
      at: number
    }
  | { type: 'end'; step: number; at: number }

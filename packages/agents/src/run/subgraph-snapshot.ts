import type { Interrupt, TaskRef, TaskWrite } from '../checkpoint/checkpoint-record'
import type { ThreadPosition } from './fold-log'

/** The memo key under which a subgraph node keeps its subgraph's snapshot (the memo is its own). @internal */
export const SUBGRAPH_SNAPSHOT_KEY = 'subgraph'

/**
 * Where an interrupted subgraph run stands, as plain JSON: what `foldLog` would rebuild from the
 * subgraph's own log at its interrupt. A subgraph node keeps it in its task's memo, so it lands in
 * the parent thread's `interrupt` record and a resume (in any process) continues the subgraph from
 * it. Only an interrupt writes one: a subgraph that runs through costs nothing more. @internal
 */
export interface SubgraphSnapshot {
  /** The format of this snapshot. */
  format: 1
  /** The subgraph run's own thread id (its relayed events carry it). */
  threadId: string
  graph: string
  version: string | number
  state: Record<string, unknown>
  /** Steps the subgraph completed. */
  step: number
  /** The tasks of the step that was interrupted. */
  next: TaskRef[]
  joins: Record<string, string[]>
  /** Tasks of that step that finished before the interrupt: not run again. */
  done: TaskWrite[]
  /** Answers given so far in that step, by interrupt id. */
  answers: Record<string, unknown>
  /** What the step's interrupted tasks memoised, by task id then key. */
  memo: Record<string, Record<string, unknown>>
  /** The open interrupts, by their ids inside the subgraph. */
  interrupts: Interrupt[]
  /**
   * What the subgraph's completed steps wrote so far, in the order they were applied (see
   * `SubgraphWrites`): the node's update once the subgraph finishes also holds these, each
   * once. Absent in a snapshot written before subgraph nodes returned their writes: such a run
   * returns its whole result state as its update, as it did then.
   */
  writes?: Record<string, unknown>[]
}

/** The thread position a snapshot stands for, to resume from. @internal */
export function positionOfSnapshot<State>(snapshot: SubgraphSnapshot): ThreadPosition<State> {
  return {
    graph: snapshot.graph,
    version: snapshot.version,
    state: snapshot.state as State,
    step: snapshot.step,
    next: snapshot.next,
    joins: snapshot.joins,
    done: doneByTask(snapshot.done),
    answers: { ...snapshot.answers },
    memo: { ...snapshot.memo },
    interrupts: snapshot.interrupts,
    status: 'interrupted',
  }
}

/** True when `value` looks like a snapshot this version can resume. @internal */
export function isSubgraphSnapshot(value: unknown): value is SubgraphSnapshot {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === 1 &&
    Array.isArray((value as { interrupts?: unknown }).interrupts)
  )
}

/** Finished tasks' writes by task id (a subgraph task can have several). @internal */
export function doneByTask(writes: readonly TaskWrite[]): Map<string, TaskWrite[]> {
  const done = new Map<string, TaskWrite[]>()
  for (const write of writes) {
    const list = done.get(write.id)
    if (list === undefined) done.set(write.id, [write])
    else list.push(write)
  }
  return done
}

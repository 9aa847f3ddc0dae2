import type { Interrupt, TaskRef } from '../checkpoint/checkpoint-record'
import { isSubgraphSnapshot, SUBGRAPH_SNAPSHOT_KEY } from './subgraph-snapshot'

/**
 * Where an interrupted subgraph stands, as `getState` shows it in `subgraphs`: read from the
 * snapshot its node keeps in the parent's thread, so it costs no read and no write.
 */
export interface SubgraphState {
  /** The subgraph node's name in its parent graph. */
  node: string
  /** The subgraph's graph name. */
  graph: string
  /**
   * The subgraph's state after its completed steps: what its nodes wrote before the interrupt,
   * over the input it was given. Its schema is not known statically.
   */
  state: Record<string, unknown>
  /** Steps the subgraph completed. */
  step: number
  /**
   * Its open interrupts with their ids and `path` inside the subgraph: the parent thread's id of
   * one is the key of this entry, `/`, then its `id` (answer it with that).
   */
  interrupts: Interrupt[]
  /** The subgraph's tasks of the step that was interrupted. */
  next: TaskRef[]
  /** Interrupted subgraphs inside this one, by their node's task id in it; absent when none. */
  subgraphs?: Record<string, SubgraphState>
}

/**
 * The interrupted subgraphs of an interrupted step, by their node's task id: each task with a
 * snapshot in `memo` and an open interrupt under its prefix (a stale memo of a task that finished
 * since is left out). `undefined` when there is none. @internal
 */
export function subgraphStatesOf(
  memo: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  interrupts: readonly Interrupt[],
  next: readonly TaskRef[],
): Record<string, SubgraphState> | undefined {
  let states: Record<string, SubgraphState> | undefined
  for (const taskId in memo) {
    const snapshot = memo[taskId]?.[SUBGRAPH_SNAPSHOT_KEY]
    if (!isSubgraphSnapshot(snapshot)) continue
    const prefix = `${taskId}/`
    const open = interrupts.find((item) => item.id.startsWith(prefix))
    if (open === undefined) continue
    const inner = subgraphStatesOf(snapshot.memo, snapshot.interrupts, snapshot.next)
    states ??= {}
    states[taskId] = {
      node: next.find((task) => task.id === taskId)?.node ?? open.path?.[0] ?? open.node,
      graph: snapshot.graph,
      state: snapshot.state,
      step: snapshot.step,
      interrupts: snapshot.interrupts,
      next: snapshot.next,
      ...(inner === undefined ? {} : { subgraphs: inner }),
    }
  }
  return states
}

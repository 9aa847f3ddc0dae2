/**
 * What a subgraph node returns when its subgraph finished: the updates the subgraph's tasks wrote,
 * in the order the subgraph applied them (step by step, task order within a step: the order its
 * own reducers saw them). The parent's step turns each one into a write of the subgraph node's
 * task (keys the parent's schema lacks dropped), so they go through the parent's reducers as if
 * the parent's nodes had written them: an overwrite key ends with the last write, a reducer key
 * gets each write once, a key the subgraph never wrote is left alone. In the parent's log they
 * are ordinary `TaskWrite`s (several with the subgraph task's id), so nothing new is written and
 * a log folds the same in any version. @internal
 */
export class SubgraphWrites {
  readonly updates: readonly Record<string, unknown>[]

  constructor(updates: readonly Record<string, unknown>[]) {
    this.updates = updates
  }

  /**
   * The writes to the keys of `shape` as one object, the last write of each key winning: what a
   * `node-end` event of the subgraph node reports.
   */
  merged(shape: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const merged: Record<string, unknown> = {}
    for (const update of this.updates) for (const key in update) if (key in shape) merged[key] = update[key]
    return merged
  }
}

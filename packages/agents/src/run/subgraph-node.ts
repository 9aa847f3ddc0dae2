import type { Interrupt } from '../checkpoint/checkpoint-record'
import type { NodeFunction } from '../graph/types'
import { type CompiledGraph, runSubgraph } from './compiled-graph'
import { NodeInterrupt, taskScope } from './interrupt'
import { NODE_EVENTS, type NodeEvents } from './run-task'
import { isSubgraphSnapshot, SUBGRAPH_SNAPSHOT_KEY, type SubgraphSnapshot } from './subgraph-snapshot'
import { SubgraphWrites } from './subgraph-writes'

const NO_ANSWERS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>

/**
 * A compiled graph as a node: it runs with the parent's state, and its update is what the
 * subgraph's nodes wrote, in the order the subgraph applied it (a {@link SubgraphWrites}), not its
 * result state: the parent applies each write through its own reducers, so a reducer key does not
 * get the values the subgraph was given a second time, and a key the subgraph never wrote keeps
 * the parent's value.
 *
 * When the subgraph is interrupted, the node keeps where the subgraph stood (a
 * {@link SubgraphSnapshot}) in its task's memo, which the parent writes into its `interrupt`
 * record, and it interrupts the parent with the subgraph's interrupts: their ids prefixed with its
 * task id, their `path` with its name. On resume the node runs again with that memo and the
 * answers under its prefix, and the subgraph goes on from the snapshot: its completed steps and
 * tasks are not run again. @internal
 */
export function subgraphNode<State>(graph: CompiledGraph<any>): NodeFunction<State, unknown> {
  return async (state, context) => {
    const scope = taskScope.getStore()
    const events = (context as unknown as { [NODE_EVENTS]: NodeEvents })[NODE_EVENTS]
    const taskId = scope?.taskId ?? context.node
    const saved = scope?.memo.get(SUBGRAPH_SNAPSHOT_KEY)
    const snapshot = isSubgraphSnapshot(saved) ? saved : undefined
    let answers = NO_ANSWERS
    if (snapshot !== undefined) {
      answers = {}
      const given = scope?.nested ?? {}
      let answered = false
      for (const open of snapshot.interrupts) {
        if (Object.hasOwn(given, open.id)) {
          answers[open.id] = given[open.id]
          answered = true
        }
      }
      // the resume answered other interrupts, none of this subgraph's: it still waits as it was
      if (!answered) throw new NodeInterrupt(lift(snapshot.interrupts, taskId, context.node))
    }
    const stream = events !== undefined && listensToRelay(events)
    const run = runSubgraph(graph, {
      input: state as Record<string, unknown>,
      snapshot,
      answers,
      signal: context.signal,
      stream,
    })
    if (run.events !== undefined) {
      // relay the subgraph's events, each with the path of subgraph nodes it came through
      for await (const event of run.events)
        events.forward({ ...event, path: [context.node, ...((event as { path?: string[] }).path ?? [])] })
    }
    const result = await run.result
    if (result.status === 'interrupted') {
      scope?.memo.set(SUBGRAPH_SNAPSHOT_KEY, run.snapshot() satisfies SubgraphSnapshot | undefined)
      throw new NodeInterrupt(lift(result.interrupts, taskId, context.node))
    }
    const writes = run.writes()
    // a run resumed from a snapshot older than kept writes: its whole state, as that version did
    if (writes === undefined) return result.state as Partial<State>
    return new SubgraphWrites(writes) as unknown as Partial<State>
  }
}

function listensToRelay(events: NodeEvents): boolean {
  return events.listening('node-end') || events.listening('node-start') || events.listening('custom')
}

/** The subgraph's interrupts as the parent reports them. */
function lift(interrupts: readonly Interrupt[], taskId: string, node: string): Interrupt[] {
  return interrupts.map((item) => ({
    ...item,
    id: `${taskId}/${item.id}`,
    path: [node, ...(item.path ?? [])],
  }))
}

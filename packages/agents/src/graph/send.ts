const SEND = Symbol.for('ql.agents.send')

/**
 * One task of a dynamic fan-out: run `node` once with `input` (available as `context.input`), in
 * parallel with the other tasks of the same step. A route returns a list of them to fan out over
 * a list whose length is known only at run time; their updates meet again through the reducers.
 * Make one with {@link send}.
 */
export interface Send<Input = unknown> {
  /** The node to run. */
  readonly node: string
  /** What the node gets as `context.input`; must be JSON-serialisable to be checkpointed. */
  readonly input: Input
  /** @internal */
  readonly [SEND]: true
}

/**
 * A task for a dynamic fan-out (the idea LangGraph calls `Send`):
 *
 * ```ts
 * graph.addConditionalEdges('plan', (state) => state.files.map((file) => send('write', file)))
 * ```
 */
export function send<Input>(node: string, input: Input): Send<Input> {
  return { node, input, [SEND]: true }
}

/** True when `value` is a {@link Send}. */
export function isSend(value: unknown): value is Send {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SEND] === true
}

import type { Executor } from '../executor/executor'
import type { NodeContext } from './node-context'
import type { Send } from './send'

/** Combines a key's current value with a node's update to it (e.g. appending to a list). Must be pure. */
export type Reducer<Value> = (current: Value, update: Value) => Value

/** One optional reducer per state key; a key without one is overwritten by each update. */
export type Reducers<State> = { [Key in keyof State]?: Reducer<State[Key]> }

/** What a node returns: the keys it changes. `undefined` changes nothing. */
export type StateUpdate<State> = Partial<State>

/**
 * A node: an async (or sync) function of the state and a {@link NodeContext}, returning the keys
 * it changes.
 */
export type NodeFunction<State, Input = unknown> = (
  state: State,
  context: NodeContext<Input>,
) => StateUpdate<State> | undefined | Promise<StateUpdate<State> | undefined>

/** Where a conditional edge goes next: a node name, `END`, a {@link Send}, or a list of them. */
export type RouteResult = string | Send | readonly (string | Send)[]

/** The function of a conditional edge: reads the state after the step and picks what runs next. */
export type Route<State> = (state: State) => RouteResult | Promise<RouteResult>

/** When a failed node runs again. Only retryable errors (`error.retryable`) are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 2. */
  retries?: number
  /** The first backoff, in ms (full jitter, doubling). Default 500. */
  minDelayMs?: number
  /** The longest backoff, in ms. Default 10,000. */
  maxDelayMs?: number
  /**
   * An error's `retryAfterMs` is honoured up to this many ms; a longer hint fails the node at
   * once instead of holding the run. Default 60,000.
   */
  maxRetryAfterMs?: number
}

/** Options of one node. */
export interface NodeOptions<State> {
  /** Retries for retryable failures. Default: none. */
  retry?: RetryPolicy
  /** How long one attempt may take, in ms; past it the attempt's signal aborts and it fails with `TimeoutError`. */
  timeoutMs?: number
  /**
   * The keys this node writes. Optional; when given, `compile()` rejects two nodes that can run
   * in the same step and write one key that has no reducer.
   */
  writes?: readonly (keyof State & string)[]
  /**
   * Where the node's tasks run (another process, a Kubernetes Job). Default: in this process.
   * The node's retry policy and timeout still apply, in the host.
   */
  executor?: Executor
}

/** Options of a conditional edge. */
export interface ConditionalEdgeOptions {
  /**
   * Every node the route can return (and `END`). Optional; when given, `compile()` checks the
   * names and finds unreachable nodes through this edge. Without it, every node counts as
   * reachable from here.
   */
  targets?: readonly string[]
}

/** A node as the builder keeps it. @internal */
export interface NodeSpec<State> {
  readonly name: string
  readonly run: NodeFunction<State, unknown>
  readonly options: NodeOptions<State>
  /** A compiled graph run as a node: keys of its result that this state lacks are dropped. */
  readonly subgraph: boolean
}

/** A conditional edge as the builder keeps it. @internal */
export interface BranchSpec<State> {
  readonly from: string
  readonly route: Route<State>
  readonly targets: readonly string[] | undefined
}

/** An edge from several nodes that fires once all of them have run. @internal */
export interface JoinSpec {
  readonly sources: readonly string[]
  readonly target: string
}

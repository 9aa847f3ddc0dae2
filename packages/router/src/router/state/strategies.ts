import type { ChatRequest } from '@ql/provider'
import { RoutingFunctionError } from './routing-function-error'
import type { TargetView } from './target-view'

/**
 * The routing strategies the router has built in. Each orders the targets within a priority
 * tier (see `orderTargets`):
 *
 * - `priority`: configuration order (a fallback chain).
 * - `weighted`: weighted random without replacement: the first target is drawn with
 *   probability weight / total weight, the next from those left, and so on. Weight 0 = only as
 *   a fallback, after every target with a positive weight.
 * - `least-latency`: lowest latency EWMA first. Targets not yet measured come before every
 *   measured one, so each gets measured; then targets whose latency is stale
 *   ({@link TargetView.latencyStale}: no sample for the router's `latencyTtlMs`), lowest last
 *   known latency first, so a target that was slow gets a call that measures it again; then the
 *   rest by latency. Ties go to the one with fewer calls in flight, then to configuration order.
 * - `least-busy`: fewest calls in flight first.
 * - `lowest-cost`: lowest blended price per million tokens first; targets of unknown price last.
 */
export type BuiltInStrategy = 'priority' | 'weighted' | 'least-latency' | 'least-busy' | 'lowest-cost'

/** What a strategy knows about the call it orders targets for. */
export interface StrategyContext {
  /** The request being routed. */
  request: ChatRequest
  /** The call options' metadata, when the caller passed any. */
  metadata: Record<string, unknown> | undefined
  /** 1 for the first attempt of the call, 2 for the first retry, and so on. */
  attempt: number
  /**
   * Every configured target's id. A strategy function may name a configured target that is not
   * eligible for this call (cooling down, at its limit, not matching the route): such ids are
   * dropped silently. Without this set, any id not among the offered targets is an error.
   */
  allTargetIds?: ReadonlySet<string> | undefined
}

/**
 * A user-written strategy: returns the targets to try, in order, as views or as ids. It may
 * leave targets out (they are not tried for this call) and must return synchronously. An id
 * that names no target is a {@link RoutingFunctionError}; repeated ids count once.
 */
export type StrategyFunction = (
  targets: readonly TargetView[],
  context: StrategyContext,
) => readonly TargetView[] | readonly string[]

const BUILT_IN: ReadonlySet<string> = new Set<BuiltInStrategy>([
  'priority',
  'weighted',
  'least-latency',
  'least-busy',
  'lowest-cost',
])

/** True when `value` names a built-in strategy. */
export function isBuiltInStrategy(value: unknown): value is BuiltInStrategy {
  return typeof value === 'string' && BUILT_IN.has(value)
}

/**
 * Orders the eligible targets for one call: the first is tried first, the rest are its
 * fallbacks in order. Runs on every call: O(n log n) in the number of targets, no I/O.
 *
 * Built-in strategies always respect priority tiers: every target of priority 0 comes before
 * any of priority 1, whatever the strategy; the strategy orders targets within a tier, and ties
 * keep configuration order. Out-of-range values are read leniently, never thrown on: a weight
 * that is negative or not finite counts as 0, a priority that is not finite sorts last, a
 * latency or cost that is negative or not finite counts as unknown, an in-flight count that is
 * not finite counts as 0.
 *
 * A {@link StrategyFunction} replaces all of this: its order is used as is (after validation).
 *
 * @param strategy - A built-in strategy name or a function.
 * @param targets - The eligible targets, in configuration order.
 * @param context - The call being routed.
 * @param random - A source of uniform numbers in [0, 1) for `weighted` (default `Math.random`);
 *   inject a seeded one in tests.
 * @returns A new array; `targets` is not changed.
 * @throws {@link RoutingFunctionError} when a strategy function throws or returns ids or views
 *   that name no target, or something that is not an array.
 */
export function orderTargets(
  strategy: BuiltInStrategy | StrategyFunction,
  targets: readonly TargetView[],
  context: StrategyContext,
  random: () => number = Math.random,
): TargetView[] {
  if (typeof strategy === 'function') return runStrategyFunction(strategy, targets, context)
  if (!BUILT_IN.has(strategy)) {
    throw new RoutingFunctionError({
      kind: 'strategy',
      message: `unknown routing strategy ${JSON.stringify(String(strategy))}: use one of ${[...BUILT_IN].join(', ')}, or a function`,
    })
  }
  const count = targets.length
  if (count <= 1) return targets.slice()

  // Sort on (tier, key, secondary, tertiary key, configuration order). Keys are computed once per target
  // into scratch buffers reused across calls (no allocation but the result), then the indices are
  // insertion-sorted: the fastest sort for the handful of targets a router has.
  const reentrant = sorting
  const keys =
    reentrant || scratch.length < KEYS * count ? new Float64Array(KEYS * Math.max(count, 16)) : scratch
  const order = reentrant || orderScratch.length < count ? new Int32Array(Math.max(count, 16)) : orderScratch
  if (!reentrant && keys !== scratch) {
    scratch = keys
    orderScratch = order
  }
  sorting = true
  try {
    fillKeys(strategy, targets, keys, random)
    for (let i = 0; i < count; i++) order[i] = i
    if (count <= 32) {
      for (let i = 1; i < count; i++) {
        const current = order[i] as number
        let j = i - 1
        while (j >= 0 && before(keys, count, current, order[j] as number)) {
          order[j + 1] = order[j] as number
          j--
        }
        order[j + 1] = current
      }
    } else {
      const sorted = Array.from(order.subarray(0, count)).sort((a, b) => (before(keys, count, a, b) ? -1 : 1))
      order.set(sorted)
    }
    const result = new Array<TargetView>(count)
    for (let i = 0; i < count; i++) result[i] = targets[order[i] as number] as TargetView
    return result
  } finally {
    sorting = reentrant
  }
}

/** Sort keys per target: tier, key, secondary, tertiary. */
const KEYS = 4
let scratch = new Float64Array(KEYS * 16)
let orderScratch = new Int32Array(16)
/** True while a built-in sort uses the scratch buffers (an injected `random` could re-enter). */
let sorting = false

/** Writes each target's tier (at i), key (at count + i), secondary (2 count + i) and tertiary key (3 count + i). */
function fillKeys(
  strategy: BuiltInStrategy,
  targets: readonly TargetView[],
  keys: Float64Array,
  random: () => number,
): void {
  const count = targets.length
  for (let i = 0; i < count; i++) {
    const target = targets[i] as TargetView
    keys[i] = Number.isFinite(target.priority) ? target.priority : Number.POSITIVE_INFINITY
    let key = 0
    let secondary = 0
    let tertiary = 0
    switch (strategy) {
      case 'priority':
        break
      case 'weighted': {
        const weight = Number.isFinite(target.weight) && target.weight > 0 ? target.weight : 0
        // An exponential variate of rate `weight`: ordering by it ascending is weighted sampling
        // without replacement (the smallest of independent exponentials is target i with
        // probability weight_i / total). Weight 0 sorts after every positive weight.
        key = weight === 0 ? Number.POSITIVE_INFINITY : -Math.log(1 - uniform(random)) / weight
        break
      }
      case 'least-latency': {
        // Unmeasured targets (0) come before stale ones (1), which come before measured ones (2):
        // both are explored first. Among stale targets the last known latency still orders them.
        const latency = knownNonNegative(target.latencyMs)
        key = latency === undefined ? 0 : target.latencyStale === true ? 1 : 2
        secondary = latency ?? 0
        tertiary = Number.isFinite(target.inFlight) ? target.inFlight : 0
        break
      }
      case 'least-busy':
        key = Number.isFinite(target.inFlight) ? target.inFlight : 0
        break
      case 'lowest-cost':
        key = knownNonNegative(target.costPerMTokens) ?? Number.POSITIVE_INFINITY
        break
    }
    keys[count + i] = key
    keys[2 * count + i] = secondary
    keys[3 * count + i] = tertiary
  }
}

/** True when target `a` sorts before target `b` (ties: configuration order). */
function before(keys: Float64Array, count: number, a: number, b: number): boolean {
  for (let slot = 0; slot < KEYS * count; slot += count) {
    const keyA = keys[slot + a] as number
    const keyB = keys[slot + b] as number
    if (keyA !== keyB) return keyA < keyB
  }
  return a < b
}

function knownNonNegative(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined
}

/** A number in [0, 1) from `random`, whatever it returned. */
function uniform(random: () => number): number {
  const value = random()
  if (!(value >= 0)) return 0 // NaN and negatives
  return value < 1 ? value : 1 - Number.EPSILON
}

function runStrategyFunction(
  strategy: StrategyFunction,
  targets: readonly TargetView[],
  context: StrategyContext,
): TargetView[] {
  let output: unknown
  try {
    output = strategy(targets, context)
  } catch (error) {
    throw new RoutingFunctionError({
      kind: 'strategy',
      message: `the routing strategy function threw: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    })
  }
  if (!Array.isArray(output)) {
    const what =
      output !== null &&
      typeof output === 'object' &&
      typeof (output as { then?: unknown }).then === 'function'
        ? 'a Promise (strategy functions must return synchronously)'
        : output === null
          ? 'null'
          : typeof output
    throw new RoutingFunctionError({
      kind: 'strategy',
      message: `the routing strategy function must return an array of targets or target ids; it returned ${what}`,
    })
  }
  // Ids to views: a scan for the few targets a router usually has, a map for many.
  let byId: Map<string, number> | undefined
  if (targets.length > 16) {
    byId = new Map()
    for (let i = 0; i < targets.length; i++) byId.set((targets[i] as TargetView).id, i)
  }
  const taken = new Uint8Array(targets.length)
  let seenUnknown: Set<string> | undefined
  const result: TargetView[] = []
  const unknownIds: string[] = []
  for (let i = 0; i < output.length; i++) {
    const entry: unknown = output[i]
    const id =
      typeof entry === 'string'
        ? entry
        : entry !== null && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string'
          ? (entry as { id: string }).id
          : undefined
    if (id === undefined) {
      throw new RoutingFunctionError({
        kind: 'strategy',
        message: `the routing strategy function returned an invalid entry at index ${i} (${entry === null ? 'null' : typeof entry}): return target views or target id strings`,
      })
    }
    const index = byId === undefined ? indexOfId(targets, id) : (byId.get(id) ?? -1)
    if (index >= 0) {
      // The router's own view, not the returned object: a function cannot change weights or ids.
      // Repeated ids count once.
      if (taken[index] === 0) {
        taken[index] = 1
        result.push(targets[index] as TargetView)
      }
    } else if (context.allTargetIds?.has(id) !== true) {
      seenUnknown ??= new Set()
      if (!seenUnknown.has(id)) {
        seenUnknown.add(id)
        unknownIds.push(id)
      }
    }
  }
  if (unknownIds.length > 0) {
    const shown = unknownIds.slice(0, 10).map((id) => JSON.stringify(id.slice(0, 100)))
    throw new RoutingFunctionError({
      kind: 'strategy',
      unknownIds,
      message: `the routing strategy function returned ${unknownIds.length === 1 ? 'an id' : 'ids'} no target has: ${shown.join(', ')}${unknownIds.length > 10 ? ', …' : ''}; known targets: ${targets
        .slice(0, 10)
        .map((target) => JSON.stringify(target.id))
        .join(', ')}`,
    })
  }
  return result
}

function indexOfId(targets: readonly TargetView[], id: string): number {
  for (let i = 0; i < targets.length; i++) if ((targets[i] as TargetView).id === id) return i
  return -1
}

/**
 * What a routing strategy sees of one target at the moment of one call: a read-only snapshot
 * the router builds from the target's configuration and its live state. Strategies never
 * change it.
 */
export interface TargetView {
  /** The target's id, unique within the router. */
  id: string
  /** Relative share for the `weighted` strategy (default 1; 0 = only as a fallback). */
  weight: number
  /** Lower runs first; a target of a higher number is tried only after every lower one (default 0). */
  priority: number
  /** Calls in flight on this target now (`TargetLimiter.inFlight`). */
  inFlight: number
  /**
   * Latency EWMA in milliseconds, `undefined` while unmeasured: time to first token when
   * the call is a stream, total time when it is `generate`.
   */
  latencyMs: number | undefined
  /** Blended input + output price per million tokens, for `lowest-cost`; `undefined` when unknown. */
  costPerMTokens: number | undefined
  /** The target's configured tags. */
  tags: readonly string[]
}

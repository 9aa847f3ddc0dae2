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
  /**
   * True when `latencyMs` is stale: its newest sample is older than the router's `latencyTtlMs`
   * and no call of this router is measuring the target again right now. `least-latency` tries a
   * stale target before the targets with a fresh latency, so one call at a time finds out whether
   * it got faster (or slower); while that call runs, the flag is false and `latencyMs` is the last
   * known value. Absent (false) when the latency is fresh or unmeasured.
   */
  latencyStale?: boolean
  /** Blended input + output price per million tokens, for `lowest-cost`; `undefined` when unknown. */
  costPerMTokens: number | undefined
  /** The target's configured tags. */
  tags: readonly string[]
}

/** A value, or a promise of it: the in-memory store answers synchronously, a shared store (Redis) asynchronously. */
export type MaybePromise<T> = T | Promise<T>

/** Which latency an EWMA measures: time to first token (streams) or total time (`generate`). */
export type LatencyKind = 'ttft' | 'total'

/** A circuit breaker's state. */
export type BreakerState = 'closed' | 'open' | 'half-open'

/**
 * A circuit breaker's state as stored for a target, so that every router sharing a store (every
 * replica of a host, with a shared store) sees a breaker another one opened.
 */
export interface BreakerSnapshot {
  /** The state. */
  state: BreakerState
  /**
   * Epoch ms when the breaker entered this state. A write whose `since` is older than the stored
   * snapshot's is ignored, so a replica's late report cannot undo a newer change.
   */
  since: number
  /** When `open`: epoch ms from which a half-open probe may be sent. */
  retryAt?: number
  /** Failures counted when the snapshot was taken (for `health()`). */
  failures?: number
}

/** One target's shared state, as read for one routing decision. */
export interface TargetStateSnapshot {
  /** The target's id. */
  targetId: string
  /** Epoch ms until which the target is cooling down; `undefined` when it is not. */
  cooldownUntil: number | undefined
  /** The breaker's stored state, when one was stored. */
  breaker: BreakerSnapshot | undefined
  /** Time-to-first-token EWMA in ms (streams), `undefined` while unmeasured. */
  ttftMs: number | undefined
  /** Total-time EWMA in ms (`generate`), `undefined` while unmeasured. */
  totalMs: number | undefined
  /**
   * When the newest time-to-first-token sample was recorded (epoch ms). The router treats a
   * shared latency older than its `latencyTtlMs` as stale; a store that leaves this out has its
   * latencies taken as fresh, whatever their age.
   */
  ttftAt?: number | undefined
  /** When the newest total-time sample was recorded (epoch ms); see `ttftAt`. */
  totalAt?: number | undefined
}

/** Options of {@link RouterStateStore.recordLatency}. */
export interface LatencySampleOptions {
  /**
   * When the EWMA's newest sample is older than this (ms, by the store's clock), the average is
   * stale: the new sample replaces it instead of moving it by `alpha`. The router passes its
   * `latencyTtlMs`, so that a target that recovered is seen at its new speed at once.
   */
  maxAgeMs?: number | undefined
}

/** A request for shared rpm/tpm capacity (see {@link RouterStateStore.reserveCapacity}). */
export interface CapacityRequest {
  /** The target's requests-per-minute limit, if any. */
  rpm?: number | undefined
  /** The target's tokens-per-minute limit, if any. */
  tpm?: number | undefined
  /** The call's estimated tokens. */
  tokens: number
}

/** The answer to {@link RouterStateStore.reserveCapacity}. */
export type CapacityReservation =
  | { ok: true /** Pass to `settleCapacity`. */; reservationId: string }
  | { ok: false; reason: 'rpm' | 'tpm' /** Epoch ms when the call could fit. */; retryAt: number }

/**
 * Where a router keeps the per-target state that should outlive one call: cooldown deadlines,
 * circuit-breaker snapshots and latency averages. The default, {@link createMemoryRouterState},
 * keeps it in the process; a shared implementation (Redis, `@ql/router/redis`) lets every replica
 * of a host see the same state.
 *
 * Contract for implementers:
 * - Every method may return its value or a promise of it; the router awaits whatever it gets. An
 *   in-process store should answer synchronously (no promise costs nothing on the hot path).
 * - Each method is one atomic step on one target's state, so a networked store can implement it
 *   as one script (a Redis Lua script, or MULTI/EXEC): the read-modify-write ones
 *   (`extendCooldown`, `setBreaker`, `recordLatency`, `reserveCapacity`) must not lose a
 *   concurrent update from another process.
 * - {@link RouterStateStore.readTargets} reads every target the router is choosing between in one
 *   round trip; it is the only call on the routing hot path.
 * - Times are epoch milliseconds from the router's clock. A store may expire entries (a cooldown
 *   at its deadline, latencies after a day unused) but must never report a cooldown that has not
 *   been set, or shorten one. Latencies are reported with the time of their newest sample, so
 *   the router can tell a stale one (older than its `latencyTtlMs`) from a fresh one.
 * - A store that cannot be reached should throw (or reject); the router then falls back to its
 *   local state and reports it in an event, never failing the user's call because of it.
 * - Target ids are the router's own; a shared store namespaces its keys (per router) itself.
 */
export interface RouterStateStore {
  /** What kind of store this is, for events and `health()`: `memory`, `redis`. */
  readonly kind: string

  /**
   * The shared state of each target, in the order of `targetIds` (unknown targets read as empty:
   * no cooldown, no breaker, unmeasured). One round trip; called once per routing decision.
   */
  readTargets(targetIds: readonly string[]): MaybePromise<TargetStateSnapshot[]>

  /** When the target's cooldown ends (epoch ms), or `undefined` when it is not cooling down. */
  getCooldown(targetId: string): MaybePromise<number | undefined>

  /**
   * Cools a target down until `until` (epoch ms). Extend-only: a later deadline replaces an
   * earlier one, an earlier one never shortens the current cooldown (re-cooling a target that
   * keeps failing must keep it out longer, not let it back in at the first, shorter deadline).
   * A deadline that is not finite is ignored.
   *
   * @returns The cooldown in force after the call (epoch ms); `until` or a later one.
   */
  extendCooldown(targetId: string, until: number): MaybePromise<number | undefined>

  /** Ends a target's cooldown now (a probe succeeded). The one way a cooldown ends early. */
  clearCooldown(targetId: string): MaybePromise<void>

  /** The target's last stored breaker snapshot, or `undefined` when none was stored. */
  getBreaker(targetId: string): MaybePromise<BreakerSnapshot | undefined>

  /**
   * Stores a breaker snapshot unless the stored one is newer (`since` later than this one's).
   *
   * @returns The snapshot stored after the call: this one, or the newer one that was kept.
   */
  setBreaker(targetId: string, snapshot: BreakerSnapshot): MaybePromise<BreakerSnapshot>

  /** The target's latency EWMA of this kind in ms, or `undefined` while unmeasured. */
  getLatency(targetId: string, kind: LatencyKind): MaybePromise<number | undefined>

  /**
   * Adds one latency sample to the target's EWMA of this kind (atomically: in Redis, one script
   * reads, updates and writes it) and stores when it was taken (`ttftAt` / `totalAt` in
   * `readTargets`). Samples that are negative or not finite are ignored. With
   * `options.maxAgeMs`, a sample that follows a stale average replaces it.
   *
   * @returns The EWMA after the sample (`undefined` if still unmeasured).
   */
  recordLatency(
    targetId: string,
    kind: LatencyKind,
    ms: number,
    options?: LatencySampleOptions,
  ): MaybePromise<number | undefined>

  /**
   * Optional: shared rpm/tpm capacity, for stores that enforce a target's limits across
   * processes (the in-memory store leaves this out: the router's own `TargetLimiter` already
   * counts everything in one process). When a store has it, the router calls it after its local
   * limiter has granted a call (which still enforces `maxConcurrency` and queues waiters); a
   * refusal releases the local lease and counts as the target being at its limit until
   * `retryAt`. Sliding 60-second windows, atomic (a Redis sorted set per target in one script).
   */
  reserveCapacity?(targetId: string, request: CapacityRequest): MaybePromise<CapacityReservation>

  /**
   * Optional, with `reserveCapacity`: corrects a reservation's token estimate with the call's
   * actual usage (0 when the call never reached the provider). Unknown or expired reservations
   * are ignored.
   */
  settleCapacity?(targetId: string, reservationId: string, actualTokens: number): MaybePromise<void>

  /** Optional: releases the store's resources (connections, timers). */
  close?(): MaybePromise<void>
}

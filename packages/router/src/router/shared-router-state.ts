import { RateLimitedError } from '@ql/provider'
import type { EventEmitter } from 'eventemitter3'
import { abortableDelay } from './abortable-delay'
import type { RouterEvents } from './router-events'
import type { BreakerSnapshot, LatencyKind, RouterStateStore } from './state/router-state-store'
import type { AcquireOptions, Lease } from './state/target-limiter'
import type { TargetRuntime } from './target-runtime'

/**
 * A router's link to its {@link RouterStateStore}: reads what other routers sharing the store know
 * before each call, writes what this one learns (cooldowns, breaker changes, latencies), and takes
 * shared rpm/tpm capacity when the store offers it. A store that fails never fails a call: the
 * router goes on with its own state, and a `state-store` event says when the store stopped and
 * when it answered again.
 */
export class SharedRouterState {
  readonly store: RouterStateStore
  /** Whether the store takes shared rpm/tpm capacity. */
  readonly sharesCapacity: boolean
  readonly #events: EventEmitter<RouterEvents>
  readonly #now: () => number
  #available = true

  constructor(store: RouterStateStore, events: EventEmitter<RouterEvents>, now: () => number) {
    this.store = store
    this.sharesCapacity = typeof store.reserveCapacity === 'function'
    this.#events = events
    this.#now = now
  }

  /**
   * Learns what other routers sharing the store know: cooldowns they set, breakers they opened (a
   * breaker open elsewhere keeps the target out here until its probe time), and the shared latency
   * averages (which strategies use from the next call on).
   */
  async read(targets: readonly TargetRuntime[], now: number): Promise<void> {
    if (targets.length === 0) return
    let snapshots: Awaited<ReturnType<RouterStateStore['readTargets']>>
    try {
      snapshots = await this.store.readTargets(targets.map((target) => target.id))
    } catch (error) {
      this.#failed('readTargets', error)
      return
    }
    this.#answered()
    snapshots.forEach((snapshot, index) => {
      const target = targets[index]
      if (target === undefined) return
      if (snapshot.cooldownUntil !== undefined && snapshot.cooldownUntil > now)
        target.coolUntil(snapshot.cooldownUntil)
      const breaker = snapshot.breaker
      if (breaker?.state === 'open' && breaker.retryAt !== undefined && breaker.retryAt > now) {
        target.coolUntil(breaker.retryAt)
      }
      target.sharedTtftMs = snapshot.ttftMs
      target.sharedTotalMs = snapshot.totalMs
      target.sharedTtftAt = snapshot.ttftAt
      target.sharedTotalAt = snapshot.totalAt
    })
  }

  /** Shares a cooldown (extend-only). */
  extendCooldown(targetId: string, until: number): void {
    this.#write('extendCooldown', () => this.store.extendCooldown(targetId, until))
  }

  /** Shares a breaker's new state. */
  setBreaker(targetId: string, snapshot: BreakerSnapshot): void {
    this.#write('setBreaker', () => this.store.setBreaker(targetId, snapshot))
  }

  /**
   * Adds a latency sample to the shared average; with `maxAgeMs` (the router's `latencyTtlMs`), a
   * sample after a stale average replaces it.
   */
  recordLatency(targetId: string, kind: LatencyKind, ms: number, maxAgeMs: number | undefined): void {
    this.#write('recordLatency', () =>
      maxAgeMs === undefined
        ? this.store.recordLatency(targetId, kind, ms)
        : this.store.recordLatency(targetId, kind, ms, { maxAgeMs }),
    )
  }

  /**
   * Takes shared capacity for a call the target's local limiter granted (`lease`): resolves with
   * a lease that also settles the shared reservation when released, or with the epoch ms at which
   * the call could fit when the shared window is full (the local lease is then released). When
   * the target has no rpm/tpm limit, or the store cannot be reached, the local lease stands.
   */
  async reserve(target: TargetRuntime, lease: Lease, tokens: number): Promise<Lease | number> {
    const limits = target.limiter.limits
    const reserve = this.store.reserveCapacity
    if (reserve === undefined || (limits.rpm === undefined && limits.tpm === undefined)) return lease
    let reservation: Awaited<ReturnType<typeof reserve>>
    try {
      reservation = await reserve.call(this.store, target.id, { rpm: limits.rpm, tpm: limits.tpm, tokens })
    } catch (error) {
      this.#failed('reserveCapacity', error)
      return lease
    }
    this.#answered()
    if (!reservation.ok) {
      // the call never happens: it must not count against this process's window either
      lease.cancel()
      return reservation.retryAt
    }
    const { reservationId } = reservation
    let released = false
    return {
      release: (actualTokens?: number) => {
        lease.release(actualTokens)
        if (released) return
        released = true
        // only a tpm window cares how many tokens the call really used
        if (limits.tpm === undefined || actualTokens === undefined || actualTokens === tokens) return
        this.#write('settleCapacity', () =>
          this.store.settleCapacity?.(target.id, reservationId, actualTokens),
        )
      },
      // the call did not happen after all: free the local slot; the shared reservation stays
      // counted (a shared window only errs on the safe side)
      cancel: () => {
        released = true
        lease.cancel()
      },
    }
  }

  /**
   * Waits for capacity on `target`, here (its limiter's queue) and in the shared window, within
   * `options.deadline` (the router's `waitForCapacity`). Rejects like `TargetLimiter.acquire`: a
   * `RateLimitedError` when the shared window has no room before the deadline.
   */
  async acquire(target: TargetRuntime, tokens: number, options: AcquireOptions): Promise<Lease> {
    for (;;) {
      const lease = await target.limiter.acquire(tokens, options)
      const shared = await this.reserve(target, lease, tokens)
      if (typeof shared !== 'number') return shared
      const now = this.#now()
      if (!Number.isFinite(shared) || shared >= options.deadline) {
        throw new RateLimitedError({
          message: `${target.id}: the rpm/tpm limits it shares with other routers leave no room before the call's deadline`,
          ...(Number.isFinite(shared) ? { retryAfterMs: shared - now } : {}),
        })
      }
      await abortableDelay(shared - now, options.signal)
    }
  }

  /** Runs a write without waiting for it; a failure is reported, never thrown. */
  #write(operation: string, write: () => unknown): void {
    let result: unknown
    try {
      result = write()
    } catch (error) {
      this.#failed(operation, error)
      return
    }
    if (result instanceof Promise) {
      result.then(
        () => this.#answered(),
        (error: unknown) => this.#failed(operation, error),
      )
    } else {
      this.#answered()
    }
  }

  #failed(operation: string, error: unknown): void {
    if (!this.#available) return
    this.#available = false
    this.#events.emit('state-store', { store: this.store.kind, available: false, operation, error })
  }

  #answered(): void {
    if (this.#available) return
    this.#available = true
    this.#events.emit('state-store', { store: this.store.kind, available: true })
  }
}

import { EventEmitter } from 'node:events'
import { isQlError } from '@ql/provider'
import CircuitBreaker from 'opossum'
import { isTargetFailure } from './is-target-failure'
import type { BreakerState } from './router-events'

/** What a {@link TargetBreaker} is built with (defaults applied). */
export interface TargetBreakerOptions {
  errorThresholdPercentage: number
  volumeThreshold: number
  resetTimeoutMs: number
  rollingWindowMs: number
  now: () => number
  onStateChange: (state: BreakerState, previous: BreakerState) => void
}

const BUCKETS = 10

/**
 * One target's circuit breaker, on opossum: it counts the failures {@link isTargetFailure} says
 * are the target's, opens past the threshold, lets one probe through after `resetTimeoutMs`
 * (half-open), closes when the probe succeeds and opens again when it fails.
 *
 * opossum's rolling window normally rotates on two intervals per breaker; here the buckets rotate
 * when the breaker is used, from the clock, so an idle router holds no timer but the one an open
 * breaker needs to turn half-open (cleared by {@link shutdown}).
 */
export class TargetBreaker {
  readonly #breaker: CircuitBreaker<[() => Promise<unknown>], unknown>
  readonly #rotation = new EventEmitter()
  readonly #bucketMs: number
  readonly #resetTimeoutMs: number
  readonly #now: () => number
  #rotatedAt: number
  #state: BreakerState = 'closed'
  #openedAt = 0

  constructor(options: TargetBreakerOptions) {
    this.#now = options.now
    this.#bucketMs = Math.max(1, Math.floor(options.rollingWindowMs / BUCKETS))
    this.#resetTimeoutMs = options.resetTimeoutMs
    this.#rotatedAt = options.now()
    this.#breaker = new CircuitBreaker((run: () => Promise<unknown>) => run(), {
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      resetTimeout: options.resetTimeoutMs,
      rollingCountTimeout: options.rollingWindowMs,
      rollingCountBuckets: BUCKETS,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      rotateBucketController: this.#rotation,
      // opossum counts a filtered error as a success: the caller's mistakes and aborts are not the
      // target's. An aborted probe proves nothing either way: it counts as a failure, so the
      // breaker opens again and probes later, rather than closing on no evidence.
      errorFilter: (error: unknown) => {
        if (!isQlError(error)) return true
        if (error.code === 'aborted') return !this.#breaker.halfOpen
        return !isTargetFailure(error)
      },
    })
    const move = (state: BreakerState) => {
      const previous = this.#state
      if (previous === state) return
      this.#state = state
      if (state === 'open') this.#openedAt = this.#now()
      options.onStateChange(state, previous)
    }
    this.#breaker.on('open', () => move('open'))
    this.#breaker.on('halfOpen', () => move('half-open'))
    this.#breaker.on('close', () => move('closed'))
  }

  /** The breaker's state now. */
  get state(): BreakerState {
    return this.#state
  }

  /** When an open breaker lets its probe through (epoch ms); `undefined` unless open. */
  get probeAt(): number | undefined {
    return this.#state === 'open' ? this.#openedAt + this.#resetTimeoutMs : undefined
  }

  /** Whether a call may go to the target now: closed, or half-open with its probe not yet taken. */
  allows(): boolean {
    return this.#breaker.closed || (this.#breaker.halfOpen && this.#breaker.pendingClose)
  }

  /**
   * Runs one attempt through the breaker; call only right after {@link allows} said yes. Its
   * outcome is counted when `run` settles (for a stream: when the stream ends).
   */
  run<T>(run: () => Promise<T>): Promise<T> {
    this.#rotate()
    return this.#breaker.fire(run) as Promise<T>
  }

  /** Stops the breaker's timer and listeners; the router calls it on `close()`. */
  shutdown(): void {
    this.#breaker.shutdown()
    this.#rotation.removeAllListeners()
  }

  /** Rotates the rolling window's buckets for the time that passed since the last rotation. */
  #rotate(): void {
    const now = this.#now()
    const elapsed = Math.floor((now - this.#rotatedAt) / this.#bucketMs)
    if (elapsed <= 0) return
    this.#rotatedAt += elapsed * this.#bucketMs
    for (let i = 0; i < Math.min(elapsed, BUCKETS); i++) this.#rotation.emit('rotate')
  }
}

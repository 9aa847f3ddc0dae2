import { AbortedError, RateLimitedError } from '@ql/provider'
import { InvalidRouterConfigError } from './invalid-router-config-error'
import type { RateLimitHeaders } from './read-rate-limit-headers'
import { readRateLimitHeaders } from './read-rate-limit-headers'

/** A target's own limits. Every field is optional; a missing one (or `Infinity`) is no limit. */
export interface TargetLimits {
  /** Requests per minute: at most this many calls start in any 60-second window. Whole number ≥ 1. */
  rpm?: number | undefined
  /** Tokens per minute: the estimated (then actual) tokens of the calls started in any 60-second window. Whole number ≥ 1. */
  tpm?: number | undefined
  /** Calls in flight at once. Whole number ≥ 1. */
  maxConcurrency?: number | undefined
}

/** Why a target cannot take a call now. */
export type LimitReason = 'rpm' | 'tpm' | 'concurrency' | 'provider-reported'

/** What {@link TargetLimiter.tryAcquire} answers. */
export type AcquireResult =
  | { ok: true; lease: Lease }
  | {
      ok: false
      /** The limit that blocks the call (the provider's own report first, concurrency last). */
      reason: LimitReason
      /**
       * Epoch ms: the earliest time the call could fit. `Infinity` when only a release can free
       * capacity (`concurrency`) or the call can never fit (`tpm`: more tokens than the whole
       * limit). A lower bound when calls are already waiting in {@link TargetLimiter.acquire}.
       */
      retryAt: number
    }

/** The capacity one call holds. */
export interface Lease {
  /**
   * Frees the concurrency slot and corrects the call's token estimate with `actualTokens` (input
   * plus output, when known; pass 0 for a call that never reached the provider). Idempotent: only
   * the first call counts. Wakes the next waiter at once if it now fits.
   */
  release(actualTokens?: number): void
  /**
   * The call never happened (a shared limit refused it, say): frees the concurrency slot and takes
   * the call out of the rpm/tpm window, as if it had not been granted. Idempotent, and a no-op after
   * `release`.
   */
  cancel(): void
}

/** Options of {@link TargetLimiter.acquire}. */
export interface AcquireOptions {
  /** Epoch ms (on the limiter's clock) after which to give up waiting; `Infinity` waits until aborted. */
  deadline: number
  /** Cancels the wait. */
  signal?: AbortSignal | undefined
}

/** A limiter's state, for `health()` and events. */
export interface TargetLimiterUsage {
  /** Calls holding a lease. */
  inFlight: number
  /** Calls waiting in {@link TargetLimiter.acquire}. */
  waiting: number
  /** Calls started in the last 60 s (counted only when an rpm or tpm limit is set). */
  requestsInWindow: number
  /** Tokens of the calls started in the last 60 s (counted only when an rpm or tpm limit is set). */
  tokensInWindow: number
  /** Epoch ms until which the provider said to send nothing, when it said so. */
  providerBlockedUntil?: number
}

const WINDOW_MS = 60_000
/** setTimeout's longest delay; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647

interface WindowEntry {
  time: number
  tokens: number
  /** False once evicted from the window (a late correction must not change the sum). */
  live: boolean
  /** Cancelled: still in the window's list, but counted for nothing. */
  cancelled?: boolean
}

interface Waiter {
  tokens: number
  deadline: number
  resolve: (lease: Lease) => void
  reject: (error: unknown) => void
  settled: boolean
  timer: ReturnType<typeof setTimeout> | undefined
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

interface Block {
  reason: LimitReason
  retryAt: number
}

/**
 * One target's rate and concurrency limits: requests per minute and tokens per minute over a
 * sliding 60-second window, and calls in flight. Also learns the provider's own view of its
 * remaining capacity from response headers ({@link TargetLimiter.observeHeaders}).
 *
 * Pure in-process state with an injectable clock; the only timers are the ones
 * {@link TargetLimiter.acquire} needs while a call waits, and none outlives the wait.
 * `tryAcquire` and `release` are amortised O(1).
 *
 * Waiters are served first come, first served: while a call waits, `tryAcquire` does not jump
 * the queue.
 */
export class TargetLimiter {
  /** The limits in force (validated). */
  readonly limits: Readonly<TargetLimits>
  readonly #now: () => number
  readonly #rpm: number
  readonly #tpm: number
  readonly #maxConcurrency: number
  readonly #windowed: boolean
  #inFlight = 0
  // The sliding window: calls in start order, from `#head` on; older ones were evicted.
  #entries: WindowEntry[] = []
  /** Cancelled entries still in the window (not counted against rpm). */
  #cancelledInWindow = 0
  #head = 0
  #tokensInWindow = 0
  // What the provider said about its own limits.
  #providerBlockedUntil = 0
  #providerRequestsRemaining: number | undefined
  #providerRequestsResetAt = 0
  #providerTokensRemaining: number | undefined
  #providerTokensResetAt = 0
  // Calls waiting in acquire, first come first served; settled ones are skipped lazily.
  #waiters: Waiter[] = []
  #waitersHead = 0
  #waiting = 0
  #wakeTimer: ReturnType<typeof setTimeout> | undefined
  #wakeAt = Number.POSITIVE_INFINITY
  #pumping = false

  /**
   * @param limits - The target's limits; `undefined` for none (the limiter then only counts calls in flight).
   * @param now - The clock, epoch ms (default `Date.now`); inject one in tests.
   * @param configPath - How error messages name the limits (default `limits`), e.g. `targets[2].limits`.
   * @throws {@link InvalidRouterConfigError} when a limit is not a whole number ≥ 1 (or `Infinity`).
   */
  constructor(limits: TargetLimits | undefined, now: () => number = Date.now, configPath = 'limits') {
    if (limits !== undefined && (limits === null || typeof limits !== 'object')) {
      throw new InvalidRouterConfigError({
        path: configPath,
        message: `${configPath} must be an object like { rpm, tpm, maxConcurrency }; got ${limits === null ? 'null' : typeof limits}`,
      })
    }
    this.#now = now
    this.#rpm = readLimit(limits?.rpm, `${configPath}.rpm`)
    this.#tpm = readLimit(limits?.tpm, `${configPath}.tpm`)
    this.#maxConcurrency = readLimit(limits?.maxConcurrency, `${configPath}.maxConcurrency`)
    this.#windowed = this.#rpm !== Number.POSITIVE_INFINITY || this.#tpm !== Number.POSITIVE_INFINITY
    const checked: TargetLimits = {}
    if (this.#rpm !== Number.POSITIVE_INFINITY) checked.rpm = this.#rpm
    if (this.#tpm !== Number.POSITIVE_INFINITY) checked.tpm = this.#tpm
    if (this.#maxConcurrency !== Number.POSITIVE_INFINITY) checked.maxConcurrency = this.#maxConcurrency
    this.limits = Object.freeze(checked)
  }

  /** Calls holding a lease now. */
  get inFlight(): number {
    return this.#inFlight
  }

  /** Calls waiting in {@link TargetLimiter.acquire} now. */
  get waiting(): number {
    return this.#waiting
  }

  /**
   * Takes capacity for one call of about `tokens` tokens (input plus expected output), or says
   * which limit blocks it and when capacity may free up. Never waits, never throws. A token
   * estimate that is negative or not finite counts as 0.
   */
  tryAcquire(tokens: number): AcquireResult {
    const estimate = readTokens(tokens)
    if (this.#waiting > 0) {
      this.#pump()
      if (this.#waiting > 0) {
        const now = this.#now()
        const block = this.#check(estimate, now) ??
          this.#check(this.#peekWaiter()?.tokens ?? estimate, now) ?? {
            reason: 'concurrency',
            retryAt: Number.POSITIVE_INFINITY,
          }
        return { ok: false, reason: block.reason, retryAt: block.retryAt }
      }
    }
    const now = this.#now()
    const block = this.#check(estimate, now)
    if (block !== undefined) return { ok: false, reason: block.reason, retryAt: block.retryAt }
    return { ok: true, lease: this.#grant(estimate, now) }
  }

  /**
   * Waits until the call fits, first come first served, and resolves with its lease at once when
   * a release or the window makes room. Rejects with a `RateLimitedError` (its `retryAfterMs`
   * says when capacity is expected, when known) when the deadline passes, or at once when the
   * limits say the call cannot fit before the deadline; with an `AbortedError` when `signal`
   * aborts. Leaves no timer or listener behind once settled.
   *
   * @throws {@link InvalidRouterConfigError} (as a rejection) when `deadline` is not a number.
   */
  acquire(tokens: number, options: AcquireOptions): Promise<Lease> {
    const { deadline, signal } = options
    if (typeof deadline !== 'number' || Number.isNaN(deadline)) {
      return Promise.reject(
        new InvalidRouterConfigError({
          path: 'deadline',
          message: `acquire needs a deadline in epoch ms (or Infinity); got ${String(deadline)}`,
        }),
      )
    }
    if (signal?.aborted === true) return Promise.reject(abortedError(signal))
    const estimate = readTokens(tokens)
    const now = this.#now()
    let block = this.#check(estimate, now)
    if (block === undefined) {
      if (this.#waiting === 0) return Promise.resolve(this.#grant(estimate, now))
      // It fits, but others were first: it waits behind them, blocked by what blocks them.
      const first = this.#peekWaiter()
      if (first !== undefined) block = this.#check(first.tokens, now)
    }
    if (deadline <= now || (block !== undefined && cannotFitBefore(block, deadline))) {
      return Promise.reject(this.#deadlineError(block, now))
    }
    return new Promise<Lease>((resolve, reject) => {
      const waiter: Waiter = {
        tokens: estimate,
        deadline,
        resolve,
        reject,
        settled: false,
        timer: undefined,
        signal,
        onAbort: undefined,
      }
      if (signal !== undefined) {
        waiter.onAbort = () => {
          this.#settle(waiter)
          reject(abortedError(signal))
          this.#pump()
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      if (deadline !== Number.POSITIVE_INFINITY) this.#armDeadline(waiter)
      this.#waiters.push(waiter)
      this.#waiting++
      this.#pump()
    })
  }

  /**
   * Learns the provider's view of its remaining capacity from a response's headers (see
   * `readRateLimitHeaders`): when it says no requests (or fewer tokens than a call needs) remain
   * until a reset time, calls are refused with reason `provider-reported` until then; a
   * `retry-after` blocks the target for that long. A block only ever extends; a later report of
   * remaining capacity replaces an earlier one. A remaining count without a reset time is ignored
   * (we could not know when it ends). Malformed headers are ignored.
   */
  observeHeaders(headers: RateLimitHeaders | undefined): void {
    if (headers === undefined) return
    const now = this.#now()
    const snapshot = readRateLimitHeaders(headers, now)
    if (snapshot.retryAfterMs !== undefined && snapshot.retryAfterMs > 0) {
      this.#providerBlockedUntil = Math.max(this.#providerBlockedUntil, now + snapshot.retryAfterMs)
    }
    if (
      snapshot.remainingRequests !== undefined &&
      snapshot.requestsResetAt !== undefined &&
      snapshot.requestsResetAt > now
    ) {
      this.#providerRequestsRemaining = snapshot.remainingRequests
      this.#providerRequestsResetAt = snapshot.requestsResetAt
    }
    if (
      snapshot.remainingTokens !== undefined &&
      snapshot.tokensResetAt !== undefined &&
      snapshot.tokensResetAt > now
    ) {
      this.#providerTokensRemaining = snapshot.remainingTokens
      this.#providerTokensResetAt = snapshot.tokensResetAt
    }
    if (this.#waiting > 0) this.#pump()
  }

  /** The limiter's current counts. */
  usage(): TargetLimiterUsage {
    const now = this.#now()
    this.#evict(now)
    const usage: TargetLimiterUsage = {
      inFlight: this.#inFlight,
      waiting: this.#waiting,
      requestsInWindow: this.#entries.length - this.#head - this.#cancelledInWindow,
      tokensInWindow: this.#tokensInWindow,
    }
    const blockedUntil = this.#providerBlock(0, now)?.retryAt
    if (blockedUntil !== undefined) usage.providerBlockedUntil = blockedUntil
    return usage
  }

  /**
   * Rejects every waiting call with an `AbortedError` and clears the limiter's timer (for a
   * router that is being shut down). Leases already held stay valid; the limiter stays usable.
   */
  cancelWaiting(reason = 'the router stopped waiting for capacity'): void {
    for (let i = this.#waitersHead; i < this.#waiters.length; i++) {
      const waiter = this.#waiters[i] as Waiter
      if (waiter.settled) continue
      this.#settle(waiter)
      waiter.reject(new AbortedError({ message: reason }))
    }
    this.#waiters = []
    this.#waitersHead = 0
    this.#clearWake()
  }

  /** Why a call of `tokens` cannot start at `now`, or `undefined` when it can. */
  #check(tokens: number, now: number): Block | undefined {
    let reason: LimitReason | undefined
    let retryAt = Number.NEGATIVE_INFINITY
    const provider = this.#providerBlock(tokens, now)
    if (provider !== undefined) {
      reason = provider.reason
      retryAt = provider.retryAt
    }
    if (this.#windowed) {
      this.#evict(now)
      const count = this.#entries.length - this.#head - this.#cancelledInWindow
      if (count >= this.#rpm) {
        reason ??= 'rpm'
        retryAt = Math.max(retryAt, (this.#entries[this.#head] as WindowEntry).time + WINDOW_MS)
      }
      if (this.#tokensInWindow + tokens > this.#tpm) {
        reason ??= 'tpm'
        retryAt = Math.max(retryAt, this.#tokensFreeAt(tokens))
      }
    }
    if (this.#inFlight >= this.#maxConcurrency) {
      reason ??= 'concurrency'
      if (retryAt === Number.NEGATIVE_INFINITY) retryAt = Number.POSITIVE_INFINITY
    }
    return reason === undefined ? undefined : { reason, retryAt }
  }

  /** The provider's own block for a call of `tokens`, forgetting reports whose reset has passed. */
  #providerBlock(tokens: number, now: number): Block | undefined {
    let retryAt = this.#providerBlockedUntil > now ? this.#providerBlockedUntil : Number.NEGATIVE_INFINITY
    if (this.#providerRequestsRemaining !== undefined) {
      if (now >= this.#providerRequestsResetAt) this.#providerRequestsRemaining = undefined
      else if (this.#providerRequestsRemaining < 1) retryAt = Math.max(retryAt, this.#providerRequestsResetAt)
    }
    if (this.#providerTokensRemaining !== undefined) {
      if (now >= this.#providerTokensResetAt) this.#providerTokensRemaining = undefined
      else if (this.#providerTokensRemaining < Math.max(tokens, 1)) {
        retryAt = Math.max(retryAt, this.#providerTokensResetAt)
      }
    }
    return retryAt === Number.NEGATIVE_INFINITY ? undefined : { reason: 'provider-reported', retryAt }
  }

  /** When enough of the window's tokens expire for `tokens` more to fit the tpm limit. */
  #tokensFreeAt(tokens: number): number {
    if (tokens > this.#tpm) return Number.POSITIVE_INFINITY
    let excess = this.#tokensInWindow + tokens - this.#tpm
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i] as WindowEntry
      excess -= entry.tokens
      if (excess <= 0) return entry.time + WINDOW_MS
    }
    return Number.POSITIVE_INFINITY // unreachable: the whole window expiring frees everything
  }

  /** Drops calls that started 60 s or more before `now` (amortised O(1)). */
  #evict(now: number): void {
    const cutoff = now - WINDOW_MS
    const entries = this.#entries
    let head = this.#head
    while (head < entries.length && (entries[head] as WindowEntry).time <= cutoff) {
      const entry = entries[head] as WindowEntry
      entry.live = false
      this.#tokensInWindow -= entry.tokens
      if (entry.cancelled === true) this.#cancelledInWindow--
      head++
    }
    if (head === entries.length) {
      if (head > 0) {
        this.#entries = []
        this.#tokensInWindow = 0 // no drift from corrections once the window is empty
        this.#cancelledInWindow = 0
      }
      head = 0
    } else if (head > 1024 && head * 2 > entries.length) {
      this.#entries = entries.slice(head)
      head = 0
    }
    this.#head = head
  }

  #grant(tokens: number, now: number): Lease {
    this.#inFlight++
    let entry: WindowEntry | undefined
    if (this.#windowed) {
      entry = { time: now, tokens, live: true }
      this.#entries.push(entry)
      this.#tokensInWindow += tokens
    }
    if (this.#providerRequestsRemaining !== undefined) this.#providerRequestsRemaining--
    if (this.#providerTokensRemaining !== undefined) {
      this.#providerTokensRemaining = Math.max(0, this.#providerTokensRemaining - tokens)
    }
    let released = false
    return {
      release: (actualTokens?: number) => {
        if (released) return
        released = true
        this.#release(entry, actualTokens)
      },
      cancel: () => {
        if (released) return
        released = true
        if (entry?.live === true && entry.cancelled !== true) {
          entry.cancelled = true
          this.#cancelledInWindow++
        }
        this.#release(entry, 0)
      },
    }
  }

  #release(entry: WindowEntry | undefined, actualTokens: number | undefined): void {
    this.#inFlight--
    if (
      entry?.live === true &&
      actualTokens !== undefined &&
      Number.isFinite(actualTokens) &&
      actualTokens >= 0
    ) {
      this.#tokensInWindow += actualTokens - entry.tokens
      entry.tokens = actualTokens
    }
    if (this.#waiting > 0) this.#pump()
  }

  #peekWaiter(): Waiter | undefined {
    while (this.#waitersHead < this.#waiters.length) {
      const waiter = this.#waiters[this.#waitersHead] as Waiter
      if (!waiter.settled) return waiter
      this.#waitersHead++
    }
    this.#waiters = []
    this.#waitersHead = 0
    return undefined
  }

  /** Serves waiters in order while the first fits; arms one timer for when it may fit. */
  #pump(): void {
    if (this.#pumping) return
    this.#pumping = true
    try {
      for (let waiter = this.#peekWaiter(); waiter !== undefined; waiter = this.#peekWaiter()) {
        const now = this.#now()
        const block = this.#check(waiter.tokens, now)
        if (block === undefined) {
          this.#settle(waiter)
          waiter.resolve(this.#grant(waiter.tokens, now))
          continue
        }
        if (now >= waiter.deadline || cannotFitBefore(block, waiter.deadline)) {
          // The first in line cannot make it: let it go now, so those behind it are not held up.
          this.#settle(waiter)
          waiter.reject(this.#deadlineError(block, now))
          continue
        }
        if (block.retryAt === Number.POSITIVE_INFINITY) this.#clearWake()
        else this.#armWake(block.retryAt, now)
        return
      }
      this.#clearWake()
    } finally {
      this.#pumping = false
    }
  }

  #settle(waiter: Waiter): void {
    waiter.settled = true
    this.#waiting--
    if (waiter.timer !== undefined) clearTimeout(waiter.timer)
    waiter.timer = undefined
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort)
    waiter.onAbort = undefined
    if (this.#waiting === 0) {
      // Keep the queue from holding settled waiters (and their closures) once nobody waits.
      this.#waiters = []
      this.#waitersHead = 0
    }
  }

  #armDeadline(waiter: Waiter): void {
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, waiter.deadline - this.#now()))
    waiter.timer = setTimeout(() => {
      waiter.timer = undefined
      if (waiter.settled) return
      const now = this.#now()
      if (now < waiter.deadline) {
        this.#armDeadline(waiter) // a deadline beyond setTimeout's range: wait again
        return
      }
      const block = this.#check(waiter.tokens, now)
      if (block === undefined && this.#peekWaiter() === waiter) {
        // Capacity freed by time at the very moment of the deadline: the call still gets in.
        this.#settle(waiter)
        waiter.resolve(this.#grant(waiter.tokens, now))
      } else {
        this.#settle(waiter)
        waiter.reject(this.#deadlineError(block, now))
      }
      this.#pump()
    }, delay)
  }

  #armWake(at: number, now: number): void {
    if (this.#wakeTimer !== undefined && this.#wakeAt === at) return
    this.#clearWake()
    this.#wakeAt = at
    this.#wakeTimer = setTimeout(
      () => {
        this.#wakeTimer = undefined
        this.#wakeAt = Number.POSITIVE_INFINITY
        this.#pump()
      },
      Math.min(MAX_TIMER_MS, Math.max(0, at - now)),
    )
  }

  #clearWake(): void {
    if (this.#wakeTimer !== undefined) clearTimeout(this.#wakeTimer)
    this.#wakeTimer = undefined
    this.#wakeAt = Number.POSITIVE_INFINITY
  }

  #deadlineError(block: Block | undefined, now: number): RateLimitedError {
    const reason = block?.reason ?? 'concurrency'
    const retryAt = block?.retryAt ?? Number.POSITIVE_INFINITY
    const described: Record<LimitReason, string> = {
      rpm: `its limit of ${this.#rpm} requests per minute`,
      tpm: `its limit of ${this.#tpm} tokens per minute`,
      concurrency: `its limit of ${this.#maxConcurrency} calls in flight`,
      'provider-reported': 'the rate limit its provider reported',
    }
    const when =
      retryAt === Number.POSITIVE_INFINITY
        ? reason === 'tpm'
          ? '; the call needs more tokens than the whole limit, so it can never fit'
          : ''
        : `; capacity expected in ${Math.max(0, retryAt - now)} ms`
    const options: ConstructorParameters<typeof RateLimitedError>[0] = {
      message: `the target is at ${described[reason]} and the call could not start before its deadline${when}`,
    }
    if (retryAt !== Number.POSITIVE_INFINITY) options.retryAfterMs = Math.max(0, retryAt - now)
    if (reason === 'tpm' && retryAt === Number.POSITIVE_INFINITY) options.retryable = false
    return new RateLimitedError(options)
  }
}

/**
 * True when a time-bound block lasts past `deadline`, or the call can never fit (a concurrency
 * block may end any moment).
 */
function cannotFitBefore(block: Block, deadline: number): boolean {
  return (
    block.reason !== 'concurrency' && (block.retryAt > deadline || block.retryAt === Number.POSITIVE_INFINITY)
  )
}

function readLimit(value: unknown, path: string): number {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidRouterConfigError({
      path,
      message: `${path} must be a whole number of at least 1 (or left out for no limit); got ${typeof value === 'number' ? String(value) : typeof value}`,
    })
  }
  return value
}

function readTokens(tokens: number): number {
  return typeof tokens === 'number' && Number.isFinite(tokens) && tokens > 0 ? tokens : 0
}

function abortedError(signal: AbortSignal): AbortedError {
  return new AbortedError({
    message: 'the call was aborted while waiting for capacity',
    cause: signal.reason,
  })
}

import {
  AllTargetsFailedError,
  type CallOptions,
  type CallSignal,
  type ChatRequest,
  ContextLengthExceededError,
  createCallSignal,
  type FailedAttempt,
  type FailureAction,
  failureAction,
  type QlError,
  toQlError,
} from '@ql/provider'
import pRetry, { AbortError } from 'p-retry'
import { abortableDelay, fullJitterDelay } from './abortable-delay'
import { allTargetsFailed } from './all-targets-failed'
import type { FallbackReason } from './router-events'
import type { RouterSettings } from './router-settings'
import { matchesRoute } from './state/match-route'
import { rateLimitRetryAt, readRateLimitHeaders } from './state/read-rate-limit-headers'
import { orderTargets } from './state/strategies'
import type { Lease } from './state/target-limiter'
import type { TargetRuntime } from './target-runtime'
import type { AttemptTelemetry, CallTelemetry } from './telemetry/router-telemetry'
import { estimateRequestTokens } from './tokens/estimate-request-tokens'

/**
 * Runs one attempt on a target, holding `lease` (capacity from the target's limiter) until it is
 * done with it, and ending `span` when the attempt answered (a failure that escapes the runner
 * is recorded on it by the router).
 */
export type AttemptRunner<T> = (
  target: TargetRuntime,
  lease: Lease,
  attempt: number,
  span: AttemptTelemetry | undefined,
) => Promise<T>

type Next = { kind: 'same'; delayMs: number } | { kind: 'other' } | { kind: 'stop'; error: QlError }

/** Why a target was passed over without an upstream attempt. */
type SkipReason = 'circuit open' | 'cooling down' | 'at its limits' | 'context window too small'

/**
 * One call through a router: which targets it may use, in which order, what it tried, and the
 * one retry loop (p-retry) that moves it from attempt to attempt. Each loop iteration is exactly
 * one upstream attempt; skipping a target (open breaker, cooldown, limits, context window) costs
 * none.
 */
export class RoutedCall {
  readonly callId: number
  readonly streaming: boolean
  readonly request: ChatRequest
  readonly options: CallOptions
  readonly startedAt: number
  /** The caller's signal and the call's deadline combined; `undefined` when nothing can cancel the call. */
  readonly signal: AbortSignal | undefined
  readonly attempts: FailedAttempt[] = []
  /** Upstream attempts made so far. */
  upstream = 0
  /** Times the call moved to another target after a failure. */
  fallbacks = 0
  /** The call's span and metrics; `undefined` with telemetry off. */
  readonly telemetry: CallTelemetry | undefined
  readonly #settings: RouterSettings
  readonly #call: CallSignal | undefined
  readonly #deadline: number | undefined
  readonly #order: TargetRuntime[]
  readonly #tried = new Set<string>()
  readonly #skipped = new Map<string, SkipReason>()
  readonly #tokens = new Map<string, number>()
  #estimate: number | undefined
  /** When each target skipped for its limits expects capacity (epoch ms; `Infinity`: at a release). */
  readonly #limitedUntil = new Map<string, number>()
  #current: TargetRuntime | undefined
  #retriesOnCurrent = 0
  #cause: FallbackReason = 'failover'
  #next: Next | undefined
  #lastError: QlError | undefined
  #final: QlError | undefined
  /** The target whose stale latency this call measures again, until it is disposed. */
  #exploring: TargetRuntime | undefined
  #disposed = false

  constructor(
    settings: RouterSettings,
    callId: number,
    request: ChatRequest,
    options: CallOptions,
    streaming: boolean,
  ) {
    this.#settings = settings
    this.callId = callId
    this.request = request
    this.options = options
    this.streaming = streaming
    this.startedAt = settings.now()
    const timeoutMs = options.timeoutMs ?? settings.timeouts.totalMs
    this.#call =
      options.signal === undefined && timeoutMs === undefined
        ? undefined
        : createCallSignal({ signal: options.signal, timeoutMs })
    this.signal = this.#call?.signal
    this.#deadline = timeoutMs === undefined ? undefined : this.startedAt + timeoutMs
    this.telemetry = settings.telemetry?.startCall(request, {
      routerId: settings.id,
      operation: 'chat',
      streaming,
      modelId: settings.id,
    })
    this.#order = this.#orderTargets()
    settings.budget?.deposit()
  }

  /** Releases the call's timer, its link to the caller's signal and its exploring slot. Idempotent. */
  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    this.#call?.dispose()
    this.#exploring?.stopExploring(this.streaming, this.callId)
  }

  /** The options one attempt on `target` runs with. */
  attemptOptions(target: TargetRuntime): CallOptions {
    const timeoutMs = target.config.timeoutMs ?? this.#settings.timeouts.attemptMs
    const options = this.options
    if (timeoutMs === undefined && this.signal === options.signal && options.timeoutMs === undefined)
      return options
    const result: CallOptions = {}
    if (this.signal !== undefined) result.signal = this.signal
    if (timeoutMs !== undefined) result.timeoutMs = timeoutMs
    if (options.headers !== undefined) result.headers = options.headers
    if (options.metadata !== undefined) result.metadata = options.metadata
    return result
  }

  /** The typed error to throw for a failure seen after the call's own signal fired, or `error` itself. */
  failure(error: unknown): QlError {
    const signal = this.signal
    if (signal?.aborted === true) return signal.reason as QlError
    return toQlError(error)
  }

  /**
   * Runs attempts until one succeeds or the call gives up: retries (backoff with full jitter, or
   * the provider's hint up to the cap), failovers, and cause-specific fallbacks, as
   * `failureAction` decides for each error, within `maxAttempts`, the retry budget and the deadline.
   */
  async run<T>(runAttempt: AttemptRunner<T>): Promise<T> {
    const settings = this.#settings
    if (settings.state !== undefined) await settings.state.read(this.#order, settings.now())
    const attempt = async (): Promise<T> => {
      const picked = (await this.#pick()) ?? (await this.#waitAndPick())
      return await this.#attempt(picked.target, picked.lease, runAttempt)
    }
    try {
      // the first attempt runs as p-retry would run it, without p-retry's per-call setup; only a
      // call that fails it enters p-retry, which handles that failure as its own first attempt's
      let first: unknown
      try {
        this.signal?.throwIfAborted()
        const result = await attempt()
        this.signal?.throwIfAborted()
        return result
      } catch (error) {
        first = error
      }
      return await pRetry(
        (attemptNumber) => {
          if (attemptNumber === 1) throw first
          return attempt()
        },
        {
          retries: settings.maxAttempts - 1,
          minTimeout: 0,
          factor: 1,
          signal: this.signal,
          onFailedAttempt: ({ error }) => {
            this.#next = this.#decide(error as unknown as QlError)
          },
          shouldRetry: () => this.#proceed(),
        },
      )
    } catch {
      const error =
        this.signal?.aborted === true
          ? (this.signal.reason as QlError)
          : (this.#final ??
            (this.#next?.kind === 'stop'
              ? this.#next.error
              : this.#allFailed(`the call used all ${settings.maxAttempts} attempts it may make`)))
      this.telemetry?.fail(error, this.upstream)
      throw error
    }
  }

  // ---- choosing a target ----------------------------------------------------------------------

  /**
   * The targets whose `when` matches the request, in the strategy's order. When the first one's
   * latency is stale, this call becomes the one that measures it again: until it ends, other
   * calls see the target's last known latency instead of a stale one, so they do not all go there.
   */
  #orderTargets(): TargetRuntime[] {
    const settings = this.#settings
    const matching = settings.anyWhen
      ? settings.targets.filter((target) =>
          matchesRoute(target.config.when, this.request, this.options.metadata),
        )
      : settings.targets
    if (matching.length <= 1) return [...matching]
    if (settings.strategy === 'priority' && !matching.some((t) => t.config.priority !== undefined)) {
      return [...matching]
    }
    const byId = settings.byId
    const now = settings.now()
    const views = matching.map((target) => target.view(this.streaming, now))
    const ordered = orderTargets(
      settings.strategy,
      views,
      {
        request: this.request,
        metadata: this.options.metadata,
        attempt: this.upstream + 1,
        allTargetIds: settings.allIds,
      },
      settings.random,
    )
    const first = ordered[0]
    if (first?.latencyStale === true) {
      const target = byId.get(first.id)
      if (target?.startExploring(this.streaming, this.callId) === true) this.#exploring = target
    }
    return ordered.flatMap((view) => {
      const target = byId.get(view.id)
      return target === undefined ? [] : [target]
    })
  }

  /** The targets that may take the call now, given why the last attempt failed. */
  #candidates(): readonly TargetRuntime[] {
    const settings = this.#settings
    if (this.#cause === 'content-filter') return this.#byIds(settings.fallbacks.contentFilter ?? [])
    if (this.#cause === 'context-window') {
      if (settings.fallbacks.contextWindow !== undefined) return this.#byIds(settings.fallbacks.contextWindow)
      const failed = this.#current?.config.contextWindow ?? 0
      return settings.targets
        .filter((target) => (target.config.contextWindow ?? 0) > failed)
        .sort((a, b) => (a.config.contextWindow ?? 0) - (b.config.contextWindow ?? 0))
    }
    return this.#order
  }

  #byIds(ids: readonly string[]): TargetRuntime[] {
    return ids.flatMap((id) => {
      const target = this.#settings.byId.get(id)
      return target === undefined ? [] : [target]
    })
  }

  /** Picks the next target and takes capacity on it, or `undefined` when none may take the call now. */
  async #pick(): Promise<{ target: TargetRuntime; lease: Lease } | undefined> {
    const next = this.#next
    this.#next = undefined
    const current = this.#current
    if (next?.kind === 'same' && current !== undefined) {
      const lease = await this.#takeShared(current)
      if (lease !== undefined) return this.#chosen(current, lease)
      this.#tried.add(current.id)
    }
    for (const target of this.#candidates()) {
      if (this.#tried.has(target.id)) continue
      const lease = await this.#takeShared(target)
      if (lease !== undefined) return this.#chosen(target, lease)
    }
    return undefined
  }

  /** Takes capacity on `target` if it may take the call now; records why not otherwise. */
  #take(target: TargetRuntime): Lease | undefined {
    const now = this.#settings.now()
    if (target.cooldownUntil > now) return this.#skip(target, 'cooling down')
    if (target.breaker !== undefined && !target.breaker.allows()) return this.#skip(target, 'circuit open')
    const window = target.config.contextWindow
    if (window !== undefined && this.#tokensFor(target) > window) {
      return this.#skip(target, 'context window too small')
    }
    const result = target.limiter.tryAcquire(target.countsTokens ? this.#rateTokens() : 0)
    if (!result.ok) {
      this.#limitedUntil.set(target.id, result.retryAt)
      return this.#skip(target, 'at its limits')
    }
    return result.lease
  }

  /** {@link #take}, then the same rpm/tpm capacity across every router sharing the state store. */
  async #takeShared(target: TargetRuntime): Promise<Lease | undefined> {
    const lease = this.#take(target)
    const state = this.#settings.state
    if (lease === undefined || state?.sharesCapacity !== true) return lease
    const shared = await state.reserve(target, lease, target.countsTokens ? this.#rateTokens() : 0)
    if (typeof shared !== 'number') return shared
    this.#limitedUntil.set(target.id, shared)
    return this.#skip(target, 'at its limits')
  }

  #skip(target: TargetRuntime, reason: SkipReason): undefined {
    this.#skipped.set(target.id, reason)
    return undefined
  }

  /** The input tokens as `target`'s model counts them, for its context window (once per model and call). */
  #tokensFor(target: TargetRuntime): number {
    const key = `${target.model.provider}:${target.model.modelId}`
    let tokens = this.#tokens.get(key)
    if (tokens === undefined) {
      tokens = target.countTokens(this.request)
      this.#tokens.set(key, tokens)
    }
    return tokens
  }

  /** A quick estimate of the call's tokens (input and the most it may generate), for tokens-per-minute limits. */
  #rateTokens(): number {
    if (this.#estimate === undefined) {
      this.#estimate = estimateRequestTokens(this.request) + (this.request.maxTokens ?? 0)
    }
    return this.#estimate
  }

  #chosen(target: TargetRuntime, lease: Lease): { target: TargetRuntime; lease: Lease } {
    const settings = this.#settings
    if (this.upstream > 0 && this.#needsBudget() && settings.budget?.tryWithdraw() === false) {
      lease.release()
      this.#final = this.#allFailed('the router’s retry budget is spent (too many calls are failing)')
      throw new AbortError(this.#final)
    }
    const previous = this.#current
    if (previous === target) {
      this.#retriesOnCurrent++
    } else {
      this.#retriesOnCurrent = 0
      this.#current = target
      if (previous !== undefined) this.fallbacks++
      if (
        previous !== undefined &&
        this.#lastError !== undefined &&
        settings.events.listenerCount('fallback') > 0
      ) {
        settings.events.emit('fallback', {
          callId: this.callId,
          streaming: this.streaming,
          from: previous.id,
          to: target.id,
          reason: this.#cause,
          error: this.#lastError,
        })
      }
    }
    return { target, lease }
  }

  /** Extra attempts after failures that say a target is unhealthy spend the retry budget; fallbacks by cause do not. */
  #needsBudget(): boolean {
    return this.#cause === 'failover'
  }

  /**
   * No target may take the call now: wait for the first one to come back if the config allows
   * and the deadline has room; otherwise give up with the typed error that says why.
   */
  async #waitAndPick(): Promise<{ target: TargetRuntime; lease: Lease }> {
    const settings = this.#settings
    if (settings.waitForCapacity) {
      const limited = this.#candidates().find(
        (target) => !this.#tried.has(target.id) && this.#skipped.get(target.id) === 'at its limits',
      )
      if (limited !== undefined) return this.#chosen(limited, await this.#waitForCapacity(limited))
    }
    for (;;) {
      const now = settings.now()
      // only a target that is blocked for now (cooling, breaker open, at its limits) is worth a wait
      const availableAt = settings.waitForTargetMs > 0 ? this.#earliestAvailable(now) : undefined
      const wait = availableAt === undefined ? undefined : availableAt - now
      if (
        availableAt === undefined ||
        wait === undefined ||
        wait > settings.waitForTargetMs ||
        (this.#deadline !== undefined && availableAt >= this.#deadline)
      ) {
        this.#final = this.#noTarget(this.#earliestAvailable(now, true))
        throw new AbortError(this.#final)
      }
      // a concurrency limit frees up when a call ends, at no known time: poll gently
      await abortableDelay(Math.max(wait, 1), this.signal)
      this.#tried.clear()
      const picked = await this.#pick()
      if (picked !== undefined) return picked
    }
  }

  /** Waits for capacity on a target at its limits, within the call's deadline (`waitForCapacity`). */
  async #waitForCapacity(target: TargetRuntime): Promise<Lease> {
    const tokens = target.countsTokens ? this.#rateTokens() : 0
    const options = { deadline: this.#deadline ?? Number.POSITIVE_INFINITY, signal: this.signal }
    const state = this.#settings.state
    try {
      return await (state?.sharesCapacity === true
        ? state.acquire(target, tokens, options)
        : target.limiter.acquire(tokens, options))
    } catch (error) {
      this.#final = this.failure(error)
      throw new AbortError(this.#final)
    }
  }

  /**
   * When the first blocked candidate (cooling, breaker open, at its limits) takes calls again, in
   * ms from `now`, or `undefined` when none is blocked for a time that will pass by itself. With
   * `relative`, the wait in ms instead of the epoch time.
   */
  #earliestAvailable(now: number, relative = false): number | undefined {
    let earliest: number | undefined
    for (const target of this.#candidates()) {
      const skipped = this.#skipped.get(target.id)
      if (skipped === 'context window too small') continue
      // cooling (a hint, a rate limit) or breaker open, whether it was tried or skipped
      let at = target.unavailableUntil(now)
      const limitedUntil = this.#limitedUntil.get(target.id)
      if (skipped === 'at its limits' && limitedUntil !== undefined) at = Math.max(at ?? now, limitedUntil)
      if (at === undefined || !Number.isFinite(at) || at <= now) continue
      if (earliest === undefined || at < earliest) earliest = at
    }
    return earliest === undefined || !relative ? earliest : earliest - now
  }

  /** The error for a call that found no target to try next. */
  #noTarget(waitMs: number | undefined): QlError {
    const last = this.#lastError
    // a cause-specific fallback with nowhere to go: the cause itself is the answer
    if (this.#cause !== 'failover' && last !== undefined) return last
    if (
      this.attempts.length === 0 &&
      this.#skipped.size > 0 &&
      [...this.#skipped.values()].every((reason) => reason === 'context window too small')
    ) {
      const sizes = [...this.#skipped.keys()].map((id) => {
        const target = this.#settings.byId.get(id) as TargetRuntime
        return `${id} (${target.config.contextWindow} tokens, input ~${this.#tokensFor(target)})`
      })
      return new ContextLengthExceededError({
        message: `the input does not fit the context window of any target: ${sizes.join(', ')}`,
      })
    }
    if (this.#order.length === 0) {
      return new AllTargetsFailedError({
        attempts: [],
        message: 'no target of this router matches the request (each target has a `when` condition it fails)',
      })
    }
    return this.#allFailed(undefined, waitMs)
  }

  #allFailed(reason: string | undefined, waitMs?: number): AllTargetsFailedError {
    return allTargetsFailed({
      reason,
      attempts: this.attempts,
      skipped: this.#skipped,
      targets: this.#settings.byId,
      now: this.#settings.now(),
      waitMs,
    })
  }

  // ---- one attempt ----------------------------------------------------------------------------

  async #attempt<T>(target: TargetRuntime, lease: Lease, runAttempt: AttemptRunner<T>): Promise<T> {
    const settings = this.#settings
    this.upstream++
    const attempt = this.upstream
    if (settings.events.listenerCount('attempt') > 0) {
      settings.events.emit('attempt', {
        callId: this.callId,
        streaming: this.streaming,
        targetId: target.id,
        provider: target.model.provider,
        modelId: target.model.modelId,
        attempt,
      })
    }
    const started = settings.now()
    const span = this.telemetry?.startAttempt(
      { id: target.id, provider: target.model.provider, modelId: target.model.modelId },
      attempt,
    )
    try {
      return await (span === undefined
        ? runAttempt(target, lease, attempt, span)
        : span.withActiveSpan(() => runAttempt(target, lease, attempt, span)))
    } catch (error) {
      const failure = this.failure(error)
      span?.fail(failure)
      this.#record(target, failure, attempt, started)
      throw failure
    }
  }

  #record(target: TargetRuntime, error: QlError, attempt: number, started: number): void {
    const settings = this.#settings
    if (this.signal?.aborted === true) return
    const now = settings.now()
    this.attempts.push({
      targetId: target.id,
      provider: target.model.provider,
      modelId: target.model.modelId,
      at: now,
      error,
    })
    this.#lastError = error
    target.limiter.observeHeaders(error.responseHeaders)
    if (settings.events.listenerCount('attempt-failed') > 0) {
      settings.events.emit('attempt-failed', {
        callId: this.callId,
        streaming: this.streaming,
        targetId: target.id,
        provider: target.model.provider,
        modelId: target.model.modelId,
        attempt,
        error,
        action: failureAction(error),
        durationMs: now - started,
      })
    }
  }

  // ---- after a failure ------------------------------------------------------------------------

  /** Decides what follows a failed attempt (p-retry's `onFailedAttempt`). */
  #decide(error: QlError): Next {
    if (this.signal?.aborted === true) return { kind: 'stop', error: this.signal.reason as QlError }
    const target = this.#current as TargetRuntime
    const action: FailureAction = failureAction(error)
    switch (action) {
      case 'stop':
        return { kind: 'stop', error }
      case 'fallback:context-window':
      case 'fallback:content-filter':
        this.#tried.add(target.id)
        this.#cause = action === 'fallback:context-window' ? 'context-window' : 'content-filter'
        return { kind: 'other' }
      case 'failover':
        this.#tried.add(target.id)
        this.#cause = 'failover'
        return { kind: 'other' }
      case 'retry':
        this.#cause = 'failover'
        return this.#retryOrMove(target, error)
    }
  }

  #retryOrMove(target: TargetRuntime, error: QlError): Next {
    const settings = this.#settings
    const now = settings.now()
    let hint = error.retryAfterMs
    if (hint === undefined && error.code === 'rate_limited') {
      // a 429 without retry-after: the provider's reset headers say when capacity returns
      // (the limit reported exhausted; OpenAI sends `x-ratelimit-reset-tokens: 6m0s` even with tokens
      // to spare, so a reset alone is only used when no limit says 0, and then the earliest one)
      const snapshot = readRateLimitHeaders(error.responseHeaders, now)
      const exhausted = rateLimitRetryAt(snapshot, now)
      const resets = [snapshot.requestsResetAt, snapshot.tokensResetAt].filter(
        (at): at is number => at !== undefined && at > now,
      )
      const resetAt = exhausted ?? (resets.length > 0 ? Math.min(...resets) : undefined)
      hint = resetAt === undefined ? undefined : resetAt - now
    }
    if (hint !== undefined && hint > 0) this.#cool(target, now + hint, error)
    const longHint = hint !== undefined && hint > settings.maxRetryAfterMs
    if (!longHint && this.#retriesOnCurrent < settings.maxRetriesPerTarget && this.#roomToRetry(target)) {
      const backoff = fullJitterDelay(
        this.#retriesOnCurrent,
        settings.initialDelayMs,
        settings.maxDelayMs,
        settings.random,
      )
      const delayMs = Math.max(hint ?? 0, backoff)
      if (this.#deadline === undefined || now + delayMs < this.#deadline) return { kind: 'same', delayMs }
    }
    this.#tried.add(target.id)
    return { kind: 'other' }
  }

  /**
   * Whether a retry on the same target leaves enough attempts to try every other target that may
   * take the call once: a target that might answer beats a second try of one that just failed.
   */
  #roomToRetry(current: TargetRuntime): boolean {
    const left = this.#settings.maxAttempts - this.upstream
    let others = 0
    const now = this.#settings.now()
    for (const target of this.#candidates()) {
      if (target === current || this.#tried.has(target.id)) continue
      if (target.cooldownUntil > now || (target.breaker !== undefined && !target.breaker.allows())) continue
      others++
    }
    return left > others
  }

  /** Cools `target` down until `until`, extending (never shortening) a cooldown it has. */
  #cool(target: TargetRuntime, until: number, error: QlError): void {
    const settings = this.#settings
    if (!target.coolUntil(until)) return
    settings.state?.extendCooldown(target.id, until)
    if (settings.events.listenerCount('cooldown') > 0) {
      settings.events.emit('cooldown', { targetId: target.id, until, error })
    }
  }

  /** Waits before the next attempt if it retries the same target (p-retry's `shouldRetry`). */
  async #proceed(): Promise<boolean> {
    const next = this.#next
    if (next === undefined || next.kind === 'stop') return false
    if (next.kind === 'same') {
      const settings = this.#settings
      const target = this.#current as TargetRuntime
      if (settings.events.listenerCount('retry') > 0) {
        settings.events.emit('retry', {
          callId: this.callId,
          streaming: this.streaming,
          targetId: target.id,
          attempt: this.upstream,
          delayMs: next.delayMs,
          error: this.#lastError as QlError,
        })
      }
      await abortableDelay(next.delayMs, this.signal)
    }
    return true
  }
}

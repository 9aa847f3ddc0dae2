import {
  type CallOptions,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  ContentFilteredError,
  relayChatStream,
} from '@ql/provider'
import { EventEmitter } from 'eventemitter3'
import { RetryBudget } from './retry-budget'
import { RoutedCall } from './routed-call'
import { parseRouterConfig, type RouterConfig } from './router-config'
import type { RouterEvents, RouterHealth } from './router-events'
import type { RouterSettings } from './router-settings'
import { SharedRouterState } from './shared-router-state'
import type { Lease } from './state/target-limiter'
import { StreamAttempt } from './stream-attempt'
import { TargetBreaker } from './target-breaker'
import { TargetRuntime } from './target-runtime'
import { type AttemptTelemetry, createRouterTelemetry } from './telemetry/router-telemetry'

/**
 * A {@link ChatModel} that routes each call across several targets, with retries, circuit
 * breakers, fallbacks, limits and cost, and reports what it does through typed events.
 * Routers nest: a router can be another router's target.
 */
export interface Router extends ChatModel {
  readonly provider: 'router'
  /** Subscribes to an event (see {@link RouterEvents}); returns the router. */
  on<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): this
  /** Subscribes for one event. */
  once<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): this
  /** Unsubscribes a listener. */
  off<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): this
  /** Each target's breaker state, cooldown, load and latency, now (this process's view). */
  health(): RouterHealth
  /**
   * Stops the breakers' timers and drops every listener. Calls in flight finish; new calls still
   * run, without breakers. Call it when the router is no longer needed (or `using router = ...`).
   */
  close(): void
  [Symbol.dispose](): void
}

/**
 * How long a latency average counts by default (`RouterConfig.latencyTtlMs`): provider slowdowns
 * usually last minutes, so a minute notices a recovery soon, while costing a slow target at most
 * one exploring call a minute (per kind of call, per process).
 */
const DEFAULT_LATENCY_TTL_MS = 60_000

/**
 * Creates a router over `config.targets`. The config is checked first: a wrong field throws an
 * `InvalidRouterConfigError` naming it.
 *
 * @example
 * ```ts
 * const router = createRouter({
 *   targets: [
 *     { id: 'primary', model: openai.chat('gpt-4o-mini') },
 *     { id: 'backup', model: anthropic.chat('claude-3-5-haiku-latest') },
 *   ],
 * })
 * const response = await router.generate({ messages: [{ role: 'user', content: 'Hi' }] })
 * ```
 */
export function createRouter(config: RouterConfig): Router {
  return new ChatRouter(parseRouterConfig(config))
}

class ChatRouter implements Router {
  readonly specificationVersion = 'v1' as const
  readonly provider = 'router' as const
  readonly modelId: string
  readonly #events = new EventEmitter<RouterEvents>()
  readonly #settings: RouterSettings
  #calls = 0

  constructor(config: RouterConfig) {
    const breaker = config.breaker === false ? undefined : config.breaker
    const events = this.#events
    const shared =
      config.state === undefined ? undefined : new SharedRouterState(config.state, events, () => Date.now())
    const latencyTtlMs =
      config.latencyTtlMs === false
        ? Number.POSITIVE_INFINITY
        : (config.latencyTtlMs ?? DEFAULT_LATENCY_TTL_MS)
    const targets = config.targets.map(
      (target, index) =>
        new TargetRuntime(
          target,
          index,
          config.breaker === false
            ? undefined
            : new TargetBreaker({
                errorThresholdPercentage: breaker?.errorThresholdPercentage ?? 50,
                volumeThreshold: breaker?.volumeThreshold ?? 5,
                resetTimeoutMs: breaker?.resetTimeoutMs ?? 30_000,
                rollingWindowMs: breaker?.rollingWindowMs ?? 10_000,
                now: () => Date.now(),
                onStateChange: (state, previous) => {
                  if (shared !== undefined) {
                    const since = Date.now()
                    const retryAt = since + (breaker?.resetTimeoutMs ?? 30_000)
                    shared.setBreaker(target.id, { state, since, ...(state === 'open' ? { retryAt } : {}) })
                  }
                  events.emit('breaker', { targetId: target.id, state, previous })
                },
              }),
          () => Date.now(),
          latencyTtlMs,
        ),
    )
    const retry = config.retry ?? {}
    const waitForTarget = retry.waitForTarget ?? false
    this.modelId = config.id ?? 'router'
    this.#settings = {
      id: this.modelId,
      targets,
      byId: new Map(targets.map((target) => [target.id, target])),
      allIds: new Set(targets.map((target) => target.id)),
      strategy: config.strategy ?? 'priority',
      maxAttempts: retry.maxAttempts ?? 3,
      maxRetriesPerTarget: retry.maxRetriesPerTarget ?? 1,
      initialDelayMs: retry.initialDelayMs ?? 250,
      maxDelayMs: retry.maxDelayMs ?? 5_000,
      maxRetryAfterMs: retry.maxRetryAfterMs ?? 10_000,
      budget: retry.budget === false ? undefined : new RetryBudget(retry.budget),
      waitForTargetMs:
        waitForTarget === true ? Number.POSITIVE_INFINITY : waitForTarget === false ? 0 : waitForTarget,
      waitForCapacity: config.waitForCapacity ?? false,
      timeouts: config.timeouts ?? {},
      fallbacks: config.fallbacks ?? {},
      anyWhen: config.targets.some((target) => target.when !== undefined),
      anyContextWindow: config.targets.some((target) => target.contextWindow !== undefined),
      latencyTtlMs,
      state: shared,
      telemetry: config.telemetry === false ? undefined : createRouterTelemetry(config.telemetry),
      random: config.random ?? Math.random,
      now: () => Date.now(),
      events,
    }
  }

  on<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): this {
    this.#events.on(event, listener as never)
    return this
  }

  once<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): this {
    this.#events.once(event, listener as never)
    return this
  }

  off<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): this {
    this.#events.off(event, listener as never)
    return this
  }

  async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
    const call = new RoutedCall(this.#settings, ++this.#calls, request, options, false)
    try {
      return await call.run((target, lease, attempt, span) =>
        this.#generateOn(call, target, lease, attempt, span),
      )
    } finally {
      call.dispose()
    }
  }

  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    return relayChatStream(
      async () => {
        const call = new RoutedCall(this.#settings, ++this.#calls, request, options, true)
        try {
          return await call.run((target, lease, attempt, span) =>
            this.#streamOn(call, target, lease, attempt, span),
          )
        } catch (error) {
          call.dispose()
          throw error
        }
      },
      { provider: this.provider, modelId: this.modelId },
    )
  }

  async #generateOn(
    call: RoutedCall,
    target: TargetRuntime,
    lease: Lease,
    attempt: number,
    span: AttemptTelemetry | undefined,
  ): Promise<ChatResponse> {
    const settings = this.#settings
    const started = settings.now()
    const options = call.attemptOptions(target)
    const send = () => target.model.generate(call.request, options)
    let response: ChatResponse
    try {
      response = await (target.breaker === undefined ? send() : target.breaker.run(send))
    } catch (error) {
      lease.release()
      throw error
    }
    const usage = response.usage
    lease.release(usage.inputTokens + usage.outputTokens)
    target.limiter.observeHeaders(response.headers)
    const finished = settings.now()
    const duration = finished - started
    target.recordLatency(false, duration, finished)
    settings.state?.recordLatency(target.id, 'total', duration, target.latencyMaxAgeMs)
    if (
      response.finishReason === 'content-filter' &&
      settings.fallbacks.contentFilter !== undefined &&
      settings.fallbacks.contentFilter.some((id) => id !== target.id)
    ) {
      throw new ContentFilteredError({
        message: `${target.id}: the answer was stopped by the provider's content filter`,
        provider: response.provider,
        modelId: response.modelId,
      })
    }
    span?.end(response)
    return this.#finished(call, target, response, attempt)
  }

  async #streamOn(
    call: RoutedCall,
    target: TargetRuntime,
    lease: Lease,
    attempt: number,
    span: AttemptTelemetry | undefined,
  ): Promise<ChatStream> {
    const settings = this.#settings
    let inner: ChatStream
    try {
      inner = target.model.stream(call.request, call.attemptOptions(target))
    } catch (error) {
      lease.release()
      throw error
    }
    const stream = new StreamAttempt(inner, {
      lease,
      firstTokenMs: settings.timeouts.firstTokenMs,
      stallMs: settings.timeouts.stallMs,
      now: settings.now,
      failure: (error) => call.failure(error),
      onFirstContent: () => span?.firstToken(),
      onFinish: (response, firstTokenMs) => {
        target.recordLatency(true, firstTokenMs, settings.now())
        settings.state?.recordLatency(target.id, 'ttft', firstTokenMs, target.latencyMaxAgeMs)
        target.limiter.observeHeaders(response.headers)
        span?.end(response)
        return this.#finished(call, target, response, attempt)
      },
      onFailAfterStart: (error) => {
        span?.fail(error)
        call.telemetry?.fail(error, call.upstream)
      },
      onEnd: () => call.dispose(),
    })
    if (target.breaker !== undefined) target.breaker.run(() => stream.completion).catch(() => {})
    return stream.start()
  }

  /** Adds the cost to a response and reports usage. */
  #finished(call: RoutedCall, target: TargetRuntime, response: ChatResponse, attempts: number): ChatResponse {
    const cost = target.costOf(response)
    const result = cost === response.cost ? response : { ...response, cost }
    call.telemetry?.end({ ...result, attempts, targetId: target.id, fallbacks: call.fallbacks })
    const events = this.#events
    if (events.listenerCount('usage') > 0) {
      events.emit('usage', {
        callId: call.callId,
        streaming: call.streaming,
        targetId: target.id,
        provider: response.provider,
        modelId: response.modelId,
        usage: response.usage,
        cost,
        attempts,
        durationMs: this.#settings.now() - call.startedAt,
        response: result,
      })
    }
    return result
  }

  health(): RouterHealth {
    const now = this.#settings.now()
    const targets = this.#settings.targets.map((target) => {
      const until = target.unavailableUntil(now)
      return {
        id: target.id,
        provider: target.model.provider,
        modelId: target.model.modelId,
        breaker: target.breaker?.state ?? ('closed' as const),
        unavailableUntil: until,
        inFlight: target.limiter.inFlight,
        latencyMs: target.total.value ?? target.ttft.value,
      }
    })
    return {
      available: targets.some((target) => target.unavailableUntil === undefined),
      targets,
      retryBudget: this.#settings.budget?.available ?? Number.POSITIVE_INFINITY,
    }
  }

  close(): void {
    for (const target of this.#settings.targets) target.breaker?.shutdown()
    this.#events.removeAllListeners()
  }

  [Symbol.dispose](): void {
    this.close()
  }
}

import type { ChatModel, ChatRequest, ChatResponse, Cost } from '@ql/provider'
import { blendedPricePerMTokens, computeCost, findPricing, type ModelPricing } from './cost/pricing'
import type { RouterTarget } from './router-config'
import { LatencyTracker } from './state/latency-tracker'
import { TargetLimiter } from './state/target-limiter'
import type { TargetView } from './state/target-view'
import type { TargetBreaker } from './target-breaker'
import { countRequestTokens } from './tokens/count-tokens'

/** One target and everything the router keeps about it in this process. */
export class TargetRuntime {
  readonly id: string
  readonly model: ChatModel
  readonly config: RouterTarget
  readonly breaker: TargetBreaker | undefined
  readonly limiter: TargetLimiter
  /** Time to first token of streams, and total time of `generate` calls: apart, as strategies compare like with like. */
  readonly ttft = new LatencyTracker()
  readonly total = new LatencyTracker()
  /** The latency averages every router sharing the state store measured (see `SharedRouterState.read`). */
  sharedTtftMs: number | undefined
  sharedTotalMs: number | undefined
  /** When the shared averages got their newest sample (epoch ms); `undefined` when the store does not say. */
  sharedTtftAt: number | undefined
  sharedTotalAt: number | undefined
  /** Epoch ms before which the target takes no calls (a provider hint, a rate limit); only grows. */
  cooldownUntil = 0
  /** Whether the limiter needs a token estimate (a tpm limit). */
  readonly countsTokens: boolean
  readonly #pricing: Map<string, ModelPricing | undefined> = new Map()
  /** How long a latency average counts after its newest sample, in ms (`Infinity`: forever). */
  readonly #latencyTtlMs: number
  /** The call measuring a stale latency again, per kind ([generate, stream]); 0 when none. */
  readonly #explorers: [number, number] = [0, 0]

  constructor(
    config: RouterTarget,
    index: number,
    breaker: TargetBreaker | undefined,
    now: () => number,
    latencyTtlMs = Number.POSITIVE_INFINITY,
  ) {
    this.id = config.id
    this.model = config.model
    this.config = config
    this.breaker = breaker
    this.limiter = new TargetLimiter(config.limits, now, `targets[${index}].limits`)
    this.countsTokens = config.limits?.tpm !== undefined
    this.#latencyTtlMs = latencyTtlMs
  }

  /** The latency TTL to hand a store with each sample (`undefined`: latencies never go stale). */
  get latencyMaxAgeMs(): number | undefined {
    return Number.isFinite(this.#latencyTtlMs) ? this.#latencyTtlMs : undefined
  }

  /** Adds a latency sample taken at `now`: time to first token of a stream, or total time of `generate`. */
  recordLatency(streaming: boolean, ms: number, now: number): void {
    ;(streaming ? this.ttft : this.total).record(ms, now, this.latencyMaxAgeMs)
  }

  /**
   * The latency average for a stream (time to first token) or a `generate` call (total time): the
   * shared one when the store has a fresh one, else this process's when fresh, else the last
   * known one (stale, see {@link TargetRuntime.latencyStale}); `undefined` while unmeasured.
   */
  latencyMs(streaming: boolean, now: number): number | undefined {
    const shared = streaming ? this.sharedTtftMs : this.sharedTotalMs
    if (shared !== undefined && !this.#expired(streaming ? this.sharedTtftAt : this.sharedTotalAt, now))
      return shared
    const tracker = streaming ? this.ttft : this.total
    const local = tracker.value
    if (local !== undefined && !this.#expired(tracker.updatedAt, now)) return local
    return shared ?? local
  }

  /**
   * Whether the latency of this kind is stale: measured, but neither the shared average nor this
   * process's got a sample within `latencyTtlMs`.
   */
  latencyStale(streaming: boolean, now: number): boolean {
    const shared = streaming ? this.sharedTtftMs : this.sharedTotalMs
    const tracker = streaming ? this.ttft : this.total
    if (shared === undefined && tracker.value === undefined) return false
    if (shared !== undefined && !this.#expired(streaming ? this.sharedTtftAt : this.sharedTotalAt, now))
      return false
    return tracker.value === undefined || this.#expired(tracker.updatedAt, now)
  }

  /**
   * Makes call `callId` the one that measures this target's stale latency again (one call at a
   * time per kind, so a stale target gets one exploring call, not every call). False when
   * another call holds it; release it with {@link TargetRuntime.stopExploring}.
   */
  startExploring(streaming: boolean, callId: number): boolean {
    const slot = streaming ? 1 : 0
    if (this.#explorers[slot] !== 0) return false
    this.#explorers[slot] = callId
    return true
  }

  /** Ends call `callId`'s exploring (a no-op when it is not the one exploring). */
  stopExploring(streaming: boolean, callId: number): void {
    const slot = streaming ? 1 : 0
    if (this.#explorers[slot] === callId) this.#explorers[slot] = 0
  }

  #expired(at: number | undefined, now: number): boolean {
    return at !== undefined && now - at > this.#latencyTtlMs
  }

  /** Moves the cooldown deadline later, never earlier; true when it moved. */
  coolUntil(until: number): boolean {
    if (until <= this.cooldownUntil) return false
    this.cooldownUntil = until
    return true
  }

  /** When the target takes calls again (epoch ms), or `undefined` when it takes them now. */
  unavailableUntil(now: number): number | undefined {
    const probeAt = this.breaker?.probeAt
    const until = Math.max(this.cooldownUntil, probeAt ?? 0)
    if (until > now) return until
    return this.breaker === undefined || this.breaker.allows() ? undefined : now
  }

  /**
   * What strategies see of this target, for a stream or a `generate` call, at `now`. A stale
   * latency shows as stale only while no call is measuring it again.
   */
  view(streaming: boolean, now: number): TargetView {
    const pricing = this.config.pricing ?? this.#priceOf(this.model.provider, this.model.modelId)
    return {
      id: this.id,
      weight: this.config.weight ?? 1,
      priority: this.config.priority ?? 0,
      inFlight: this.limiter.inFlight,
      latencyMs: this.latencyMs(streaming, now),
      latencyStale: this.#explorers[streaming ? 1 : 0] === 0 && this.latencyStale(streaming, now),
      costPerMTokens: pricing === undefined ? undefined : blendedPricePerMTokens(pricing),
      tags: this.config.tags ?? [],
    }
  }

  /** The input tokens of `request` as this target's model counts them (exact for OpenAI models, else an estimate). */
  countTokens(request: ChatRequest): number {
    return countRequestTokens(request, { provider: this.model.provider, modelId: this.model.modelId }).tokens
  }

  /** The cost of an answer from this target: the provider's own, or from pricing; `undefined` when unknown. */
  costOf(response: ChatResponse): Cost | undefined {
    if (response.cost !== undefined) return response.cost
    const pricing = this.config.pricing ?? this.#priceOf(response.provider, response.modelId)
    return pricing === undefined ? undefined : computeCost(response.usage, pricing)
  }

  #priceOf(provider: string, modelId: string): ModelPricing | undefined {
    const key = `${provider}:${modelId}`
    if (this.#pricing.has(key)) return this.#pricing.get(key)
    const pricing = findPricing(provider, modelId)
    if (this.#pricing.size < 64) this.#pricing.set(key, pricing)
    return pricing
  }
}

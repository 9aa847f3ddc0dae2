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
  /** Epoch ms before which the target takes no calls (a provider hint, a rate limit); only grows. */
  cooldownUntil = 0
  /** Whether the limiter needs a token estimate (a tpm limit). */
  readonly countsTokens: boolean
  readonly #pricing: Map<string, ModelPricing | undefined> = new Map()

  constructor(config: RouterTarget, index: number, breaker: TargetBreaker | undefined, now: () => number) {
    this.id = config.id
    this.model = config.model
    this.config = config
    this.breaker = breaker
    this.limiter = new TargetLimiter(config.limits, now, `targets[${index}].limits`)
    this.countsTokens = config.limits?.tpm !== undefined
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

  /** What strategies see of this target, for a stream or a `generate` call. */
  view(streaming: boolean): TargetView {
    const pricing = this.config.pricing ?? this.#priceOf(this.model.provider, this.model.modelId)
    return {
      id: this.id,
      weight: this.config.weight ?? 1,
      priority: this.config.priority ?? 0,
      inFlight: this.limiter.inFlight,
      latencyMs: streaming
        ? (this.sharedTtftMs ?? this.ttft.value)
        : (this.sharedTotalMs ?? this.total.value),
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

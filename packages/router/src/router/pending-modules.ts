// TEMPORARY stand-ins for R2's and R3's modules (state/, cost/, tokens/, telemetry/), to the
// signatures in helpers/ROUTER.md, until theirs are committed. Replaced import by import.
import type { ChatRequest, Cost, Usage } from '@ql/provider'

export interface TargetView {
  id: string
  weight: number
  priority: number
  inFlight: number
  latencyMs: number | undefined
  costPerMTokens: number | undefined
  tags: readonly string[]
}
export type BuiltInStrategy = 'priority' | 'weighted' | 'least-latency' | 'least-busy' | 'lowest-cost'
export type StrategyFunction = (
  targets: readonly TargetView[],
  context: { request: ChatRequest; metadata: Record<string, unknown> | undefined; attempt: number },
) => readonly TargetView[] | readonly string[]
export function orderTargets(
  strategy: BuiltInStrategy | StrategyFunction,
  targets: readonly TargetView[],
  context: { request: ChatRequest; metadata: Record<string, unknown> | undefined; attempt: number },
  _random?: () => number,
): TargetView[] {
  if (typeof strategy === 'function') {
    const order = strategy(targets, context)
    return order.map((entry) =>
      typeof entry === 'string' ? (targets.find((t) => t.id === entry) as TargetView) : entry,
    )
  }
  return [...targets].sort((a, b) => a.priority - b.priority)
}

export class LatencyTracker {
  value: number | undefined
  constructor(readonly alpha = 0.3) {}
  record(ms: number): void {
    this.value = this.value === undefined ? ms : this.alpha * ms + (1 - this.alpha) * this.value
  }
}

export interface Lease {
  release(actualTokens?: number): void
}
export class TargetLimiter {
  inFlight = 0
  constructor(
    _limits: { rpm?: number; tpm?: number; maxConcurrency?: number } | undefined,
    _now?: () => number,
  ) {}
  tryAcquire(
    _tokens: number,
  ):
    | { ok: true; lease: Lease }
    | { ok: false; reason: 'rpm' | 'tpm' | 'concurrency' | 'provider-reported'; retryAt: number } {
    this.inFlight++
    let done = false
    return {
      ok: true,
      lease: {
        release: () => {
          if (done) return
          done = true
          this.inFlight--
        },
      },
    }
  }
  async acquire(tokens: number, _options: { deadline: number; signal?: AbortSignal }): Promise<Lease> {
    const result = this.tryAcquire(tokens)
    if (result.ok) return result.lease
    throw new Error('no capacity')
  }
  observeHeaders(_headers: Record<string, string> | undefined): void {}
}

export interface RateLimitSnapshot {
  remainingRequests?: number
  remainingTokens?: number
  requestsResetAt?: number
  tokensResetAt?: number
  retryAfterMs?: number
}
export function readRateLimitHeaders(
  _headers: Record<string, string> | undefined,
  _now: number,
): RateLimitSnapshot {
  return {}
}

export type RouteCondition =
  | { tags?: readonly string[]; metadata?: Record<string, string | number | boolean> }
  | ((request: ChatRequest) => boolean)
export function matchesRoute(condition: RouteCondition | undefined, request: ChatRequest): boolean {
  if (condition === undefined) return true
  if (typeof condition === 'function') return condition(request)
  const metadata = request.metadata ?? {}
  for (const [key, value] of Object.entries(condition.metadata ?? {}))
    if (metadata[key] !== value) return false
  const tags = String(metadata.tags ?? '').split(',')
  return (condition.tags ?? []).every((tag) => tags.includes(tag))
}

type MaybePromise<T> = T | Promise<T>
export interface BreakerSnapshot {
  state: 'closed' | 'open' | 'half-open'
  openedAt?: number
}
export interface RouterStateStore {
  getCooldownUntil(targetId: string): MaybePromise<number | undefined>
  setCooldownUntil(targetId: string, until: number): MaybePromise<void>
  getBreakerState(targetId: string): MaybePromise<BreakerSnapshot | undefined>
  setBreakerState(targetId: string, snapshot: BreakerSnapshot): MaybePromise<void>
}
export function createMemoryRouterState(): RouterStateStore {
  const cooldowns = new Map<string, number>()
  const breakers = new Map<string, BreakerSnapshot>()
  return {
    getCooldownUntil: (id) => cooldowns.get(id),
    setCooldownUntil: (id, until) => {
      if (until > (cooldowns.get(id) ?? 0)) cooldowns.set(id, until)
    },
    getBreakerState: (id) => breakers.get(id),
    setBreakerState: (id, snapshot) => {
      breakers.set(id, snapshot)
    },
  }
}

export interface ModelPricing {
  inputPerMTokens: number
  outputPerMTokens: number
  cachedInputPerMTokens?: number
  cacheWritePerMTokens?: number
  reasoningPerMTokens?: number
}
export function findPricing(
  provider: string,
  modelId: string,
  overrides?: Record<string, ModelPricing>,
): ModelPricing | undefined {
  return overrides?.[`${provider}:${modelId}`]
}
export function computeCost(usage: Usage, pricing: ModelPricing): Cost {
  const inputCost = (usage.inputTokens * pricing.inputPerMTokens) / 1e6
  const outputCost = (usage.outputTokens * pricing.outputPerMTokens) / 1e6
  return { inputCost, outputCost, totalCost: inputCost + outputCost, currency: 'USD' }
}

export interface TokenCount {
  tokens: number
  exact: boolean
}
export function countRequestTokens(
  request: ChatRequest,
  _model: { provider: string; modelId: string },
): TokenCount {
  return { tokens: Math.ceil(JSON.stringify(request.messages).length / 4), exact: false }
}

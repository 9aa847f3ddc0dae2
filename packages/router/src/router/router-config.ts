import { type ChatModel, formatIssuePath, isChatModel, type ValidationIssue } from '@ql/provider'
import { z } from 'zod/v4'
import { type ModelPricing, modelPricingSchema } from './cost/pricing'
import { InvalidRouterConfigError } from './state/invalid-router-config-error'
import type { RouteCondition } from './state/match-route'
import type { RouterStateStore } from './state/router-state-store'
import type { BuiltInStrategy, StrategyFunction } from './state/strategies'
import type { TargetLimits } from './state/target-limiter'
import type { RouterTelemetryOptions } from './telemetry/router-telemetry'

/** One model the router may send a call to. */
export interface RouterTarget {
  /** Unique within the router; names the target in events, errors and `health()`. */
  id: string
  /** The model: an adapter (`createOpenAI().chat(...)`), a wrapped model, or another router. */
  model: ChatModel
  /** Share of calls under the `weighted` strategy (default 1). */
  weight?: number
  /** Order under the `priority` strategy: lower goes first (default 0; ties keep config order). */
  priority?: number
  /** Capacity of this target; a target at its limit is skipped (or waited for, see `waitForCapacity`). */
  limits?: TargetLimits
  /** Time budget of one attempt on this target, in ms (default: `timeouts.attemptMs`). */
  timeoutMs?: number
  /** Prices for cost; defaults to the built-in table for the model's provider and id. */
  pricing?: ModelPricing
  /** The model's context window in tokens: a request whose input does not fit skips this target. */
  contextWindow?: number
  /** Free-form labels, visible to strategies and in `health()`. */
  tags?: string[]
  /** Only requests that match run on this target (request metadata or a predicate). */
  when?: RouteCondition
}

/** Retries, backoff and the retry budget. */
export interface RouterRetryConfig {
  /** The most upstream attempts one call makes, across all targets (default 3). */
  maxAttempts?: number
  /** The most retries on the same target after a retryable failure, before failing over (default 1). */
  maxRetriesPerTarget?: number
  /** Base of the exponential backoff, in ms (default 250); each wait is random in [0, base × 2^n] (full jitter). */
  initialDelayMs?: number
  /** The most one backoff wait lasts, in ms (default 5,000). */
  maxDelayMs?: number
  /**
   * The longest provider hint (`retry-after`, rate-limit reset) the router waits for on the same
   * target, in ms (default 5,000). A longer hint cools the target down for that long and sends the
   * call to another target instead.
   */
  maxRetryAfterMs?: number
  /**
   * The retry budget: every call earns `ratio` of a retry, each attempt after a call's first
   * (a retry or a failover after a failure) spends one, and `reserve` is what can be saved up.
   * Over a burst of N calls, extra attempts stay under `ratio × N + reserve`, so a full outage
   * cannot become a retry storm. `false` turns it off. Defaults: ratio 0.1, reserve 10.
   */
  budget?: { ratio?: number; reserve?: number } | false
  /**
   * When every target is cooling down (circuit open, retry-after, rate limits), wait for the first
   * to come back, within the call's deadline, instead of failing at once with
   * `AllTargetsFailedError` (default false). A number is the longest wait, in ms.
   */
  waitForTarget?: boolean | number
}

/** The per-target circuit breaker (opossum). */
export interface RouterBreakerConfig {
  /** Failure percentage over the rolling window that opens the breaker (default 50). */
  errorThresholdPercentage?: number
  /** Calls in the window before the breaker may open at all (default 5). */
  volumeThreshold?: number
  /** How long an open breaker waits before letting one probe call through, in ms (default 30,000). */
  resetTimeoutMs?: number
  /** The rolling window of failure statistics, in ms (default 10,000). */
  rollingWindowMs?: number
}

/** Time budgets, in ms. */
export interface RouterTimeouts {
  /** The whole call, all attempts and waits included (default: none; `CallOptions.timeoutMs` wins). */
  totalMs?: number
  /** One attempt on any target (default: none; `target.timeoutMs` wins). */
  attemptMs?: number
  /** Streams: from the start of an attempt to its first content event; past it the router fails over. */
  firstTokenMs?: number
  /** Streams: the longest gap between two events once the stream started. */
  stallMs?: number
}

/** Which targets take over when a call fails for a reason another model may not have. */
export interface RouterFallbacks {
  /**
   * Targets (ids, in order) for inputs too long for the model tried: on `context_length_exceeded`
   * and when the pre-call token count exceeds a target's `contextWindow`. Default: every other
   * target with a larger `contextWindow`, smallest first.
   */
  contextWindow?: string[]
  /** Targets (ids, in order) tried when a model's safety system refuses (`content_filtered`). Default: none. */
  contentFilter?: string[]
}

/** What `createRouter` takes. */
export interface RouterConfig {
  /** The router's `modelId`, in events and spans (default `router`). */
  id?: string
  /** The models to route between; at least one, ids unique. */
  targets: RouterTarget[]
  /** How to order the eligible targets of a call (default `priority`). */
  strategy?: BuiltInStrategy | StrategyFunction
  retry?: RouterRetryConfig
  /** Per-target circuit breakers; `false` turns them off. */
  breaker?: RouterBreakerConfig | false
  fallbacks?: RouterFallbacks
  timeouts?: RouterTimeouts
  /**
   * A target at its rpm/tpm/concurrency limit: skip it (default), or wait for capacity (`true`)
   * within the call's deadline.
   */
  waitForCapacity?: boolean
  /** Where cooldowns and breaker states are kept (default: in memory, this process only). */
  state?: RouterStateStore
  /**
   * How long a target's latency average counts, in ms after its newest sample (default 60,000).
   * A target that gets no calls for longer (under `least-latency`, one that measured slow) has a
   * stale latency: `least-latency` sends one call at a time to it, ahead of the targets with a
   * fresh latency, and that call's latency replaces the stale average. So a slow target that
   * recovers gets traffic again within about `latencyTtlMs`, at the cost of at most one slower
   * call per stale target and period. Shared latencies (`state`) age by the time of their newest
   * sample from any router. `false` keeps latencies forever (a target measured slow is never
   * tried again while the others answer).
   */
  latencyTtlMs?: number | false
  /**
   * OpenTelemetry spans and metrics (GenAI semantic conventions) through `@opentelemetry/api`:
   * by default the global tracer and meter, which cost nothing until the host registers an SDK.
   * `false` turns them off.
   */
  telemetry?: RouterTelemetryOptions | false
  /** Random numbers in [0, 1) for jitter and weighted choice; inject one for reproducible tests. */
  random?: () => number
}

const LATENCY_TTL = 'expected a positive, finite number of milliseconds, or false to keep latencies forever'
const positive = z.number().positive()
const positiveInt = z.number().int().positive()
const nonNegative = z.number().nonnegative()

const targetSchema = z.object({
  id: z.string().min(1, 'expected a non-empty string'),
  model: z.custom<ChatModel>(isChatModel, {
    message: "expected a ChatModel (an adapter such as createOpenAI().chat('gpt-4o-mini'), or a router)",
  }),
  weight: nonNegative.optional(),
  priority: z.number().optional(),
  limits: z
    .object({ rpm: positive.optional(), tpm: positive.optional(), maxConcurrency: positiveInt.optional() })
    .strict()
    .optional(),
  timeoutMs: positive.optional(),
  pricing: modelPricingSchema.optional(),
  contextWindow: positiveInt.optional(),
  tags: z.array(z.string()).optional(),
  when: z
    .union([
      z.custom<(...args: never[]) => boolean>((value) => typeof value === 'function'),
      z
        .object({
          tags: z.array(z.string()).optional(),
          metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
        })
        .strict(),
    ])
    .optional(),
})

const configSchema = z
  .object({
    id: z.string().min(1).optional(),
    targets: z.array(targetSchema).min(1, 'expected at least one target'),
    strategy: z
      .union(
        [
          z.enum(['priority', 'weighted', 'least-latency', 'least-busy', 'lowest-cost']),
          z.custom<StrategyFunction>((value) => typeof value === 'function'),
        ],
        {
          error:
            "expected 'priority', 'weighted', 'least-latency', 'least-busy', 'lowest-cost' or a strategy function",
        },
      )
      .optional(),
    retry: z
      .object({
        maxAttempts: positiveInt.optional(),
        maxRetriesPerTarget: z.number().int().nonnegative().optional(),
        initialDelayMs: nonNegative.optional(),
        maxDelayMs: nonNegative.optional(),
        maxRetryAfterMs: nonNegative.optional(),
        budget: z
          .union([
            z.literal(false),
            z.object({ ratio: nonNegative.optional(), reserve: nonNegative.optional() }).strict(),
          ])
          .optional(),
        waitForTarget: z.union([z.boolean(), nonNegative]).optional(),
      })
      .strict()
      .optional(),
    breaker: z
      .union([
        z.literal(false),
        z
          .object({
            errorThresholdPercentage: z.number().min(0).max(100).optional(),
            volumeThreshold: z.number().int().nonnegative().optional(),
            resetTimeoutMs: positive.optional(),
            rollingWindowMs: positive.optional(),
          })
          .strict(),
      ])
      .optional(),
    fallbacks: z
      .object({
        contextWindow: z.array(z.string()).optional(),
        contentFilter: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    timeouts: z
      .object({
        totalMs: positive.optional(),
        attemptMs: positive.optional(),
        firstTokenMs: positive.optional(),
        stallMs: positive.optional(),
      })
      .strict()
      .optional(),
    waitForCapacity: z.boolean().optional(),
    latencyTtlMs: z
      .union([z.literal(false), z.number({ error: LATENCY_TTL }).positive({ error: LATENCY_TTL })], {
        error: LATENCY_TTL,
      })
      .optional(),
    state: z
      .custom<RouterStateStore>((value) => typeof value === 'object' && value !== null, {
        message: 'expected a RouterStateStore (createMemoryRouterState(), createRedisRouterState(...))',
      })
      .optional(),
    telemetry: z
      .union([
        z.literal(false),
        z
          .object({
            tracer: z.custom<object>((value) => typeof value === 'object' && value !== null).optional(),
            meter: z.custom<object>((value) => typeof value === 'object' && value !== null).optional(),
            captureContent: z.boolean().optional(),
          })
          .strict(),
      ])
      .optional(),
    random: z.custom<() => number>((value) => typeof value === 'function').optional(),
  })
  .strict()

/**
 * Checks a router config and throws an {@link InvalidRouterConfigError} naming every wrong field:
 * shapes, unique target ids, and fallback lists that name known targets.
 */
export function parseRouterConfig(config: unknown): RouterConfig {
  const result = configSchema.safeParse(config)
  if (!result.success) {
    throw invalidConfig(
      result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
    )
  }
  const parsed = config as RouterConfig
  const issues: ValidationIssue[] = []
  const ids = new Set<string>()
  parsed.targets.forEach((target, index) => {
    if (ids.has(target.id)) {
      issues.push({ path: `targets[${index}].id`, message: `duplicate target id '${target.id}'` })
    }
    ids.add(target.id)
  })
  for (const kind of ['contextWindow', 'contentFilter'] as const) {
    parsed.fallbacks?.[kind]?.forEach((id, index) => {
      if (!ids.has(id)) {
        issues.push({ path: `fallbacks.${kind}[${index}]`, message: `no target has the id '${id}'` })
      }
    })
  }
  if (issues.length > 0) throw invalidConfig(issues)
  // the original object: the schema checked it, and models and functions must keep their identity
  return parsed
}

/** One error for every problem found; `path` names the first, the message lists them all. */
function invalidConfig(issues: readonly ValidationIssue[]): InvalidRouterConfigError {
  const lines = issues.slice(0, 10).map((issue) => `  - ${issue.path || '(config)'}: ${issue.message}`)
  if (issues.length > 10) lines.push(`  - ... and ${issues.length - 10} more`)
  const noun = issues.length === 1 ? 'problem' : 'problems'
  return new InvalidRouterConfigError({
    path: issues[0]?.path ?? '',
    message: `invalid router config, ${issues.length} ${noun}:\n${lines.join('\n')}`,
  })
}

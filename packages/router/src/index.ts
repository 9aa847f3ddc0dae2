export type { ModelPricing } from './router/cost/pricing'
export {
  blendedPricePerMTokens,
  computeCost,
  defaultPricing,
  findPricing,
  modelFamily,
  modelPricingSchema,
} from './router/cost/pricing'
export type { Router } from './router/create-router'
export { createRouter } from './router/create-router'
export type {
  RouterBreakerConfig,
  RouterConfig,
  RouterFallbacks,
  RouterRetryConfig,
  RouterTarget,
  RouterTimeouts,
} from './router/router-config'
export type {
  AttemptEvent,
  AttemptFailedEvent,
  BreakerEvent,
  BreakerState,
  CooldownEvent,
  FallbackEvent,
  FallbackReason,
  RetryEvent,
  RouterEventBase,
  RouterEvents,
  RouterHealth,
  StateStoreEvent,
  TargetHealth,
  UsageEvent,
} from './router/router-events'
export type { MemoryRouterStateOptions } from './router/state/create-memory-router-state'
export { createMemoryRouterState } from './router/state/create-memory-router-state'
export { InvalidRouterConfigError } from './router/state/invalid-router-config-error'
export type { RouteCondition, RouteConditionContext } from './router/state/match-route'
export type { RateLimitHeaders, RateLimitSnapshot } from './router/state/read-rate-limit-headers'
export { rateLimitRetryAt, readRateLimitHeaders } from './router/state/read-rate-limit-headers'
export type {
  BreakerSnapshot,
  CapacityRequest,
  CapacityReservation,
  LatencyKind,
  LatencySampleOptions,
  MaybePromise,
  RouterStateStore,
  TargetStateSnapshot,
} from './router/state/router-state-store'
export type { RoutingFunctionKind } from './router/state/routing-function-error'
export { RoutingFunctionError } from './router/state/routing-function-error'
export type { BuiltInStrategy, StrategyContext, StrategyFunction } from './router/state/strategies'
export type { TargetLimits } from './router/state/target-limiter'
export type { TargetView } from './router/state/target-view'
export type {
  AttemptTelemetry,
  CallTelemetry,
  RouterTelemetry,
  RouterTelemetryOptions,
} from './router/telemetry/router-telemetry'
export { createRouterTelemetry } from './router/telemetry/router-telemetry'
export type { TokenCount, TokenCountModel } from './router/tokens/count-tokens'
export { countRequestTokens, loadTokenizer } from './router/tokens/count-tokens'
export { estimateRequestTokens } from './router/tokens/estimate-request-tokens'

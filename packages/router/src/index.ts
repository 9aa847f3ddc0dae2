export type { Router } from './router/create-router'
export { createRouter } from './router/create-router'
export { InvalidRouterConfigError } from './router/invalid-router-config-error'
export type {
  RouterBreakerConfig,
  RouterConfig,
  RouterFallbacks,
  RouterRetryConfig,
  RouterTarget,
  RouterTimeouts,
  TargetLimits,
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
  TargetHealth,
  UsageEvent,
} from './router/router-events'

import type { ChatResponse, Cost, FailureAction, QlError, Usage } from '@ql/provider'

/** A target's circuit breaker state. `half-open` lets one probe call through. */
export type { BreakerState } from './state/router-state-store'

import type { BreakerState } from './state/router-state-store'

/** Identifies one routed call in events: every event of the same call has the same `callId`. */
export interface RouterEventBase {
  /** Unique per call of this router (a counter). */
  callId: number
  /** Whether the call is a stream. */
  streaming: boolean
}

/** An upstream attempt starts. */
export interface AttemptEvent extends RouterEventBase {
  targetId: string
  provider: string
  modelId: string
  /** 1 for the call's first upstream attempt. */
  attempt: number
}

/** An attempt failed; `action` is what the router does next. */
export interface AttemptFailedEvent extends AttemptEvent {
  error: QlError
  action: FailureAction
  /** Milliseconds from the start of the attempt to the failure. */
  durationMs: number
}

/** The router waits, then tries the same target again. */
export interface RetryEvent extends RouterEventBase {
  targetId: string
  /** The attempt that failed. */
  attempt: number
  /** The wait before the next attempt (backoff with full jitter, or the provider's hint). */
  delayMs: number
  error: QlError
}

/** Why a call moved to another target. */
export type FallbackReason = 'failover' | 'context-window' | 'content-filter'

/** The call moves from one target to another. */
export interface FallbackEvent extends RouterEventBase {
  from: string
  to: string
  reason: FallbackReason
  error: QlError
}

/** A target's breaker changed state. */
export interface BreakerEvent {
  targetId: string
  state: BreakerState
  previous: BreakerState
}

/** A target will take no calls until `until` (epoch ms), because of a provider hint or a rate limit. */
export interface CooldownEvent {
  targetId: string
  until: number
  error: QlError
}

/** A call succeeded: what it used and cost. */
export interface UsageEvent extends RouterEventBase {
  targetId: string
  provider: string
  modelId: string
  usage: Usage
  /** `undefined` when no pricing is known for the model. */
  cost: Cost | undefined
  /** Upstream attempts the call made, this one included. */
  attempts: number
  /** Milliseconds from the start of the call to the answer (streams: to the end of the stream). */
  durationMs: number
  response: ChatResponse
}

/**
 * The router's shared state store (`config.state`) stopped answering (`available: false`, with
 * the failed `operation` and its `error`), or answers again (`available: true`). While it is
 * unavailable the router routes on its own process's state; no call fails because of it.
 */
export interface StateStoreEvent {
  /** The store's kind: `redis`, `memory`. */
  store: string
  available: boolean
  /** The store method that failed (with `available: false`). */
  operation?: string
  /** Why it failed (with `available: false`); secrets removed by the store. */
  error?: unknown
}

/** Every event a router emits, by name. Subscribe with `router.on(name, listener)`. */
export interface RouterEvents {
  attempt: (event: AttemptEvent) => void
  'attempt-failed': (event: AttemptFailedEvent) => void
  retry: (event: RetryEvent) => void
  fallback: (event: FallbackEvent) => void
  breaker: (event: BreakerEvent) => void
  cooldown: (event: CooldownEvent) => void
  usage: (event: UsageEvent) => void
  'state-store': (event: StateStoreEvent) => void
}

/** What `router.health()` reports about one target. */
export interface TargetHealth {
  id: string
  provider: string
  modelId: string
  breaker: BreakerState
  /** Epoch ms until which the target takes no calls (cooldown or open breaker); `undefined` if available. */
  unavailableUntil: number | undefined
  /** Calls running on it now. */
  inFlight: number
  /** EWMA of its latency (time to first token for streams), ms. */
  latencyMs: number | undefined
}

/** What `router.health()` returns. */
export interface RouterHealth {
  /** True when at least one target can take a call now. */
  available: boolean
  targets: TargetHealth[]
  /** Retries the budget can still pay for (`Infinity` without a budget). */
  retryBudget: number
}

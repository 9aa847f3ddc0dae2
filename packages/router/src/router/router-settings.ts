import type { EventEmitter } from 'eventemitter3'
import type { RetryBudget } from './retry-budget'
import type { RouterFallbacks, RouterTimeouts } from './router-config'
import type { RouterEvents } from './router-events'
import type { SharedRouterState } from './shared-router-state'
import type { BuiltInStrategy, StrategyFunction } from './state/strategies'
import type { TargetRuntime } from './target-runtime'
import type { RouterTelemetry } from './telemetry/router-telemetry'

/** A router's configuration with every default filled in, shared by its calls. */
export interface RouterSettings {
  readonly id: string
  readonly targets: readonly TargetRuntime[]
  readonly byId: ReadonlyMap<string, TargetRuntime>
  readonly allIds: ReadonlySet<string>
  readonly strategy: BuiltInStrategy | StrategyFunction
  readonly maxAttempts: number
  readonly maxRetriesPerTarget: number
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  readonly maxRetryAfterMs: number
  readonly budget: RetryBudget | undefined
  /** The longest wait for a cooling target (0: fail at once). */
  readonly waitForTargetMs: number
  readonly waitForCapacity: boolean
  readonly timeouts: RouterTimeouts
  readonly fallbacks: RouterFallbacks
  /** Whether any target routes conditionally, counts tokens or has a context window. */
  readonly anyWhen: boolean
  readonly anyContextWindow: boolean
  /** How long a latency average counts after its newest sample, in ms (`Infinity`: forever). */
  readonly latencyTtlMs: number
  /** The link to `config.state`, when the router has a store. */
  readonly state: SharedRouterState | undefined
  /** Spans and metrics; `undefined` when turned off. */
  readonly telemetry: RouterTelemetry | undefined
  readonly random: () => number
  readonly now: () => number
  readonly events: EventEmitter<RouterEvents>
}

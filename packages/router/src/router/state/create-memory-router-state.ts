import { checkAlpha, LatencyTracker } from './latency-tracker'
import type {
  BreakerSnapshot,
  LatencyKind,
  LatencySampleOptions,
  RouterStateStore,
  TargetStateSnapshot,
} from './router-state-store'

/** Options of {@link createMemoryRouterState}. */
export interface MemoryRouterStateOptions {
  /** The clock, epoch ms (default `Date.now`); inject one in tests. */
  now?: (() => number) | undefined
  /** The weight of each new latency sample, in (0, 1] (default 0.3). */
  latencyAlpha?: number | undefined
}

interface TargetEntry {
  cooldownUntil: number | undefined
  breaker: BreakerSnapshot | undefined
  ttft: LatencyTracker | undefined
  total: LatencyTracker | undefined
}

/**
 * The in-process {@link RouterStateStore}, the router's default: per-target state in a `Map`,
 * every method synchronous and O(1) (`readTargets` O(targets)). Memory grows with the number of
 * target ids it is told about, never with the number of calls. Its state is lost with the
 * process and not shared between processes: use a shared store for that.
 *
 * @throws `InvalidRouterConfigError` when `latencyAlpha` is not in (0, 1].
 */
export function createMemoryRouterState(options: MemoryRouterStateOptions = {}): RouterStateStore {
  const now = options.now ?? Date.now
  const alpha = checkAlpha(options.latencyAlpha, 'latencyAlpha')
  const targets = new Map<string, TargetEntry>()

  const entry = (targetId: string): TargetEntry => {
    let found = targets.get(targetId)
    if (found === undefined) {
      found = { cooldownUntil: undefined, breaker: undefined, ttft: undefined, total: undefined }
      targets.set(targetId, found)
    }
    return found
  }

  /** The cooldown in force, forgetting one whose deadline has passed. */
  const cooldown = (found: TargetEntry | undefined): number | undefined => {
    if (found?.cooldownUntil === undefined) return undefined
    if (found.cooldownUntil <= now()) {
      found.cooldownUntil = undefined
      return undefined
    }
    return found.cooldownUntil
  }

  return {
    kind: 'memory',

    readTargets(targetIds: readonly string[]): TargetStateSnapshot[] {
      const result = new Array<TargetStateSnapshot>(targetIds.length)
      for (let i = 0; i < targetIds.length; i++) {
        const targetId = targetIds[i] as string
        const found = targets.get(targetId)
        result[i] = {
          targetId,
          cooldownUntil: cooldown(found),
          breaker: found?.breaker,
          ttftMs: found?.ttft?.value,
          totalMs: found?.total?.value,
          ttftAt: found?.ttft?.updatedAt,
          totalAt: found?.total?.updatedAt,
        }
      }
      return result
    },

    getCooldown(targetId: string): number | undefined {
      return cooldown(targets.get(targetId))
    },

    extendCooldown(targetId: string, until: number): number | undefined {
      const found = entry(targetId)
      const current = cooldown(found)
      if (typeof until !== 'number' || !Number.isFinite(until) || until <= now()) return current
      found.cooldownUntil = current === undefined ? until : Math.max(current, until)
      return found.cooldownUntil
    },

    clearCooldown(targetId: string): void {
      const found = targets.get(targetId)
      if (found !== undefined) found.cooldownUntil = undefined
    },

    getBreaker(targetId: string): BreakerSnapshot | undefined {
      return targets.get(targetId)?.breaker
    },

    setBreaker(targetId: string, snapshot: BreakerSnapshot): BreakerSnapshot {
      const found = entry(targetId)
      if (found.breaker !== undefined && snapshot.since < found.breaker.since) return found.breaker
      // A copy: the caller's object may change after the call.
      const stored: BreakerSnapshot = { state: snapshot.state, since: snapshot.since }
      if (snapshot.retryAt !== undefined) stored.retryAt = snapshot.retryAt
      if (snapshot.failures !== undefined) stored.failures = snapshot.failures
      found.breaker = Object.freeze(stored)
      return found.breaker
    },

    getLatency(targetId: string, kind: LatencyKind): number | undefined {
      const found = targets.get(targetId)
      return kind === 'ttft' ? found?.ttft?.value : found?.total?.value
    },

    recordLatency(
      targetId: string,
      kind: LatencyKind,
      ms: number,
      options?: LatencySampleOptions,
    ): number | undefined {
      const found = entry(targetId)
      let tracker = kind === 'ttft' ? found.ttft : found.total
      if (tracker === undefined) {
        tracker = new LatencyTracker({ alpha })
        if (kind === 'ttft') found.ttft = tracker
        else found.total = tracker
      }
      tracker.record(ms, now(), options?.maxAgeMs)
      return tracker.value
    },
  }
}

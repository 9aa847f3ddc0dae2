import { AllTargetsFailedError, type FailedAttempt } from '@ql/provider'
import type { TargetRuntime } from './target-runtime'

/** What a routed call knows when it gives up. */
export interface GiveUp {
  /** Why, when it is not plain failure (the budget is spent, the attempts ran out). */
  reason: string | undefined
  attempts: readonly FailedAttempt[]
  /** Targets passed over without an attempt, and why. */
  skipped: ReadonlyMap<string, string>
  targets: ReadonlyMap<string, TargetRuntime>
  now: number
  /** Time until the first target takes calls again, when known. */
  waitMs: number | undefined
}

/**
 * The error of a call that tried every target it could: each failed attempt, each target skipped
 * and why (with the time until it is back), and `retryAfterMs` when the first target's return is
 * known.
 */
export function allTargetsFailed(giveUp: GiveUp): AllTargetsFailedError {
  const { attempts, now, waitMs } = giveUp
  const lines: string[] = []
  if (giveUp.reason !== undefined) lines.push(giveUp.reason)
  if (attempts.length === 0) lines.push('no target was available to try')
  else {
    lines.push(`${attempts.length} attempt${attempts.length === 1 ? '' : 's'} failed:`)
    attempts.forEach((a, i) => {
      lines.push(
        `  ${i + 1}. ${a.targetId} (${a.provider}/${a.modelId}): [${a.error.code}] ${a.error.message}`,
      )
    })
  }
  const skipped = [...giveUp.skipped].filter(([id]) => !attempts.some((a) => a.targetId === id))
  if (skipped.length > 0) {
    const described = skipped.map(([id, why]) => {
      const until = giveUp.targets.get(id)?.unavailableUntil(now)
      return until !== undefined && until > now ? `${id} (${why}, ${until - now} ms)` : `${id} (${why})`
    })
    lines.push(`skipped: ${described.join(', ')}`)
  }
  if (waitMs !== undefined) lines.push(`the first target takes calls again in ${waitMs} ms`)
  return new AllTargetsFailedError({
    attempts: [...attempts],
    message: lines.join('\n'),
    now,
    ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }),
  })
}

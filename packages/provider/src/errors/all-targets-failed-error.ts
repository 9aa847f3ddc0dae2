import { isQlError, QlError } from './ql-error'

/** One failed attempt of a routed call. */
export interface FailedAttempt {
  /**
   * The router target that was tried. Two targets may serve the same provider and model (two
   * regions, two keys); the id tells them apart.
   */
  targetId: string
  /** The provider of the target that was tried. */
  provider: string
  /** The model of the target that was tried. */
  modelId: string
  /** When the attempt failed, in milliseconds since the epoch. */
  at: number
  /** Why it failed. */
  error: QlError
}

/** What {@link AllTargetsFailedError} is made from. */
export interface AllTargetsFailedErrorOptions {
  /** Every attempt, in the order they were made. */
  attempts: readonly FailedAttempt[]
  /** Replaces the message that lists every attempt. */
  message?: string
  /** When the error is made, in milliseconds since the epoch; `retryAfterMs` is relative to it. Defaults to now. */
  now?: number
  /**
   * Replaces the computed `retryAfterMs` (`qlErrorFromJSON` passes the one that was sent, which
   * was relative to when the error was first made).
   */
  retryAfterMs?: number
}

/** The codes whose `retryAfterMs` says when the target can take calls again. */
const WAITING_CODES = new Set(['rate_limited', 'overloaded'])

/**
 * A router tried every target it was allowed to and each failed. `attempts` holds every
 * attempt in order; `lastError` the final one. Code `all_targets_failed`; not retryable, so a
 * router of routers never multiplies attempts.
 *
 * When every attempt was rate limited or overloaded and each said how long to wait,
 * `retryAfterMs` is the time from when this error was made until the earliest moment one of the
 * targets takes calls again (each target's last attempt `at` plus its `retryAfterMs`); otherwise
 * it is `undefined`, because at least one target might be available now or its wait is not known.
 */
export class AllTargetsFailedError extends QlError {
  /** True when `error` is a `AllTargetsFailedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is AllTargetsFailedError {
    return isQlError(error, 'all_targets_failed')
  }
  /** Every attempt, in the order they were made. */
  readonly attempts: readonly FailedAttempt[]

  constructor(options: AllTargetsFailedErrorOptions) {
    const last = options.attempts.at(-1)?.error
    const retryAfterMs =
      options.retryAfterMs ?? earliestRetryAfterMs(options.attempts, options.now ?? Date.now())
    super({
      message: options.message ?? describeAttempts(options.attempts),
      code: 'all_targets_failed',
      retryable: false,
      cause: last,
      ...(last?.status === undefined ? {} : { status: last.status }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    })
    this.name = 'AllTargetsFailedError'
    this.attempts = options.attempts
  }

  /** The errors of every attempt, in order. */
  get errors(): QlError[] {
    return this.attempts.map((attempt) => attempt.error)
  }

  /** The error of the final attempt. */
  get lastError(): QlError | undefined {
    return this.attempts.at(-1)?.error
  }

  protected override jsonDetails() {
    return {
      attempts: this.attempts.map((a) => ({
        targetId: a.targetId,
        provider: a.provider,
        modelId: a.modelId,
        at: a.at,
        error: a.error.toJSON(),
      })),
    }
  }
}

function earliestRetryAfterMs(attempts: readonly FailedAttempt[], now: number): number | undefined {
  if (attempts.length === 0) return undefined
  // each target takes calls again after the wait its latest attempt was given
  const latest = new Map<string, FailedAttempt>()
  for (const attempt of attempts) {
    if (!WAITING_CODES.has(attempt.error.code) || attempt.error.retryAfterMs === undefined) return undefined
    const previous = latest.get(attempt.targetId)
    if (previous === undefined || attempt.at >= previous.at) latest.set(attempt.targetId, attempt)
  }
  const availableAt = [...latest.values()].map((a) => a.at + (a.error.retryAfterMs ?? 0))
  return Math.max(0, Math.min(...availableAt) - now)
}

function describeAttempts(attempts: readonly FailedAttempt[]): string {
  if (attempts.length === 0) return 'no target was available to try'
  const lines = attempts.map(
    (a, i) => `  ${i + 1}. ${a.targetId} (${a.provider}/${a.modelId}): [${a.error.code}] ${a.error.message}`,
  )
  return `all ${attempts.length} attempts failed:\n${lines.join('\n')}`
}

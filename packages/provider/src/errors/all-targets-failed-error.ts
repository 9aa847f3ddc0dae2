import { isQlError, QlError } from './ql-error'

/** One failed attempt of a routed call. */
export interface FailedAttempt {
  /** The provider of the target that was tried. */
  provider: string
  /** The model of the target that was tried. */
  modelId: string
  /** Why it failed. */
  error: QlError
}

/**
 * A router tried every target it was allowed to and each failed. `attempts` holds every
 * attempt in order; `lastError` the final one. Code `all_targets_failed`; not retryable, so a
 * router of routers never multiplies attempts.
 */
export class AllTargetsFailedError extends QlError {
  /** True when `error` is a `AllTargetsFailedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is AllTargetsFailedError {
    return isQlError(error, 'all_targets_failed')
  }
  /** Every attempt, in the order they were made. */
  readonly attempts: readonly FailedAttempt[]

  constructor(options: { message?: string; attempts: readonly FailedAttempt[] }) {
    const last = options.attempts.at(-1)?.error
    super({
      message: options.message ?? describeAttempts(options.attempts),
      code: 'all_targets_failed',
      retryable: false,
      cause: last,
      ...(last?.status === undefined ? {} : { status: last.status }),
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
        provider: a.provider,
        modelId: a.modelId,
        error: a.error.toJSON(),
      })),
    }
  }
}

function describeAttempts(attempts: readonly FailedAttempt[]): string {
  if (attempts.length === 0) return 'no target was available to try'
  const lines = attempts.map(
    (a, i) => `  ${i + 1}. ${a.provider}/${a.modelId}: [${a.error.code}] ${a.error.message}`,
  )
  return `all ${attempts.length} attempts failed:\n${lines.join('\n')}`
}

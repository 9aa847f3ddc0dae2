import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * Something failed that no adapter recognised: a thrown value that is not a `QlError` (a bug in a
 * model implementation, a mock script that ran out of steps, an SDK error nobody mapped). The
 * original is kept in `cause`. It is not retryable, so a router never retries a bug on the same
 * target; it fails over (see `failureAction`).
 * Code `unknown`; not retryable.
 */
export class UnknownError extends QlError {
  /** True when `error` is an `UnknownError`, from any copy of this package. */
  static override isInstance(error: unknown): error is UnknownError {
    return isQlError(error, 'unknown')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'unknown', retryable: options.retryable ?? false })
    this.name = 'UnknownError'
  }
}

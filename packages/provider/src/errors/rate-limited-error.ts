import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The provider is rate limiting this key or account (HTTP 429, Bedrock `ThrottlingException`).
 * `retryAfterMs` says when to try again, when the provider said.
 * Code `rate_limited`; retryable by default.
 */
export class RateLimitedError extends QlError {
  /** True when `error` is a `RateLimitedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is RateLimitedError {
    return isQlError(error, 'rate_limited')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'rate_limited', retryable: options.retryable ?? true })
    this.name = 'RateLimitedError'
  }
}

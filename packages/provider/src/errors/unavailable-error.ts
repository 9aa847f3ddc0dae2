import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The provider could not be reached or failed on its side: 5xx, connection refused, reset or
 * closed, Bedrock `ServiceUnavailableException`.
 * Code `unavailable`; retryable by default.
 */
export class UnavailableError extends QlError {
  /** True when `error` is a `UnavailableError`, from any copy of this package. */
  static override isInstance(error: unknown): error is UnavailableError {
    return isQlError(error, 'unavailable')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'unavailable', retryable: options.retryable ?? true })
    this.name = 'UnavailableError'
  }
}

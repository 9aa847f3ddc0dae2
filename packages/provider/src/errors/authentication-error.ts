import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The credentials are missing, wrong, expired or lack permission (HTTP 401/403). Fix the key;
 * retrying will not help.
 * Code `authentication`; not retryable.
 */
export class AuthenticationError extends QlError {
  /** True when `error` is a `AuthenticationError`, from any copy of this package. */
  static override isInstance(error: unknown): error is AuthenticationError {
    return isQlError(error, 'authentication')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'authentication', retryable: options.retryable ?? false })
    this.name = 'AuthenticationError'
  }
}

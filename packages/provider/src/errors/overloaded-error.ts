import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The provider is over capacity (Anthropic 529 `overloaded_error`, HTTP 503 that says so).
 * Try again later or elsewhere.
 * Code `overloaded`; retryable by default.
 */
export class OverloadedError extends QlError {
  /** True when `error` is a `OverloadedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is OverloadedError {
    return isQlError(error, 'overloaded')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'overloaded', retryable: options.retryable ?? true })
    this.name = 'OverloadedError'
  }
}

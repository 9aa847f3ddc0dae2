import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The provider's answer was malformed (bad JSON, a broken SSE or event-stream frame) or ended
 * without its terminal event: never a silently shortened answer.
 * Code `invalid_response`; retryable by default.
 */
export class InvalidResponseError extends QlError {
  /** True when `error` is a `InvalidResponseError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidResponseError {
    return isQlError(error, 'invalid_response')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'invalid_response', retryable: options.retryable ?? true })
    this.name = 'InvalidResponseError'
  }
}

import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The input does not fit the model's context window. Shorten it, or fall back to a model with a
 * larger window.
 * Code `context_length_exceeded`; not retryable.
 */
export class ContextLengthExceededError extends QlError {
  /** True when `error` is a `ContextLengthExceededError`, from any copy of this package. */
  static override isInstance(error: unknown): error is ContextLengthExceededError {
    return isQlError(error, 'context_length_exceeded')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'context_length_exceeded', retryable: options.retryable ?? false })
    this.name = 'ContextLengthExceededError'
  }
}

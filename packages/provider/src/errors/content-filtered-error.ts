import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The provider's safety system refused the input or the output.
 * Code `content_filtered`; not retryable.
 */
export class ContentFilteredError extends QlError {
  /** True when `error` is a `ContentFilteredError`, from any copy of this package. */
  static override isInstance(error: unknown): error is ContentFilteredError {
    return isQlError(error, 'content_filtered')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'content_filtered', retryable: options.retryable ?? false })
    this.name = 'ContentFilteredError'
  }
}

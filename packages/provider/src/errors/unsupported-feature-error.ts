import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The provider or model cannot do what the request asks (for example structured output on a
 * provider that has none).
 * Code `unsupported_feature`; not retryable.
 */
export class UnsupportedFeatureError extends QlError {
  /** True when `error` is a `UnsupportedFeatureError`, from any copy of this package. */
  static override isInstance(error: unknown): error is UnsupportedFeatureError {
    return isQlError(error, 'unsupported_feature')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'unsupported_feature', retryable: options.retryable ?? false })
    this.name = 'UnsupportedFeatureError'
  }
}

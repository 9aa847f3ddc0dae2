import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/** The caller cancelled the call through its `AbortSignal`. Code `aborted`; never retried. */
export class AbortedError extends QlError {
  /** True when `error` is a `AbortedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is AbortedError {
    return isQlError(error, 'aborted')
  }

  constructor(options: Partial<QlErrorOptions> = {}) {
    super({
      ...options,
      message: options.message ?? 'the call was aborted',
      code: 'aborted',
      retryable: false,
    })
    this.name = 'AbortedError'
  }
}

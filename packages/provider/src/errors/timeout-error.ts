import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * The call took longer than its time budget (`timeoutMs`, or the provider's own gateway
 * timeout, HTTP 408/504). Code `timeout`; retryable by default.
 */
export class TimeoutError extends QlError {
  /** True when `error` is a `TimeoutError`, from any copy of this package. */
  static override isInstance(error: unknown): error is TimeoutError {
    return isQlError(error, 'timeout')
  }
  /** The budget that ran out, when known. */
  readonly timeoutMs?: number

  constructor(options: QlErrorOptions & { timeoutMs?: number }) {
    super({ ...options, code: 'timeout', retryable: options.retryable ?? true })
    this.name = 'TimeoutError'
    if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs
  }

  protected override jsonDetails() {
    return this.timeoutMs === undefined ? undefined : { timeoutMs: this.timeoutMs }
  }
}

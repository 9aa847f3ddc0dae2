import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/**
 * A circuit breaker rejected the call without trying it, because the target failed too often
 * recently. `retryAfterMs` is the time until the breaker lets a trial call through.
 * Code `circuit_open`; retryable (after the wait, or on another target).
 */
export class CircuitOpenError extends QlError {
  /** True when `error` is a `CircuitOpenError`, from any copy of this package. */
  static override isInstance(error: unknown): error is CircuitOpenError {
    return isQlError(error, 'circuit_open')
  }

  constructor(options: QlErrorOptions) {
    super({ ...options, code: 'circuit_open', retryable: options.retryable ?? true })
    this.name = 'CircuitOpenError'
  }
}

import type { QlErrorOptions } from '@ql/provider'
import { isQlError, QlError } from '@ql/provider'

/**
 * A shared router state store could not answer: the server is down or unreachable, the
 * connection is being re-established, or an operation took longer than the store's timeout.
 * Code `router_state_unavailable`, retryable. The router never lets it fail a call: it routes on
 * its own process's state and reports the outage in a `state-store` event. `operation` names
 * the store method that failed (`readTargets`, `reserveCapacity`, ...).
 */
export class RouterStateUnavailableError extends QlError {
  /** True when `error` is a `RouterStateUnavailableError`, from any copy of this package. */
  static override isInstance(error: unknown): error is RouterStateUnavailableError {
    return isQlError(error, 'router_state_unavailable')
  }
  /** The store method that failed. */
  readonly operation: string

  constructor(options: Omit<QlErrorOptions, 'retryable'> & { operation: string }) {
    super({ ...options, code: 'router_state_unavailable', retryable: true })
    this.name = 'RouterStateUnavailableError'
    this.operation = options.operation
  }

  protected override jsonDetails() {
    return { operation: this.operation }
  }
}

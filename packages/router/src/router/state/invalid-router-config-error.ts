import type { QlErrorOptions } from '@ql/provider'
import { isQlError, QlError } from '@ql/provider'

/**
 * A router setting is invalid: a limit that is not a positive number, an EWMA weight outside
 * (0, 1], a route condition of the wrong shape. `path` names the setting
 * (`targets[1].limits.rpm`, `limits.tpm`). Code `invalid_router_config`; never retried: fix the
 * configuration.
 */
export class InvalidRouterConfigError extends QlError {
  /** True when `error` is an `InvalidRouterConfigError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidRouterConfigError {
    return isQlError(error, 'invalid_router_config')
  }
  /** The setting that was wrong, written as in code: `limits.rpm`. */
  readonly path: string

  constructor(options: Omit<QlErrorOptions, 'retryable'> & { path: string }) {
    super({ ...options, code: 'invalid_router_config', retryable: false })
    this.name = 'InvalidRouterConfigError'
    this.path = options.path
  }

  protected override jsonDetails() {
    return { path: this.path }
  }
}

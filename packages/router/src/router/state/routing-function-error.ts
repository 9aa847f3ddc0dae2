import type { QlErrorOptions } from '@ql/provider'
import { isQlError, QlError } from '@ql/provider'

/** Which user-supplied routing function failed. */
export type RoutingFunctionKind = 'strategy' | 'route-condition'

/**
 * A routing function the user supplied (a strategy function or a route condition) threw, or
 * returned something the router cannot use: not an array, an id no target has, a value that is
 * not a boolean. `cause` holds what it threw. Code `routing_function_failed`; never retried: the
 * function is wrong for every target alike.
 */
export class RoutingFunctionError extends QlError {
  /** True when `error` is a `RoutingFunctionError`, from any copy of this package. */
  static override isInstance(error: unknown): error is RoutingFunctionError {
    return isQlError(error, 'routing_function_failed')
  }
  /** The kind of function that failed. */
  readonly kind: RoutingFunctionKind
  /** The ids it returned that no configured target has (at most 10 are kept). */
  readonly unknownIds: readonly string[]

  constructor(
    options: Omit<QlErrorOptions, 'retryable'> & {
      kind: RoutingFunctionKind
      unknownIds?: readonly string[]
    },
  ) {
    super({ ...options, code: 'routing_function_failed', retryable: false })
    this.name = 'RoutingFunctionError'
    this.kind = options.kind
    this.unknownIds = (options.unknownIds ?? []).slice(0, 10)
  }

  protected override jsonDetails() {
    return this.unknownIds.length === 0
      ? { kind: this.kind }
      : { kind: this.kind, unknownIds: this.unknownIds }
  }
}

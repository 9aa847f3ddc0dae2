import { isQlError, QlError, type QlErrorOptions } from '@ql/provider'

/**
 * An {@link agentNode} used all its turns and the model still asked for tools. Code `max_turns`;
 * not retryable (raise `maxTurns`, or give the model better tools or instructions).
 */
export class MaxTurnsError extends QlError {
  /** True when `error` is a `MaxTurnsError`, from any copy of this package. */
  static override isInstance(error: unknown): error is MaxTurnsError {
    return isQlError(error, 'max_turns')
  }
  /** The limit that was reached. */
  readonly maxTurns: number

  constructor(options: QlErrorOptions & { maxTurns: number }) {
    super({ ...options, code: 'max_turns', retryable: false })
    this.name = 'MaxTurnsError'
    this.maxTurns = options.maxTurns
  }

  protected override jsonDetails() {
    return { maxTurns: this.maxTurns }
  }
}

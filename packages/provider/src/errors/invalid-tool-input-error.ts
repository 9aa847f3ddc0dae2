import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'
import { redactSecrets } from './redact-secrets'

/**
 * The model called a tool with arguments that are not valid JSON. Code `invalid_tool_input`;
 * retryable (a new sample usually gets it right).
 */
export class InvalidToolInputError extends QlError {
  /** True when `error` is a `InvalidToolInputError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidToolInputError {
    return isQlError(error, 'invalid_tool_input')
  }
  /** The tool the model called. */
  readonly toolName: string
  /** The arguments as the model wrote them (at most 1 KiB kept). */
  readonly rawInput: string

  constructor(options: QlErrorOptions & { toolName: string; rawInput: string }) {
    super({ ...options, code: 'invalid_tool_input', retryable: options.retryable ?? true })
    this.name = 'InvalidToolInputError'
    this.toolName = options.toolName
    this.rawInput = redactSecrets(options.rawInput.slice(0, 1024), options.secrets)
  }

  protected override jsonDetails() {
    return { toolName: this.toolName, rawInput: this.rawInput }
  }
}

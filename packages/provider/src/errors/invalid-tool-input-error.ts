import type { ValidationIssue } from './invalid-request-error'
import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'
import { redactSecrets } from './redact-secrets'

/**
 * Why a tool call was rejected: its arguments are not JSON (`invalid_json`), it names a tool the
 * request did not define (`unknown_tool`), or its input fails the tool's schema (`schema_mismatch`).
 */
export type InvalidToolInputReason = 'invalid_json' | 'unknown_tool' | 'schema_mismatch'

/**
 * The model called a tool with arguments that are not valid JSON, called a tool that does not
 * exist, or gave input that fails the tool's schema (see `reason`; the last two come from
 * `validateToolCalls`). Code `invalid_tool_input`; retryable (a new sample usually gets it right).
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
  /** What was wrong; `invalid_json` when not given. */
  readonly reason: InvalidToolInputReason
  /** The id of the rejected call, when known. */
  readonly toolCallId?: string
  /** For `schema_mismatch`: each field of the input that failed, with its path inside the input. */
  readonly issues: readonly ValidationIssue[]

  constructor(
    options: QlErrorOptions & {
      toolName: string
      rawInput: string
      reason?: InvalidToolInputReason
      toolCallId?: string
      issues?: readonly ValidationIssue[]
    },
  ) {
    super({ ...options, code: 'invalid_tool_input', retryable: options.retryable ?? true })
    this.name = 'InvalidToolInputError'
    this.toolName = options.toolName
    this.rawInput = redactSecrets(options.rawInput.slice(0, 1024), options.secrets)
    this.reason = options.reason ?? 'invalid_json'
    if (options.toolCallId !== undefined) this.toolCallId = options.toolCallId
    this.issues = options.issues ?? []
  }

  protected override jsonDetails() {
    return {
      toolName: this.toolName,
      rawInput: this.rawInput,
      reason: this.reason,
      ...(this.toolCallId === undefined ? {} : { toolCallId: this.toolCallId }),
      ...(this.issues.length === 0 ? {} : { issues: this.issues }),
    }
  }
}

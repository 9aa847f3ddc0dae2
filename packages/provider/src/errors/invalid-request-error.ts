import type { QlErrorOptions } from './ql-error'
import { isQlError, QlError } from './ql-error'

/** One problem found in a request: where it is and what was expected. */
export interface ValidationIssue {
  /** The field, written as in code: `messages[2].content[0].toolCallId`. */
  path: string
  /** What was wrong and what was expected. */
  message: string
}

/**
 * The request is malformed: our own validation found `issues`, or the provider rejected it
 * (HTTP 400/404/413/422). Code `invalid_request`; never retried: fix the request.
 */
export class InvalidRequestError extends QlError {
  /** True when `error` is a `InvalidRequestError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidRequestError {
    return isQlError(error, 'invalid_request')
  }
  /** Each problem found by validation, with the field it is in. Empty for provider rejections. */
  readonly issues: readonly ValidationIssue[]

  constructor(options: QlErrorOptions & { issues?: readonly ValidationIssue[] }) {
    super({ ...options, code: 'invalid_request', retryable: options.retryable ?? false })
    this.name = 'InvalidRequestError'
    this.issues = options.issues ?? []
  }

  protected override jsonDetails() {
    return this.issues.length === 0 ? undefined : { issues: this.issues }
  }
}

import { isQlError } from './ql-error'
import { redactSecrets } from './redact-secrets'

/** Longest error text kept on a span (status message, exception event). */
const MAX_MESSAGE_LENGTH = 500

/**
 * `error.type` for a failure, as OpenTelemetry's conventions ask, for any span or metric that records one: a `QlError`'s code (`rate_limited`, `timeout`,
 * `all_targets_failed`...), else the error's class name when it has its own
 * (`TypeError`), else `_OTHER`, as the conventions ask. Low cardinality, never message text.
 */
export function errorType(error: unknown): string {
  if (isQlError(error)) return error.code
  if (error instanceof Error && error.name !== '' && error.name !== 'Error') return error.name
  return '_OTHER'
}

/**
 * An error's message with every credential redacted (`redactSecrets`), cut to 500 characters:
 * the only error text the `@ql` packages put on a span (status message, exception event). Stacks and
 * causes never reach a span.
 *
 * @example
 * ```ts
 * span.setAttribute('error.type', errorType(error))
 * span.setStatus({ code: SpanStatusCode.ERROR, message: safeErrorMessage(error) })
 * ```
 */
export function safeErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : ''
  const redacted = redactSecrets(message)
  return redacted.length > MAX_MESSAGE_LENGTH ? `${redacted.slice(0, MAX_MESSAGE_LENGTH)}…` : redacted
}

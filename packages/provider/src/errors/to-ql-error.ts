import { QlError } from './ql-error'
import { UnknownError } from './unknown-error'

/** Where a failure happened, for the message of an {@link UnknownError}. */
export interface ToQlErrorContext {
  /** The provider whose call failed, for example `openai`. */
  provider?: string
  /** The model that was called. */
  modelId?: string
}

/**
 * The one default mapping of a failure to a typed error, used by both `generate` (`runCall`) and
 * `stream` (`createChatStream`) so the same failure becomes the same error everywhere. A `QlError`
 * (from any copy of this package) is returned as is; anything else becomes a non-retryable
 * {@link UnknownError} with the original as its `cause`.
 *
 * Adapters map the failures they recognise (SDK errors, HTTP statuses) first and leave the rest
 * to this.
 *
 * @example
 * ```ts
 * const error = toQlError(new Error('boom'), { provider: 'mock' })
 * error.code // 'unknown'
 * error.message // 'the mock model failed with an unexpected error: boom'
 * ```
 */
export function toQlError(error: unknown, context: ToQlErrorContext = {}): QlError {
  if (QlError.isInstance(error)) return error
  const message = error instanceof Error ? error.message : describe(error)
  const provider = context.provider ?? 'unknown'
  return new UnknownError({
    message: `the ${provider} model failed with an unexpected error: ${message}`,
    cause: error,
    ...(context.provider === undefined ? {} : { provider: context.provider }),
    ...(context.modelId === undefined ? {} : { modelId: context.modelId }),
  })
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    const json = JSON.stringify(value)
    if (json !== undefined) return json.length > 200 ? `${json.slice(0, 200)}…` : json
  } catch {
    // fall through to String()
  }
  return String(value)
}

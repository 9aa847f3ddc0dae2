import { AbortedError } from './aborted-error'
import { AllTargetsFailedError, type FailedAttempt } from './all-targets-failed-error'
import { AuthenticationError } from './authentication-error'
import { CircuitOpenError } from './circuit-open-error'
import { ContentFilteredError } from './content-filtered-error'
import { ContextLengthExceededError } from './context-length-exceeded-error'
import type { QlErrorCode } from './error-code'
import { InvalidRequestError, type ValidationIssue } from './invalid-request-error'
import { InvalidResponseError } from './invalid-response-error'
import { InvalidToolInputError } from './invalid-tool-input-error'
import { OverloadedError } from './overloaded-error'
import type { QlError, QlErrorJSON, QlErrorOptions } from './ql-error'
import { RateLimitedError } from './rate-limited-error'
import { TimeoutError } from './timeout-error'
import { UnavailableError } from './unavailable-error'
import { UnknownError } from './unknown-error'
import { UnsupportedFeatureError } from './unsupported-feature-error'

const SIMPLE: Partial<Record<QlErrorCode, new (options: QlErrorOptions) => QlError>> = {
  rate_limited: RateLimitedError,
  overloaded: OverloadedError,
  unavailable: UnavailableError,
  invalid_response: InvalidResponseError,
  circuit_open: CircuitOpenError,
  authentication: AuthenticationError,
  context_length_exceeded: ContextLengthExceededError,
  content_filtered: ContentFilteredError,
  unsupported_feature: UnsupportedFeatureError,
  unknown: UnknownError,
}

/**
 * Rebuilds a typed error from its {@link QlError.toJSON} form, for errors that crossed a process,
 * worker or network boundary (a Kubernetes worker reporting to its executor, say). The result
 * has the original class, code, retryability and details; the cause comes back as a plain `Error`.
 *
 * @throws TypeError when `json` is not the JSON form of a `QlError`.
 */
export function qlErrorFromJSON(json: QlErrorJSON): QlError {
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.code !== 'string' ||
    typeof json.message !== 'string'
  ) {
    throw new TypeError('qlErrorFromJSON expects the object returned by QlError#toJSON()')
  }
  const cause =
    json.cause === undefined ? undefined : Object.assign(new Error(json.cause.message), json.cause)
  const options: QlErrorOptions = {
    message: json.message,
    retryable: json.retryable,
    ...(cause === undefined ? {} : { cause }),
    ...(json.status === undefined ? {} : { status: json.status }),
    ...(json.retryAfterMs === undefined ? {} : { retryAfterMs: json.retryAfterMs }),
    ...(json.provider === undefined ? {} : { provider: json.provider }),
    ...(json.modelId === undefined ? {} : { modelId: json.modelId }),
    ...(json.url === undefined ? {} : { url: json.url }),
    ...(json.responseHeaders === undefined ? {} : { responseHeaders: json.responseHeaders }),
    ...(json.responseBody === undefined ? {} : { responseBody: json.responseBody }),
  }
  const details = json.details ?? {}
  const Simple = SIMPLE[json.code]
  if (Simple !== undefined) return new Simple(options)
  switch (json.code) {
    case 'timeout':
      return new TimeoutError({
        ...options,
        ...(typeof details.timeoutMs === 'number' ? { timeoutMs: details.timeoutMs } : {}),
      })
    case 'aborted':
      return new AbortedError(options)
    case 'invalid_request':
      return new InvalidRequestError({
        ...options,
        issues: (details.issues as ValidationIssue[] | undefined) ?? [],
      })
    case 'invalid_tool_input':
      return new InvalidToolInputError({
        ...options,
        toolName: String(details.toolName ?? ''),
        rawInput: String(details.rawInput ?? ''),
      })
    case 'all_targets_failed': {
      const raw =
        (details.attempts as { provider: string; modelId: string; error: QlErrorJSON }[] | undefined) ?? []
      const attempts: FailedAttempt[] = raw.map((a) => ({
        provider: a.provider,
        modelId: a.modelId,
        error: qlErrorFromJSON(a.error),
      }))
      return new AllTargetsFailedError({ message: json.message, attempts })
    }
    default:
      throw new TypeError(`qlErrorFromJSON: unknown error code '${String(json.code)}'`)
  }
}

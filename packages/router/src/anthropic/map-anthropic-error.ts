import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk'
import {
  AbortedError,
  AuthenticationError,
  ContextLengthExceededError,
  createApiCallError,
  InvalidRequestError,
  InvalidResponseError,
  OverloadedError,
  parseRetryAfterMs,
  type QlError,
  QlError as QlErrorClass,
  type QlErrorOptions,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
} from '@ql/provider'
import { isContextLengthMessage } from '../shared/context-length-patterns'
import { redactCause } from '../shared/redact-cause'

/** What the error mapping needs to know about the call. */
export interface AnthropicErrorContext {
  modelId: string
  /** The API key in use, redacted from every message and body. */
  secrets: readonly (string | undefined)[]
}

const PROVIDER = 'anthropic'

/**
 * The HTTP status each Anthropic `error.type` stands for, used for errors that arrive inside a
 * 200 stream (an SSE `error` event carries a type but no status).
 */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

/**
 * Maps whatever the Anthropic SDK threw to a typed `QlError`:
 * - HTTP errors by status (`createApiCallError`, which reads `retry-after` and the
 *   `anthropic-ratelimit-*-reset` headers), with `overloaded_error` (529) as `OverloadedError`
 *   and an over-long prompt as `ContextLengthExceededError`;
 * - an SSE `error` event inside a 200 stream by its `error.type`, as the same typed error;
 * - connection failures as `UnavailableError`, SDK timeouts as `TimeoutError`, malformed JSON
 *   as `InvalidResponseError`.
 */
export function mapAnthropicError(error: unknown, context: AnthropicErrorContext): QlError {
  if (QlErrorClass.isInstance(error)) return error
  const base = {
    provider: PROVIDER,
    modelId: context.modelId,
    secrets: context.secrets,
    cause: redactCause(error, context.secrets),
  }
  if (error instanceof APIUserAbortError)
    return new AbortedError({ ...base, message: 'the Anthropic call was aborted' })
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError({ ...base, message: 'the Anthropic API did not answer in time' })
  }
  if (error instanceof APIConnectionError) {
    const reason = error.cause instanceof Error ? `: ${error.cause.message}` : ''
    return new UnavailableError({
      ...base,
      message: `could not reach the Anthropic API (${error.message}${reason})`,
    })
  }
  if (error instanceof APIError) return fromApiError(error, base)
  if (error instanceof SyntaxError) {
    return new InvalidResponseError({
      ...base,
      message: `the Anthropic API sent malformed JSON: ${error.message}`,
    })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new UnavailableError({ ...base, message: `the Anthropic call failed: ${message}` })
}

function fromApiError(error: APIError, base: Omit<QlErrorOptions, 'message'>): QlError {
  const type = error.type ?? undefined
  const apiMessage = error.apiMessage ?? error.message
  const body = error.error === undefined ? undefined : JSON.stringify(error.error)
  const message = `Anthropic ${type ?? 'error'}${error.status === undefined ? ' in the stream' : ` (HTTP ${error.status})`}: ${apiMessage}`
  const options: QlErrorOptions = {
    ...base,
    message,
    ...(body === undefined ? {} : { responseBody: body }),
  }

  const status = error.status ?? (type === undefined ? undefined : STATUS_OF_TYPE[type])
  // Anthropic has no error code for an over-long prompt ("prompt is too long: N tokens > M
  // maximum" in a 400 invalid_request_error): the message is the only signal there is
  if ((status === 400 || status === 413) && isContextLengthMessage(apiMessage)) {
    return new ContextLengthExceededError(withStatus(options, error.status))
  }
  if (type === 'overloaded_error') {
    const retryAfterMs = parseRetryAfterMs(error.headers ?? undefined)
    return new OverloadedError({
      ...withStatus(options, error.status),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    })
  }

  if (error.status !== undefined) {
    return createApiCallError({
      ...options,
      status: error.status,
      responseHeaders: error.headers ?? undefined,
    })
  }
  // an `error` event inside a 200 stream: no status of its own, typed by `error.type`
  switch (status) {
    case 429:
      return new RateLimitedError(options)
    case 401:
    case 403:
      return new AuthenticationError(options)
    case 400:
    case 402:
    case 404:
    case 413:
      return new InvalidRequestError(options)
    default:
      return new UnavailableError(options)
  }
}

function withStatus(options: QlErrorOptions, status: number | undefined): QlErrorOptions {
  return status === undefined ? options : { ...options, status }
}

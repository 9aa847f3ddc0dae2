import {
  AbortedError,
  AuthenticationError,
  ContentFilteredError,
  ContextLengthExceededError,
  createApiCallError,
  InvalidRequestError,
  InvalidResponseError,
  isQlError,
  OverloadedError,
  type QlError,
  type QlErrorOptions,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
} from '@ql/provider'
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import { CONTEXT_LENGTH_CODES, isContextLengthMessage } from '../shared/context-length-patterns'
import { redactCause } from '../shared/redact-cause'

/** Who failed, for the typed error. */
export interface OpenAIErrorContext {
  provider: string
  modelId: string
  /** The API key used for the call, redacted from everything the error keeps. */
  secrets: readonly (string | undefined)[]
  /** The endpoint that was called. */
  url?: string | undefined
}

const CONTENT_FILTER_CODES = new Set(['content_filter', 'content_policy_violation', 'invalid_prompt'])
const RATE_LIMIT_CODES = new Set(['rate_limit_exceeded', 'rate_limit_error', 'requests', 'tokens'])
const OVERLOADED_CODES = new Set(['overloaded', 'overloaded_error', 'server_overloaded', 'engine_overloaded'])
const AUTH_CODES = new Set(['invalid_api_key', 'authentication_error', 'permission_error'])

/**
 * Maps whatever the OpenAI SDK threw to the typed `@ql/provider` error:
 *
 * - `APIError`: a context-length code or wording (see `CONTEXT_LENGTH_PATTERNS`, which covers
 *   vLLM, llama.cpp, LM Studio, Ollama and TGI too) → `ContextLengthExceededError`, a content
 *   policy code → `ContentFilteredError`, otherwise by status through `createApiCallError`
 *   (429 → `RateLimitedError` with `retryAfterMs` from the headers, 5xx → `UnavailableError`, ...);
 * - `APIError` without a status (an error inside a 200 stream, or a 200 body holding `error`):
 *   a numeric `code` (vLLM, llama.cpp: `{"error":{"type":"BadRequestError","code":400}}`) is read
 *   as the HTTP status it stands for, and kept as the error's `status`; otherwise by its string
 *   `code` / `type`;
 * - `APIConnectionTimeoutError` → `TimeoutError`, `APIConnectionError` → `UnavailableError`,
 *   `APIUserAbortError` → `AbortedError` (callers throw their CallSignal's reason first);
 * - a JSON `SyntaxError` (a malformed body or frame) → `InvalidResponseError`;
 * - anything else (a socket cut mid-stream) → `UnavailableError`.
 *
 * The configured key is passed as a secret: it is redacted from the message, body and cause.
 */
export function mapOpenAIError(error: unknown, context: OpenAIErrorContext): QlError {
  if (isQlError(error)) return error
  const { provider, modelId, secrets } = context
  const base = {
    provider,
    modelId,
    secrets,
    cause: redactCause(error, secrets),
    ...(context.url === undefined ? {} : { url: context.url }),
  }
  const detail = error instanceof Error ? error.message : String(error)

  if (error instanceof APIUserAbortError)
    return new AbortedError({ ...base, message: `the ${provider} call was aborted` })
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError({ ...base, message: `the ${provider} call timed out: ${detail}` })
  }
  if (error instanceof APIConnectionError) {
    return new UnavailableError({ ...base, message: `could not reach ${provider}: ${describeCause(error)}` })
  }
  if (error instanceof APIError) return fromApiError(error, base)
  if (error instanceof SyntaxError) {
    return new InvalidResponseError({
      ...base,
      message: `${provider} sent a response that is not valid JSON: ${detail}`,
    })
  }
  return new UnavailableError({ ...base, message: `the ${provider} call failed: ${detail}` })
}

function fromApiError(
  error: APIError,
  base: Omit<QlErrorOptions, 'message'> & { provider: string },
): QlError {
  const code = typeof error.code === 'string' && !NUMERIC.test(error.code) ? error.code : undefined
  const type = typeof error.type === 'string' ? error.type : undefined
  const status = error.status
  // OpenAI-compatible servers put the HTTP status they mean in `code`, also inside a 200 stream;
  // it becomes the error's `status` (the status the server would have answered with)
  const impliedStatus = status ?? statusOfCode(error.code)
  const kinds = [code, type].filter((kind): kind is string => kind !== undefined)
  const is = (set: ReadonlySet<string>) => kinds.some((kind) => set.has(kind))
  // the SDK keeps the body's `error` member; the body on the wire is `{ error: {...} }`
  const responseBody = error.error === undefined ? undefined : JSON.stringify({ error: error.error })
  const options: QlErrorOptions = {
    ...base,
    message: `${base.provider} ${status === undefined ? 'stream error' : `HTTP ${status}`}${code === undefined ? '' : ` (${code})`}${status === undefined && impliedStatus !== undefined ? ` (code ${impliedStatus})` : ''}: ${errorMessage(error)}`,
    ...(impliedStatus === undefined ? {} : { status: impliedStatus }),
    ...(responseBody === undefined ? {} : { responseBody }),
    ...(error.headers === undefined ? {} : { responseHeaders: error.headers }),
  }
  if (is(CONTEXT_LENGTH_CODES)) return new ContextLengthExceededError(options)
  if (is(CONTENT_FILTER_CODES)) return new ContentFilteredError(options)
  if (mayBeContextLength(impliedStatus) && isContextLengthMessage(errorMessage(error))) {
    return new ContextLengthExceededError(options)
  }
  if (impliedStatus !== undefined) return createApiCallError({ ...options, status: impliedStatus })
  // an error event inside a 200 stream: only its code and type say what happened
  if (is(RATE_LIMIT_CODES)) return new RateLimitedError(options)
  if (is(OVERLOADED_CODES)) return new OverloadedError(options)
  if (is(AUTH_CODES)) return new AuthenticationError(options)
  if (type === 'invalid_request_error') return new InvalidRequestError(options)
  return new UnavailableError(options)
}

const NUMERIC = /^\d{3}$/

/** The HTTP status a numeric error `code` stands for (`400`, `"429"`), when it is one. */
function statusOfCode(code: unknown): number | undefined {
  const value =
    typeof code === 'number'
      ? code
      : typeof code === 'string' && NUMERIC.test(code)
        ? Number(code)
        : Number.NaN
  return Number.isInteger(value) && value >= 400 && value <= 599 ? value : undefined
}

/**
 * Whether an error with this status can be a context-length error: a 400/413/422, a 5xx (llama.cpp
 * answers an over-long prompt with 500 "Context size has been exceeded."), or an in-stream error
 * with no status. Never a 429: "too many tokens" there is about rate, not size.
 */
function mayBeContextLength(status: number | undefined): boolean {
  return status === undefined || status === 400 || status === 413 || status === 422 || status >= 500
}

function errorMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined
  return typeof body?.message === 'string' ? body.message : error.message
}

function describeCause(error: Error): string {
  const cause = (error as { cause?: unknown }).cause
  const inner = cause instanceof Error ? `${cause.message}${describeCode(cause)}` : ''
  return inner === '' ? error.message : `${error.message} (${inner})`
}

function describeCode(error: Error): string {
  const cause = (error as { cause?: { code?: unknown } }).cause
  return typeof cause?.code === 'string' ? `: ${cause.code}` : ''
}

import {
  AbortedError,
  AuthenticationError,
  ContextLengthExceededError,
  createApiCallError,
  InvalidRequestError,
  InvalidResponseError,
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
export interface BedrockErrorContext {
  modelId: string
  /** Credentials in use (secret key, session token, API key), redacted from every message. */
  secrets: readonly (string | undefined)[]
}

const PROVIDER = 'bedrock'

type Kind = 'rate' | 'unavailable' | 'timeout' | 'auth' | 'invalid' | 'validation'

/** Bedrock's exception names (HTTP and in-stream), lower-cased, and what each means. */
const KINDS: Record<string, Kind> = {
  throttlingexception: 'rate',
  servicequotaexceededexception: 'rate',
  serviceunavailableexception: 'unavailable',
  internalserverexception: 'unavailable',
  modelstreamerrorexception: 'unavailable',
  modelnotreadyexception: 'unavailable',
  modelerrorexception: 'unavailable',
  modeltimeoutexception: 'timeout',
  accessdeniedexception: 'auth',
  unrecognizedclientexception: 'auth',
  invalidsignatureexception: 'auth',
  expiredtokenexception: 'auth',
  credentialsprovidererror: 'auth',
  validationexception: 'validation',
  resourcenotfoundexception: 'invalid',
}

interface SdkError extends Error {
  $metadata?: { httpStatusCode?: number; requestId?: string }
  $response?: { headers?: Record<string, string> }
  code?: unknown
  /** `ModelStreamErrorException`: the status the model itself failed with. */
  originalStatusCode?: number
}

/**
 * Maps whatever the Bedrock runtime SDK threw to a typed `QlError`, by the exception's name
 * (from `x-amzn-errortype`, or an event-stream exception frame's `:exception-type`):
 * `ThrottlingException` → `RateLimitedError`; `ServiceUnavailableException`,
 * `InternalServerException`, `ModelStreamErrorException`, `ModelNotReadyException` →
 * `UnavailableError` (retryable); `ModelTimeoutException` → `TimeoutError`; `AccessDenied` and
 * credential failures → `AuthenticationError`; a `ValidationException` about input length →
 * `ContextLengthExceededError`, any other → `InvalidRequestError`. Unknown names fall back to
 * the HTTP status (`createApiCallError`); network failures are `UnavailableError`, undecodable
 * responses (bad JSON, corrupt frames) `InvalidResponseError`. `retryAfterMs` comes from the
 * response's `retry-after` headers when present.
 */
export function mapBedrockError(error: unknown, context: BedrockErrorContext): QlError {
  if (QlErrorClass.isInstance(error)) return error
  const sdk = (error instanceof Error ? error : new Error(String(error))) as SdkError
  const status = sdk.$metadata?.httpStatusCode
  const headers = sdk.$response?.headers
  const retryAfterMs = parseRetryAfterMs(headers)
  const httpStatus = status !== undefined && status >= 400 ? status : undefined
  const where = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`
  const options: QlErrorOptions = {
    message: `Bedrock ${sdk.name}${where}: ${sdk.message}`,
    provider: PROVIDER,
    modelId: context.modelId,
    secrets: context.secrets,
    cause: redactCause(sdk, context.secrets),
    ...(httpStatus === undefined ? {} : { status: httpStatus }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(headers === undefined ? {} : { responseHeaders: headers }),
  }

  if (sdk.name === 'AbortError')
    return new AbortedError({ ...options, message: 'the Bedrock call was aborted' })
  // a model that failed mid-stream because it was throttled is throttling, not an outage
  if (sdk.name === 'ModelStreamErrorException' && sdk.originalStatusCode === 429)
    return new RateLimitedError(options)
  switch (KINDS[sdk.name.toLowerCase()]) {
    case 'rate':
      return new RateLimitedError(options)
    case 'unavailable':
      return new UnavailableError(options)
    case 'timeout':
      return new TimeoutError(options)
    case 'auth':
      return new AuthenticationError(options)
    case 'validation':
      // Bedrock has no code for an over-long prompt: a ValidationException whose message says so
      // ("Input is too long for requested model", "prompt is too long: N tokens > M maximum")
      return isContextLengthMessage(sdk.message)
        ? new ContextLengthExceededError(options)
        : new InvalidRequestError(options)
    case 'invalid':
      return new InvalidRequestError(options)
  }
  if (httpStatus !== undefined)
    return createApiCallError({ ...options, status: httpStatus, responseHeaders: headers })
  if (sdk instanceof SyntaxError || (status !== undefined && typeof sdk.code !== 'string')) {
    return new InvalidResponseError({
      ...options,
      message: `Bedrock sent a response the SDK could not read: ${sdk.message}`,
    })
  }
  if (typeof sdk.code === 'string') {
    return new UnavailableError({
      ...options,
      message: `could not reach Bedrock (${sdk.code}): ${sdk.message}`,
    })
  }
  return new UnavailableError({ ...options, message: `the Bedrock call failed: ${sdk.name}: ${sdk.message}` })
}

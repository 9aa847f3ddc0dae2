import { AuthenticationError } from './authentication-error'
import { InvalidRequestError } from './invalid-request-error'
import { OverloadedError } from './overloaded-error'
import { parseRetryAfterMs } from './parse-retry-after'
import type { QlError, QlErrorOptions } from './ql-error'
import { RateLimitedError } from './rate-limited-error'
import { TimeoutError } from './timeout-error'
import { UnavailableError } from './unavailable-error'

/** What {@link createApiCallError} needs to know about a failed HTTP call. */
export interface ApiCallErrorInput extends Omit<QlErrorOptions, 'responseHeaders' | 'retryAfterMs'> {
  /** The HTTP status. */
  status: number
  /** The response headers; read for `retry-after` and rate-limit resets, then stored redacted. */
  responseHeaders?: Headers | Record<string, string | undefined>
}

/**
 * Maps a failed HTTP call to the typed error its status means, with `retryAfterMs` read from the
 * response headers (see {@link parseRetryAfterMs}):
 *
 * | status | error | retryable |
 * |---|---|---|
 * | 401, 403 | `AuthenticationError` | no |
 * | 408 | `TimeoutError` | yes |
 * | 409 | `UnavailableError` (a lock or conflict on the provider's side) | yes |
 * | 429 | `RateLimitedError` | yes |
 * | 529 | `OverloadedError` | yes |
 * | other 5xx | `UnavailableError` | yes |
 * | other 4xx | `InvalidRequestError` | no |
 *
 * Adapters recognise provider-specific kinds first (context length, content filter) from the
 * provider's error code and fall back to this for the rest.
 */
export function createApiCallError(input: ApiCallErrorInput): QlError {
  const retryAfterMs = parseRetryAfterMs(input.responseHeaders)
  const options: QlErrorOptions = { ...input, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
  const { status } = input
  if (status === 401 || status === 403) return new AuthenticationError(options)
  if (status === 408) return new TimeoutError(options)
  if (status === 409) return new UnavailableError(options)
  if (status === 429) return new RateLimitedError(options)
  if (status === 529) return new OverloadedError(options)
  if (status >= 500) return new UnavailableError(options)
  return new InvalidRequestError(options)
}

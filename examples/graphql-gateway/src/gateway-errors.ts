import { isParserError } from '@ql/parser'
import { QlError } from '@ql/provider'
import { GraphQLError } from 'graphql'

/**
 * The `extensions.code` values the gateway sends. Clients decide on these, never on messages.
 *
 * | code | when | HTTP status |
 * |---|---|---|
 * | `UNAUTHENTICATED` | no API key, or an unknown, revoked or expired one | 401 |
 * | `RATE_LIMITED` | the key's rate limit; `extensions.retryAfterMs` says when to retry | 429 |
 * | `SHUTTING_DOWN` | the gateway is draining for a restart; retry on another replica | 503 |
 * | `PAYLOAD_TOO_LARGE` | the request body is over the limit | 413 |
 * | `LENGTH_REQUIRED` | a request body without `Content-Length` (chunked) | 411 |
 * | `QUERY_TOO_COMPLEX` | depth, cost, aliases, tokens, directives or model calls over the limits; nothing runs | as any validation error |
 * | `BAD_USER_INPUT` | an argument is out of range, or a language is unknown | 200 (field error) |
 * | `INPUT_TOO_LARGE` | code or files over the parser's limits | 200 |
 * | `INPUT_TOO_COMPLEX` | the parser's time budget or nesting limit ran out | 200 |
 * | `UPSTREAM_UNAVAILABLE` | every model provider failed (rate limits, outages, timeouts); `retryAfterMs` when known | 200 |
 * | `CONTEXT_TOO_LONG` | the prompt does not fit any model's context window | 200 |
 * | `CONTENT_FILTERED` | the providers' safety systems refused | 200 |
 * | `UPSTREAM_REJECTED` | a provider rejected the request as invalid | 200 |
 * | `CANCELLED` | the client went away | — |
 * | `INTERNAL_SERVER_ERROR` | anything else (a bug); details only in the gateway's log | 200 |
 */
export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'SHUTTING_DOWN'
  | 'PAYLOAD_TOO_LARGE'
  | 'LENGTH_REQUIRED'
  | 'QUERY_TOO_COMPLEX'
  | 'BAD_USER_INPUT'
  | 'INPUT_TOO_LARGE'
  | 'INPUT_TOO_COMPLEX'
  | 'UPSTREAM_UNAVAILABLE'
  | 'CONTEXT_TOO_LONG'
  | 'CONTENT_FILTERED'
  | 'UPSTREAM_REJECTED'
  | 'CANCELLED'
  | 'INTERNAL_SERVER_ERROR'

/** A GraphQL error with a gateway code (and, for request-level errors, an HTTP status). */
export function gatewayError(
  code: GatewayErrorCode,
  message: string,
  extra: { status?: number; retryAfterMs?: number | undefined; headers?: Record<string, string> } = {},
): GraphQLError {
  const extensions: Record<string, unknown> = { code }
  if (extra.retryAfterMs !== undefined) extensions.retryAfterMs = extra.retryAfterMs
  if (extra.status !== undefined) {
    // yoga turns `http` into the response's status and headers and leaves it out of the body
    extensions.http = { status: extra.status, ...(extra.headers ? { headers: extra.headers } : {}) }
  }
  return new GraphQLError(message, { extensions })
}

const UPSTREAM_MESSAGE = 'The model providers could not answer; try again later.'

/**
 * Turns anything a resolver threw into a GraphQL error that is safe to send: a fixed message
 * per code, never the upstream message, body, URL, headers or stack (provider errors carry all of
 * those, redacted or not). The original goes to the gateway's log through `log`.
 */
export function toGatewayError(error: unknown, log?: (error: unknown) => void): GraphQLError {
  // graphql-js wraps what a resolver threw in a located error (path, locations): find the root
  let cause: unknown = error
  while (cause instanceof GraphQLError && cause.originalError !== undefined) cause = cause.originalError
  if (cause instanceof GraphQLError && typeof cause.extensions.code === 'string') {
    // one of ours (or graphql's own, coded): already safe to send
    return error as GraphQLError
  }
  const mapped = mapError(cause)
  if (
    mapped.extensions.code === 'INTERNAL_SERVER_ERROR' ||
    mapped.extensions.code === 'UPSTREAM_UNAVAILABLE'
  ) {
    log?.(cause)
  }
  if (!(error instanceof GraphQLError)) return mapped
  return new GraphQLError(mapped.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    extensions: mapped.extensions,
  })
}

function mapError(error: unknown): GraphQLError {
  if (isParserError(error)) {
    switch (error.code) {
      case 'unknown_language':
      case 'invalid_argument':
      case 'binary_content':
      case 'invalid_utf8':
        return gatewayError('BAD_USER_INPUT', error.message)
      case 'input_too_large':
        return gatewayError('INPUT_TOO_LARGE', error.message)
      case 'parse_timeout':
      case 'budget_exceeded':
        return gatewayError('INPUT_TOO_COMPLEX', error.message)
      default:
        return gatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.')
    }
  }
  if (!QlError.isInstance(error)) return gatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.')
  // an agent node's failure carries the model's error as its cause
  if (error.code === 'node_failed' && error.cause !== undefined) return mapError(error.cause)
  const codes = attemptCodes(error)
  if (codes.length > 0 && codes.every((code) => code === 'context_length_exceeded')) {
    return gatewayError('CONTEXT_TOO_LONG', 'The prompt is too long for every available model.')
  }
  if (codes.length > 0 && codes.every((code) => code === 'content_filtered')) {
    return gatewayError('CONTENT_FILTERED', "The model providers' safety systems refused this request.")
  }
  if (codes.length > 0 && codes.every((code) => code === 'invalid_request')) {
    return gatewayError('UPSTREAM_REJECTED', 'The model provider rejected the request as invalid.')
  }
  if (error.code === 'aborted') return gatewayError('CANCELLED', 'The request was cancelled.')
  return gatewayError('UPSTREAM_UNAVAILABLE', UPSTREAM_MESSAGE, {
    retryAfterMs: error.retryAfterMs,
  })
}

/** The codes of a router's attempts, or the error's own code. */
function attemptCodes(error: QlError): string[] {
  const attempts = (error as QlError & { attempts?: { error?: { code?: unknown } }[] }).attempts
  if (error.code === 'all_targets_failed' && Array.isArray(attempts)) {
    return attempts.map((attempt) => String(attempt.error?.code))
  }
  return [error.code]
}

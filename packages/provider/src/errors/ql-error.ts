import type { KnownQlErrorCode, QlErrorCode } from './error-code'
import { redactHeaders, redactSecrets } from './redact-secrets'

const MARKER = Symbol.for('ql.error')

/** What every error constructor accepts. */
export interface QlErrorOptions {
  /** What went wrong and, where it helps, what to do about it. Secrets are redacted. */
  message: string
  /** The underlying error (an SDK error, a network error). */
  cause?: unknown
  /** Overrides the code's default. */
  retryable?: boolean
  /** The HTTP status of the failed call, when there was one. */
  status?: number
  /** How long the provider asked us to wait before trying again. */
  retryAfterMs?: number
  /** The provider that failed, for example `openai`. */
  provider?: string
  /** The model that was called. */
  modelId?: string
  /** The URL that was called (query strings are dropped). */
  url?: string
  /** The response headers; credential headers are dropped and values redacted. */
  responseHeaders?: Record<string, string | undefined> | Headers
  /** The response body (at most 4 KiB kept); secrets are redacted. */
  responseBody?: string
  /**
   * Exact secret values to redact from the message, headers and body (for example the configured
   * API key). When given, an `Error` cause is replaced by a stand-in with the same name and a
   * redacted message and stack, so no secret survives in `cause` either.
   */
  secrets?: readonly (string | undefined)[]
}

/** The plain-data form of a `QlError`, for crossing process, worker or network boundaries. */
export interface QlErrorJSON {
  name: string
  code: QlErrorCode
  message: string
  retryable: boolean
  status?: number
  retryAfterMs?: number
  provider?: string
  modelId?: string
  url?: string
  responseHeaders?: Record<string, string>
  responseBody?: string
  /** The cause's name and message, when it had them. */
  cause?: { name: string; message: string }
  /** Extra fields of a subclass (validation issues, attempts). */
  details?: Record<string, unknown>
}

const MAX_BODY_CHARS = 4096

/**
 * The base of every error the `@ql` packages throw. Check with {@link QlError.isInstance} (or a
 * subclass's `isInstance`), which works across duplicated installs and realms, rather than
 * `instanceof` alone; decide on `code` and `retryable`, never on the message.
 *
 * Other packages define their own errors by subclassing it with a code of their own (lower-case
 * snake_case, never one of the {@link KnownQlErrorCode}s), putting extra fields in `jsonDetails()`
 * and exporting a decoder for `qlErrorFromJSON`:
 *
 * ```ts
 * class NodeFailedError extends QlError {
 *   readonly nodeId: string
 *   constructor(options: QlErrorOptions & { nodeId: string }) {
 *     super({ ...options, code: 'node_failed', retryable: options.retryable ?? true })
 *     this.name = 'NodeFailedError'
 *     this.nodeId = options.nodeId
 *   }
 *   protected override jsonDetails() {
 *     return { nodeId: this.nodeId }
 *   }
 * }
 * ```
 */
export class QlError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the symbol by isQlError, across copies
  private readonly [MARKER] = true
  /** The stable code. See {@link QlErrorCode}. */
  readonly code: QlErrorCode
  /** Whether trying the same call again may succeed. */
  readonly retryable: boolean
  /** The HTTP status of the failed call, when there was one. */
  readonly status?: number
  /** How long to wait before trying again, when the provider said. */
  readonly retryAfterMs?: number
  /** The provider that failed. */
  readonly provider?: string
  /** The model that was called. */
  readonly modelId?: string
  /** The URL that was called, without its query string. */
  readonly url?: string
  /** The response headers, credentials removed. */
  readonly responseHeaders?: Record<string, string>
  /** The response body, truncated to 4 KiB, secrets redacted. */
  readonly responseBody?: string

  constructor(options: QlErrorOptions & { code: QlErrorCode; retryable: boolean }) {
    super(redactSecrets(options.message, options.secrets), {
      cause: redactCause(options.cause, options.secrets),
    })
    this.name = 'QlError'
    this.code = options.code
    this.retryable = options.retryable
    if (options.status !== undefined) this.status = options.status
    if (options.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs)) {
      this.retryAfterMs = Math.max(0, Math.round(options.retryAfterMs))
    }
    if (options.provider !== undefined) this.provider = options.provider
    if (options.modelId !== undefined) this.modelId = options.modelId
    if (options.url !== undefined) this.url = stripQuery(options.url)
    const headers = redactHeaders(options.responseHeaders, options.secrets)
    if (headers !== undefined) this.responseHeaders = headers
    if (options.responseBody !== undefined) {
      this.responseBody = redactSecrets(options.responseBody.slice(0, MAX_BODY_CHARS), options.secrets)
    }
  }

  /**
   * True when `error` is a `QlError` of any code, even one from another copy of this package.
   * Each subclass has its own `isInstance` that also checks its code. Safe to pass unbound
   * (`errors.filter(RateLimitedError.isInstance)`).
   */
  static isInstance(error: unknown): error is QlError {
    return isQlError(error)
  }

  /** Extra fields a subclass adds to its JSON form. */
  protected jsonDetails(): Record<string, unknown> | undefined {
    return undefined
  }

  /** The plain-data form of this error; secrets were already removed when it was made. */
  toJSON(): QlErrorJSON {
    const json: QlErrorJSON = {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    }
    if (this.status !== undefined) json.status = this.status
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs
    if (this.provider !== undefined) json.provider = this.provider
    if (this.modelId !== undefined) json.modelId = this.modelId
    if (this.url !== undefined) json.url = this.url
    if (this.responseHeaders !== undefined) json.responseHeaders = this.responseHeaders
    if (this.responseBody !== undefined) json.responseBody = this.responseBody
    if (this.cause instanceof Error) {
      json.cause = { name: this.cause.name, message: redactSecrets(this.cause.message) }
    }
    const details = this.jsonDetails()
    if (details !== undefined) json.details = details
    return json
  }
}

/**
 * True when `error` is a `QlError` from any copy of this package, and, when `code` is given,
 * one with that code.
 */
export function isQlError(error: unknown, code?: QlErrorCode): error is QlError {
  if (typeof error !== 'object' || error === null || (error as Record<symbol, unknown>)[MARKER] !== true) {
    return false
  }
  return code === undefined || (error as QlError).code === code
}

function redactCause(cause: unknown, secrets: readonly (string | undefined)[] | undefined): unknown {
  if (secrets === undefined || secrets.every((secret) => secret === undefined) || !(cause instanceof Error)) {
    return cause
  }
  if (QlError.isInstance(cause)) return cause // already redacted when it was made
  const copy = new Error(redactSecrets(cause.message, secrets))
  copy.name = cause.name
  copy.stack = cause.stack === undefined ? undefined : redactSecrets(cause.stack, secrets)
  return copy
}

function stripQuery(url: string): string {
  const index = url.search(/[?#]/)
  return index === -1 ? url : url.slice(0, index)
}

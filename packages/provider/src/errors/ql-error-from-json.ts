import { AbortedError } from './aborted-error'
import { AllTargetsFailedError, type FailedAttempt } from './all-targets-failed-error'
import { AuthenticationError } from './authentication-error'
import { CircuitOpenError } from './circuit-open-error'
import { ContentFilteredError } from './content-filtered-error'
import { ContextLengthExceededError } from './context-length-exceeded-error'
import { InvalidRequestError, type ValidationIssue } from './invalid-request-error'
import { InvalidResponseError } from './invalid-response-error'
import { InvalidToolInputError, type InvalidToolInputReason } from './invalid-tool-input-error'
import { OverloadedError } from './overloaded-error'
import { QlError, type QlErrorJSON, type QlErrorOptions } from './ql-error'
import { RateLimitedError } from './rate-limited-error'
import { TimeoutError } from './timeout-error'
import { UnavailableError } from './unavailable-error'
import { UnknownError } from './unknown-error'
import { UnsupportedFeatureError } from './unsupported-feature-error'

/**
 * Rebuilds one error class from its JSON form. `options` holds the base fields already read
 * from `json` (message, retryable, status, retryAfterMs, provider, modelId, url, response
 * headers and body, and the cause as a plain `Error`); `details` is `json.details` (or `{}`).
 */
export type QlErrorDecoder = (
  options: QlErrorOptions,
  details: Record<string, unknown>,
  json: QlErrorJSON,
) => QlError

/** Decoders by error code, for the codes of subclasses defined outside `@ql/provider`. */
export type QlErrorDecoders = Readonly<Record<string, QlErrorDecoder>>

const SIMPLE: Readonly<Record<string, new (options: QlErrorOptions) => QlError>> = {
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
  aborted: AbortedError,
}

/**
 * Rebuilds a typed error from its {@link QlError.toJSON} form, for errors that crossed a process,
 * worker or network boundary or were saved in a checkpoint. Every code of `@ql/provider` comes
 * back as its own class with its code, retryability and details; the cause comes back as a plain
 * `Error` with the original name and message.
 *
 * It never throws on a code it does not know (a checkpoint written by a newer version, or an
 * error of another package): that comes back as a plain `QlError` with the same name, code,
 * message, retryable, status and other base fields, whose `toJSON()` gives back the same JSON,
 * `details` included. To get the subclass back, pass that package's decoders; a package that
 * defines its own codes exports them (for example `agentErrorDecoders`), and callers combine them:
 *
 * ```ts
 * const error = qlErrorFromJSON(json, {
 *   node_failed: (options, details) => new NodeFailedError({ ...options, nodeId: String(details.nodeId) }),
 * })
 * ```
 *
 * A decoder is used for its code in place of the built-in class, and also for the errors inside
 * an `AllTargetsFailedError`'s attempts. There is no global registry: what is decoded depends
 * only on the arguments.
 *
 * @throws InvalidRequestError when `json` is not the JSON form of a `QlError` (`issues` says
 * which field is wrong).
 */
export function qlErrorFromJSON(json: unknown, decoders: QlErrorDecoders = {}): QlError {
  const issues: ValidationIssue[] = []
  checkErrorJSON(json, '', issues)
  if (issues.length > 0) {
    throw new InvalidRequestError({
      message: `qlErrorFromJSON expects the object returned by QlError#toJSON(): ${issues
        .map((issue) => `${issue.path === '' ? 'the value' : issue.path} ${issue.message}`)
        .join('; ')}`,
      issues,
    })
  }
  return decode(json as QlErrorJSON, decoders)
}

function decode(json: QlErrorJSON, decoders: QlErrorDecoders): QlError {
  const cause =
    json.cause === undefined
      ? undefined
      : Object.assign(new Error(json.cause.message), { name: json.cause.name })
  const options: QlErrorOptions = {
    message: json.message,
    ...(json.retryable === undefined ? {} : { retryable: json.retryable }),
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
  const decoder = Object.hasOwn(decoders, json.code) ? decoders[json.code] : undefined
  if (decoder !== undefined) return decoder(options, details, json)
  const Simple = Object.hasOwn(SIMPLE, json.code) ? SIMPLE[json.code] : undefined
  if (Simple !== undefined) return new Simple(options)
  switch (json.code) {
    case 'timeout':
      return new TimeoutError({
        ...options,
        ...(typeof details.timeoutMs === 'number' ? { timeoutMs: details.timeoutMs } : {}),
      })
    case 'invalid_request':
      return new InvalidRequestError({
        ...options,
        issues: Array.isArray(details.issues) ? (details.issues as ValidationIssue[]) : [],
      })
    case 'invalid_tool_input':
      return new InvalidToolInputError({
        ...options,
        toolName: String(details.toolName ?? ''),
        rawInput: String(details.rawInput ?? ''),
        ...(typeof details.reason === 'string' ? { reason: details.reason as InvalidToolInputReason } : {}),
        ...(typeof details.toolCallId === 'string' ? { toolCallId: details.toolCallId } : {}),
        ...(Array.isArray(details.issues) ? { issues: details.issues as ValidationIssue[] } : {}),
      })
    case 'all_targets_failed': {
      const raw = (details.attempts as RawAttempt[] | undefined) ?? []
      const attempts: FailedAttempt[] = raw.map((a) => ({
        targetId: a.targetId,
        provider: a.provider,
        modelId: a.modelId,
        at: a.at,
        error: decode(a.error, decoders),
      }))
      return new AllTargetsFailedError({
        message: json.message,
        attempts,
        ...(json.retryAfterMs === undefined ? {} : { retryAfterMs: json.retryAfterMs }),
      })
    }
    default:
      return new ForeignQlError(json, options, details)
  }
}

/** An error whose code this copy of `@ql/provider` does not know; keeps its JSON form whole. */
class ForeignQlError extends QlError {
  readonly #details: Record<string, unknown> | undefined

  constructor(json: QlErrorJSON, options: QlErrorOptions, details: Record<string, unknown>) {
    super({ ...options, code: json.code, retryable: json.retryable ?? false })
    this.name = json.name ?? 'QlError'
    this.#details = json.details === undefined ? undefined : details
  }

  protected override jsonDetails() {
    return this.#details
  }
}

interface RawAttempt {
  targetId: string
  provider: string
  modelId: string
  at: number
  error: QlErrorJSON
}

const OPTIONAL_STRINGS = ['name', 'provider', 'modelId', 'url', 'responseBody'] as const
const OPTIONAL_NUMBERS = ['status', 'retryAfterMs'] as const

function checkErrorJSON(value: unknown, path: string, issues: ValidationIssue[]): void {
  const at = (field: string) => (path === '' ? field : `${path}.${field}`)
  if (!isRecord(value)) {
    issues.push({ path, message: `must be an object, got ${describe(value)}` })
    return
  }
  if (typeof value.code !== 'string' || value.code === '') {
    issues.push({ path: at('code'), message: `must be a non-empty string, got ${describe(value.code)}` })
  }
  if (typeof value.message !== 'string') {
    issues.push({ path: at('message'), message: `must be a string, got ${describe(value.message)}` })
  }
  if (value.retryable !== undefined && typeof value.retryable !== 'boolean') {
    issues.push({ path: at('retryable'), message: `must be a boolean, got ${describe(value.retryable)}` })
  }
  for (const field of OPTIONAL_STRINGS) {
    if (value[field] !== undefined && typeof value[field] !== 'string') {
      issues.push({ path: at(field), message: `must be a string, got ${describe(value[field])}` })
    }
  }
  for (const field of OPTIONAL_NUMBERS) {
    if (value[field] !== undefined && (typeof value[field] !== 'number' || !Number.isFinite(value[field]))) {
      issues.push({ path: at(field), message: `must be a finite number, got ${describe(value[field])}` })
    }
  }
  const headers = value.responseHeaders
  if (
    headers !== undefined &&
    (!isRecord(headers) || Object.values(headers).some((h) => typeof h !== 'string'))
  ) {
    issues.push({ path: at('responseHeaders'), message: 'must be an object of string values' })
  }
  const cause = value.cause
  if (
    cause !== undefined &&
    (!isRecord(cause) || typeof cause.name !== 'string' || typeof cause.message !== 'string')
  ) {
    issues.push({ path: at('cause'), message: 'must be { name: string, message: string }' })
  }
  const details = value.details
  if (details !== undefined && !isRecord(details)) {
    issues.push({ path: at('details'), message: `must be an object, got ${describe(details)}` })
  }
  if (value.code === 'all_targets_failed' && isRecord(details))
    checkAttempts(details.attempts, at('details.attempts'), issues)
}

function checkAttempts(value: unknown, path: string, issues: ValidationIssue[]): void {
  if (value === undefined) return
  if (!Array.isArray(value)) {
    issues.push({ path, message: `must be an array, got ${describe(value)}` })
    return
  }
  value.forEach((attempt: unknown, index) => {
    const here = `${path}[${index}]`
    if (!isRecord(attempt)) {
      issues.push({ path: here, message: `must be an object, got ${describe(attempt)}` })
      return
    }
    for (const field of ['targetId', 'provider', 'modelId'] as const) {
      if (typeof attempt[field] !== 'string') {
        issues.push({
          path: `${here}.${field}`,
          message: `must be a string, got ${describe(attempt[field])}`,
        })
      }
    }
    if (typeof attempt.at !== 'number' || !Number.isFinite(attempt.at)) {
      issues.push({
        path: `${here}.at`,
        message: `must be a time in ms since the epoch, got ${describe(attempt.at)}`,
      })
    }
    checkErrorJSON(attempt.error, `${here}.error`, issues)
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value
}

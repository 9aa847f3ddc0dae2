import { BinaryContentError } from './binary-content-error'
import { BudgetExceededError, type BudgetedOperation } from './budget-exceeded-error'
import { DisposedError } from './disposed-error'
import { GrammarLoadError } from './grammar-load-error'
import { InputTooLargeError } from './input-too-large-error'
import { InvalidArgumentError } from './invalid-argument-error'
import { InvalidUtf8Error } from './invalid-utf8-error'
import { ParseFailedError } from './parse-failed-error'
import { ParseTimeoutError } from './parse-timeout-error'
import { ParserError, type ParserErrorJSON, type ParserErrorOptions } from './parser-error'
import type { ParserErrorCode } from './parser-error-code'
import { UnknownLanguageError } from './unknown-language-error'

type Decoder = (options: ParserErrorOptions, details: Record<string, unknown>) => ParserError

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN)
const str = (value: unknown): string => (typeof value === 'string' ? value : '')

const DECODERS: Readonly<Record<ParserErrorCode, Decoder>> = {
  unknown_language: (options, d) => new UnknownLanguageError({ ...options, requested: str(d.requested) }),
  input_too_large: (options, d) =>
    new InputTooLargeError({ ...options, bytes: num(d.bytes), maxBytes: num(d.maxBytes) }),
  parse_timeout: (options, d) => new ParseTimeoutError({ ...options, timeoutMs: num(d.timeoutMs) }),
  budget_exceeded: (options, d) =>
    new BudgetExceededError({
      ...options,
      operation: str(d.operation) as BudgetedOperation,
      budgetMs: num(d.budgetMs),
    }),
  binary_content: (options, d) => new BinaryContentError({ ...options, index: num(d.index) }),
  invalid_utf8: (options) => new InvalidUtf8Error(options),
  grammar_load_failed: (options, d) => new GrammarLoadError({ ...options, language: str(d.language) }),
  disposed: (options) => new DisposedError(options),
  invalid_argument: (options) => new InvalidArgumentError(options),
  parse_failed: (options) => new ParseFailedError(options),
}

/**
 * Rebuilds a typed parser error from its {@link ParserError.toJSON} form (an error sent from a
 * worker or another process): the same class, code, message and fields; the cause comes back as
 * a plain `Error` with the original name and message.
 *
 * A code this version does not know (an error from a newer `@ql/parser`) never throws: it comes
 * back as a plain `ParserError` with the same name, code, message and details, whose `toJSON()`
 * gives back the same JSON.
 *
 * @throws InvalidArgumentError when `json` is not the JSON form of a `ParserError`; the message
 * names the field that is wrong.
 */
export function parserErrorFromJSON(json: unknown): ParserError {
  const problems = checkJSON(json)
  if (problems.length > 0) {
    throw new InvalidArgumentError({
      message: `parserErrorFromJSON expects the object returned by ParserError#toJSON(): ${problems.join('; ')}`,
    })
  }
  const data = json as ParserErrorJSON
  const cause =
    data.cause === undefined
      ? undefined
      : Object.assign(new Error(data.cause.message), { name: data.cause.name })
  const options: ParserErrorOptions = { message: data.message, ...(cause === undefined ? {} : { cause }) }
  const details = data.details ?? {}
  const decoder = Object.hasOwn(DECODERS, data.code) ? DECODERS[data.code] : undefined
  return decoder === undefined ? new ForeignParserError(data, options) : decoder(options, details)
}

/** An error whose code this version of `@ql/parser` does not know; keeps its JSON form whole. */
class ForeignParserError extends ParserError {
  readonly #details: Record<string, unknown> | undefined

  constructor(json: ParserErrorJSON, options: ParserErrorOptions) {
    super({ ...options, code: json.code })
    this.name = typeof json.name === 'string' ? json.name : 'ParserError'
    this.#details = json.details
  }

  protected override jsonDetails() {
    return this.#details
  }
}

function checkJSON(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      `the value must be an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    ]
  }
  const json = value as Record<string, unknown>
  const problems: string[] = []
  if (typeof json.code !== 'string' || json.code === '')
    problems.push(`code must be a non-empty string, got ${typeof json.code}`)
  if (typeof json.message !== 'string') problems.push(`message must be a string, got ${typeof json.message}`)
  if (json.name !== undefined && typeof json.name !== 'string') problems.push('name must be a string')
  const cause = json.cause as Record<string, unknown> | undefined
  if (
    cause !== undefined &&
    (typeof cause !== 'object' ||
      cause === null ||
      typeof cause.name !== 'string' ||
      typeof cause.message !== 'string')
  ) {
    problems.push('cause must be { name: string, message: string }')
  }
  const details = json.details
  if (details !== undefined && (typeof details !== 'object' || details === null || Array.isArray(details))) {
    problems.push('details must be an object')
  }
  return problems
}

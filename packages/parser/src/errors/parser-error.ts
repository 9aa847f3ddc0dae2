import type { ParserErrorCode } from './parser-error-code'

const MARKER = Symbol.for('ql.parser.error')

/** What every `ParserError` constructor accepts. */
export interface ParserErrorOptions {
  /** What went wrong and what to do about it. */
  message: string
  /** The underlying error, when there was one. */
  cause?: unknown
}

/** The plain-data form of a {@link ParserError}, for crossing a worker, process or network boundary. */
export interface ParserErrorJSON {
  name: string
  code: ParserErrorCode
  message: string
  /** The cause's name and message, when it was an `Error`. */
  cause?: { name: string; message: string }
  /** Extra fields of a subclass (`requested`, `timeoutMs`, ...). */
  details?: Record<string, unknown>
}

/**
 * The base of every error `@ql/parser` throws. Check with {@link ParserError.isInstance} (or a
 * subclass's `isInstance`), which works across duplicated installs and realms, and decide on
 * `code`, never on the message.
 */
export class ParserError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the symbol by isParserError, across copies
  private readonly [MARKER] = true
  /** The stable code. See {@link ParserErrorCode}. */
  readonly code: ParserErrorCode

  constructor(options: ParserErrorOptions & { code: ParserErrorCode }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ParserError'
    this.code = options.code
  }

  /**
   * True when `error` is a `ParserError` of any code, even one from another copy of this
   * package. Safe to pass unbound (`errors.filter(ParserError.isInstance)`).
   */
  static isInstance(error: unknown): error is ParserError {
    return isParserError(error)
  }

  /** Extra fields a subclass adds to its JSON form. */
  protected jsonDetails(): Record<string, unknown> | undefined {
    return undefined
  }

  /** The plain-data form of this error; `parserErrorFromJSON` rebuilds the typed error from it. */
  toJSON(): ParserErrorJSON {
    const json: ParserErrorJSON = { name: this.name, code: this.code, message: this.message }
    if (this.cause instanceof Error) json.cause = { name: this.cause.name, message: this.cause.message }
    const details = this.jsonDetails()
    if (details !== undefined) json.details = details
    return json
  }
}

/**
 * True when `error` is a {@link ParserError} from any copy of this package and, when `code` is
 * given, one with that code.
 */
export function isParserError(error: unknown, code?: ParserErrorCode): error is ParserError {
  if (typeof error !== 'object' || error === null || (error as Record<symbol, unknown>)[MARKER] !== true) {
    return false
  }
  return code === undefined || (error as ParserError).code === code
}

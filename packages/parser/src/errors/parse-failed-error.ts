import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * tree-sitter or the parse worker failed in a way no other code describes (for example a worker that crashed). Code `parse_failed`; `cause` holds the underlying error.
 */
export class ParseFailedError extends ParserError {
  /** True when `error` is a `ParseFailedError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is ParseFailedError {
    return isParserError(error, 'parse_failed')
  }

  constructor(options: ParserErrorOptions) {
    super({ ...options, code: 'parse_failed' })
    this.name = 'ParseFailedError'
  }
}

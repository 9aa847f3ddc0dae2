import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * An argument is not of the kind the call takes (code that is neither a string nor bytes, a
 * language id with spaces). Code `invalid_argument`. The message names the argument and what
 * was expected.
 */
export class InvalidArgumentError extends ParserError {
  /** True when `error` is an `InvalidArgumentError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return isParserError(error, 'invalid_argument')
  }

  constructor(options: ParserErrorOptions) {
    super({ ...options, code: 'invalid_argument' })
    this.name = 'InvalidArgumentError'
  }
}

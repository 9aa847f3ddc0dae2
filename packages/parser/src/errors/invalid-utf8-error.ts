import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * A `Uint8Array` (or `Buffer`) source is not valid UTF-8. Code `invalid_utf8`. Decode it with the right encoding and pass a string.
 */
export class InvalidUtf8Error extends ParserError {
  /** True when `error` is a `InvalidUtf8Error`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is InvalidUtf8Error {
    return isParserError(error, 'invalid_utf8')
  }

  constructor(options: ParserErrorOptions) {
    super({ ...options, code: 'invalid_utf8' })
    this.name = 'InvalidUtf8Error'
  }
}

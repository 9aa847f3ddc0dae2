import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * The source contains a NUL byte, so it is binary data rather than source code. Code `binary_content`.
 */
export class BinaryContentError extends ParserError {
  /** True when `error` is a `BinaryContentError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is BinaryContentError {
    return isParserError(error, 'binary_content')
  }
  /** The string index of the first NUL byte. */
  readonly index: number

  constructor(options: ParserErrorOptions & { index: number }) {
    super({ ...options, code: 'binary_content' })
    this.name = 'BinaryContentError'
    this.index = options.index
  }

  protected override jsonDetails() {
    return { index: this.index }
  }
}

import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * The source is larger than the `maxBytes` limit. Code `input_too_large`. Raise `maxBytes` if the input is trusted, or split it.
 */
export class InputTooLargeError extends ParserError {
  /** True when `error` is a `InputTooLargeError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is InputTooLargeError {
    return isParserError(error, 'input_too_large')
  }
  /** The size of the input, in UTF-8 bytes (at least; counting stops past the limit). */
  readonly bytes: number
  /** The limit that was exceeded. */
  readonly maxBytes: number

  constructor(options: ParserErrorOptions & { bytes: number; maxBytes: number }) {
    super({ ...options, code: 'input_too_large' })
    this.name = 'InputTooLargeError'
    this.bytes = options.bytes
    this.maxBytes = options.maxBytes
  }

  protected override jsonDetails() {
    return { bytes: this.bytes, maxBytes: this.maxBytes }
  }
}

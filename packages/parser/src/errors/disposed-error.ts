import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * A method was called on a `ParsedCode` after `dispose()`; its tree memory is already freed. Code `disposed`.
 */
export class DisposedError extends ParserError {
  /** True when `error` is a `DisposedError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is DisposedError {
    return isParserError(error, 'disposed')
  }

  constructor(options: ParserErrorOptions) {
    super({ ...options, code: 'disposed' })
    this.name = 'DisposedError'
  }
}

import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * The parse ran past its time budget (`timeoutMs`) and was cancelled; no tree was kept. Code `parse_timeout`. Treat the input as hostile or raise `timeoutMs`.
 */
export class ParseTimeoutError extends ParserError {
  /** True when `error` is a `ParseTimeoutError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is ParseTimeoutError {
    return isParserError(error, 'parse_timeout')
  }
  /** The budget that ran out, in milliseconds. */
  readonly timeoutMs: number

  constructor(options: ParserErrorOptions & { timeoutMs: number }) {
    super({ ...options, code: 'parse_timeout' })
    this.name = 'ParseTimeoutError'
    this.timeoutMs = options.timeoutMs
  }

  protected override jsonDetails() {
    return { timeoutMs: this.timeoutMs }
  }
}

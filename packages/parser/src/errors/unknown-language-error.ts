import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * No registered language matches the given id, file name, shebang or fence info string. Code `unknown_language`. `listLanguages()` shows what is supported; `registerLanguage()` adds a grammar.
 */
export class UnknownLanguageError extends ParserError {
  /** True when `error` is a `UnknownLanguageError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is UnknownLanguageError {
    return isParserError(error, 'unknown_language')
  }
  /** What was asked for: the language id or the file name. */
  readonly requested: string

  constructor(options: ParserErrorOptions & { requested: string }) {
    super({ ...options, code: 'unknown_language' })
    this.name = 'UnknownLanguageError'
    this.requested = options.requested
  }

  protected override jsonDetails() {
    return { requested: this.requested }
  }
}

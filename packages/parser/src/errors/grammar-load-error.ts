import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/**
 * A grammar `.wasm` could not be found, read or loaded by web-tree-sitter (a missing file, or a build for an incompatible tree-sitter ABI). Code `grammar_load_failed`; `cause` holds the underlying error.
 */
export class GrammarLoadError extends ParserError {
  /** True when `error` is a `GrammarLoadError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is GrammarLoadError {
    return isParserError(error, 'grammar_load_failed')
  }
  /** The language whose grammar failed. */
  readonly language: string

  constructor(options: ParserErrorOptions & { language: string }) {
    super({ ...options, code: 'grammar_load_failed' })
    this.name = 'GrammarLoadError'
    this.language = options.language
  }

  protected override jsonDetails() {
    return { language: this.language }
  }
}

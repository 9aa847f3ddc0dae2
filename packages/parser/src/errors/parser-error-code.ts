/**
 * The stable codes of every {@link ParserError}. Decide on these, never on message text.
 *
 * | code | meaning |
 * |---|---|
 * | `unknown_language` | no registered language matches the id, file name, shebang or fence |
 * | `input_too_large` | the source is longer than `maxBytes` |
 * | `parse_timeout` | the parse ran past its time budget (`timeoutMs`) and was cancelled |
 * | `budget_exceeded` | an operation on a parsed tree (symbols, chunks, diagnostics, repo map) ran past its time budget |
 * | `binary_content` | the source contains NUL bytes: it is not text |
 * | `invalid_utf8` | a `Uint8Array`/`Buffer` source is not valid UTF-8 |
 * | `grammar_load_failed` | a grammar `.wasm` could not be found, read or loaded |
 * | `disposed` | a method was called on a `ParsedCode` after `dispose()` |
 * | `invalid_argument` | an argument is not of the kind the call takes |
 * | `parse_failed` | tree-sitter or the worker failed in a way none of the codes above describe |
 */
export type ParserErrorCode =
  | 'unknown_language'
  | 'input_too_large'
  | 'parse_timeout'
  | 'budget_exceeded'
  | 'binary_content'
  | 'invalid_utf8'
  | 'grammar_load_failed'
  | 'disposed'
  | 'invalid_argument'
  | 'parse_failed'

/**
 * One syntax problem found by tree-sitter: an `ERROR` node (input the grammar could not place)
 * or a `MISSING` node (a token the parser inserted to recover, such as a closing bracket).
 *
 * Lines and columns are **1-based**, as editors and compilers print them; columns count
 * UTF-16 code units (JavaScript string indices) from the start of the line. `startIndex` and
 * `endIndex` are 0-based offsets into the source string.
 *
 * When the message names a place (an unclosed bracket "opened at line 7, column 11", the token
 * it quotes), `line` and `column` are that place, so an editor jumps where the message points.
 */
export interface Diagnostic {
  /** Always `error`: tree-sitter reports no warnings. */
  readonly severity: 'error'
  /** `error` for input the grammar could not place, `missing` for an expected token that was absent. */
  readonly kind: 'error' | 'missing'
  /** What is wrong, for a person or an LLM: "missing `)`", "unexpected `}`", "unexpected end of input". */
  readonly message: string
  /** 1-based line where the problem starts. */
  readonly line: number
  /** 1-based column where the problem starts. */
  readonly column: number
  /** 1-based line where the problem ends. */
  readonly endLine: number
  /** 1-based column just past the problem (equal to `column` for a zero-width `missing`). */
  readonly endColumn: number
  /** 0-based offset into the source where the problem starts. */
  readonly startIndex: number
  /** 0-based offset into the source just past the problem. */
  readonly endIndex: number
  /**
   * The text of line `line`, without its line break. A line longer than 240 UTF-16 units is cut
   * to a 240-unit window around `column` (so one minified line cannot make every diagnostic
   * megabytes long); {@link Diagnostic.sourceLineColumn} says where the window starts.
   */
  readonly sourceLine: string
  /**
   * The 1-based column of the line at which `sourceLine` starts: 1 unless a long line was cut.
   * A caret under the problem goes at `column - sourceLineColumn` characters into `sourceLine`.
   */
  readonly sourceLineColumn: number
}

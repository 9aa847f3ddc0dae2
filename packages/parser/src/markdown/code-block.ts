/** A fenced code block found in markdown by `extractCodeBlocks`. */
export interface CodeBlock {
  /** The detected language id, or `undefined` when the info string names none we know. */
  readonly language: string | undefined
  /** The whole info string after the fence (`ts title="a.ts"`), trimmed; `''` when absent. */
  readonly info: string
  /** The code between the fences, with the fence's indentation removed and no final line break. */
  readonly code: string
  /** The fence characters that opened the block (```` ``` ````, `~~~~`). */
  readonly fence: string
  /** False when the document ended before a closing fence (the block runs to the end). */
  readonly closed: boolean
  /** 1-based line of the opening fence in the markdown. */
  readonly startLine: number
  /** 1-based line of the closing fence (or the last line, when unclosed). */
  readonly endLine: number
  /** 1-based markdown line of the first line of `code`: add `diagnostic.line - 1` to map back. */
  readonly codeStartLine: number
}

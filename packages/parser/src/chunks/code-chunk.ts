import type { SymbolKind } from '../symbols/symbol-kind'

/** One enclosing scope of a chunk: a class, function, namespace or block the chunk sits inside. */
export interface ChunkScope {
  /** The scope's name, when it is a definition the tags query knows. */
  readonly name?: string
  /** The scope's kind, when it is a definition the tags query knows. */
  readonly kind?: SymbolKind
  /** The scope's header on one line, indented as in the source (`  class Cart {`). */
  readonly signature: string
  /** 1-based line of the header. */
  readonly line: number
}

/** A piece of a source file sized for an LLM's context. */
export interface CodeChunk {
  /** The chunk's own source text: an exact slice of the file. All chunks' texts, joined, are the file. */
  readonly text: string
  /** The scopes the chunk starts inside, outermost first (empty at the top level). */
  readonly context: ChunkScope[]
  /**
   * The context's signatures, one per line, or `''` at the top level: put it before `text` when
   * the chunk is shown alone, so a method still says which class it belongs to. When the scopes
   * would take more than half the budget, only the innermost ones that fit are kept.
   */
  readonly header: string
  /** Tokens of `header` and `text` together (`header + '\n' + text`), by the counter in use. */
  readonly tokens: number
  /** 1-based line of the first character. */
  readonly startLine: number
  /** 1-based line of the last character (a trailing line break belongs to the line it ends). */
  readonly endLine: number
  /** 0-based offset of the first character. */
  readonly startIndex: number
  /** 0-based offset just past the last character. */
  readonly endIndex: number
  /** Names of the definitions that start in this chunk, in order. */
  readonly symbols: string[]
}

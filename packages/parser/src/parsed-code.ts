import type { Language, Tree } from 'web-tree-sitter'
import { Edit } from 'web-tree-sitter'
import { chunkCode } from './chunks/chunk-code'
import type { CodeEdit } from './code-edit'
import { collectDiagnostics } from './diagnostics/collect-diagnostics'
import type { Diagnostic } from './diagnostics/diagnostic'
import { DisposedError } from './errors/disposed-error'
import { DEFAULT_MAX_DIAGNOSTICS } from './parse-limits'
import { pointAfter, pointAt } from './point-at'
import { runParse } from './run-parse'
import { extractSymbols } from './symbols/extract-symbols'
import { type createQuery, sharedRuntime, type TreeSitterRuntime } from './tree-sitter-runtime'

/** Options for {@link ParsedCode.chunks}: those of `chunkCode`. */
export type ChunkOptions = Parameters<typeof chunkCode>[1]
/** Options for {@link ParsedCode.symbols}: those of `extractSymbols`. */
export type SymbolOptions = Parameters<typeof extractSymbols>[1]

/** @internal What `parseCode` hands a {@link ParsedCode} besides the tree. */
export interface ParsedCodeSettings {
  /** The most diagnostics described (see `ParseLimits.maxDiagnostics`). */
  readonly maxDiagnostics?: number
  /**
   * The runtime the tree lives in, one of whose references the `ParsedCode` takes over and
   * releases on `dispose()`. Default: the shared runtime.
   */
  readonly runtime?: TreeSitterRuntime
}

let live = 0

/**
 * How close to an edit's boundaries {@link spliceReader} returns one short piece spanning them
 * (UTF-16 units). Short, because V8 copies a concatenated string whole on its first read, while a
 * slice of a flat string costs nothing; 256 measured fastest for one-character edits.
 */
const EDIT_WINDOW = 256

/**
 * Reads `old` with `edit` applied, in chunks, without building the edited string. Away from the
 * edit's boundaries a read is a slice of `old` or of the new text (O(1) in V8); within
 * {@link EDIT_WINDOW} of one, a short piece across it, so re-lexing around the edit takes one
 * read, as it does from a string.
 */
export function spliceReader(
  old: string,
  { startIndex, oldEndIndex, newText }: CodeEdit,
): (index: number) => string {
  const newEndIndex = startIndex + newText.length
  const shift = newText.length - (oldEndIndex - startIndex)
  return (index) => {
    if (index >= newEndIndex) return old.slice(index - shift)
    if (index < startIndex - EDIT_WINDOW) return old.slice(index, startIndex)
    if (index >= startIndex && index < newEndIndex - EDIT_WINDOW) return newText.slice(index - startIndex)
    const end = index + 2 * EDIT_WINDOW
    let text = index < startIndex ? old.slice(index, startIndex) : ''
    text += newText.slice(Math.max(index, startIndex) - startIndex, end - startIndex)
    if (end > newEndIndex) text += old.slice(oldEndIndex, oldEndIndex + (end - newEndIndex))
    return text
  }
}

/** How many `ParsedCode` objects hold a tree right now (for leak tests and host metrics). */
export function liveParsedCodeCount(): number {
  return live
}

/**
 * A parsed source file: its language, text, syntax diagnostics and web-tree-sitter tree.
 *
 * The tree lives in WASM memory, which JavaScript's garbage collector does not see: call
 * {@link ParsedCode.dispose} when done, or declare it with `using`. After `dispose()`, every
 * method and getter except `language`, `code` and `disposed` throws a `DisposedError`.
 *
 * @example
 * ```ts
 * using parsed = await parseCode(answer, { language: 'python' })
 * for (const d of parsed.diagnostics) console.log(`${d.line}:${d.column} ${d.message}`)
 * ```
 */
export class ParsedCode implements Disposable {
  /** The language id (`typescript`, `python`). */
  readonly language: string
  /** The source text that was parsed. */
  readonly code: string
  #tree: Tree | undefined
  #diagnostics: readonly Diagnostic[] | undefined
  #droppedDiagnostics = 0
  #diagnosticsError: unknown
  #grammar: Language | undefined
  readonly #timeoutMs: number
  readonly #maxDiagnostics: number
  #runtime: TreeSitterRuntime | undefined

  /** @internal Use `parseCode`. Takes ownership of `tree` (and of a reference to its runtime). */
  constructor(
    language: string,
    code: string,
    tree: Tree,
    grammar: Language,
    timeoutMs: number,
    settings: ParsedCodeSettings = {},
  ) {
    this.language = language
    this.code = code
    this.#tree = tree
    this.#grammar = grammar
    this.#timeoutMs = timeoutMs
    this.#maxDiagnostics = settings.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS
    this.#runtime = settings.runtime ?? sharedRuntime()
    live += 1
  }

  /** True once {@link ParsedCode.dispose} has run. */
  get disposed(): boolean {
    return this.#tree === undefined
  }

  /**
   * The web-tree-sitter tree, for direct use. It belongs to this object: do not `delete()` it;
   * `copy()` it if it must outlive this object.
   *
   * An input parsed in a runtime of its own (see `ParseLimits.maxSharedMemoryBytes`) has its tree
   * in a separate copy of web-tree-sitter: its nodes work as usual, but a `Query` must come from
   * that copy too. Make queries with {@link createQuery}`(parsed.tree.language, source)`, which
   * works for every tree.
   */
  get tree(): Tree {
    return this.#live()
  }

  /**
   * The syntax problems, in source order: each `MISSING` token and each outermost `ERROR`
   * node (lines and columns 1-based), at most `maxDiagnostics` of them (default 100; the rest
   * are counted in {@link ParsedCode.droppedDiagnostics}). Empty for valid code. Computed on
   * first access by a walk that only enters subtrees containing an error, linear in what it
   * visits and bounded by the parse's `timeoutMs`.
   *
   * @throws {BudgetExceededError} (operation `diagnostics`) when collecting them runs past
   *   `timeoutMs`: only pathological input (hundreds of thousands of errors) gets there. The
   *   error is remembered, so reading this again throws it again at once.
   */
  get diagnostics(): readonly Diagnostic[] {
    const tree = this.#live()
    if (this.#diagnostics === undefined) {
      if (this.#diagnosticsError !== undefined) throw this.#diagnosticsError
      try {
        const collected = collectDiagnostics(tree.rootNode, this.code, {
          language: this.language,
          maxDiagnostics: this.#maxDiagnostics,
          budgetMs: this.#timeoutMs,
        })
        this.#diagnostics = collected.diagnostics
        this.#droppedDiagnostics = collected.dropped
      } catch (error) {
        this.#diagnosticsError = error
        throw error
      }
    }
    return this.#diagnostics
  }

  /**
   * How many syntax problems were found beyond `maxDiagnostics` and left out of
   * {@link ParsedCode.diagnostics} (0 when none were). Reading it collects the diagnostics
   * if that has not happened yet.
   */
  get droppedDiagnostics(): number {
    // read through `diagnostics`, so a verdict that replaced them (an empty list) drops nothing
    return this.diagnostics.length === 0 ? 0 : this.#droppedDiagnostics
  }

  /** True when the code has no syntax errors (cheaper than reading `diagnostics`). */
  get valid(): boolean {
    return !this.#live().rootNode.hasError
  }

  /**
   * Definitions, references and imports in the code. See `extractSymbols`. Bounded by
   * `options.budgetMs`, by default the parse's `timeoutMs` (`BudgetExceededError` past it).
   */
  symbols(options?: SymbolOptions): ReturnType<typeof extractSymbols> {
    this.#live()
    return extractSymbols(this, { budgetMs: this.#timeoutMs, ...options })
  }

  /**
   * AST-aware chunks for LLM context within a token budget. See `chunkCode`. Bounded by
   * `options.budgetMs`, by default the parse's `timeoutMs`.
   *
   * @throws {BudgetExceededError} (operation `chunks`) when chunking runs past the budget.
   */
  chunks(options?: ChunkOptions): ReturnType<typeof chunkCode> {
    this.#live()
    return chunkCode(this, { budgetMs: this.#timeoutMs, ...options })
  }

  /**
   * Applies an edit and re-parses incrementally, reusing this tree. Returns a **new**
   * `ParsedCode` for the edited code; this one is left unchanged and must still be disposed
   * (dispose it as soon as you no longer need the old version). Runs under the same time budget
   * as the parse that made this object.
   *
   * @throws {RangeError} when the edit's offsets are outside the code or reversed.
   * @throws {ParseTimeoutError} when the re-parse runs past the time budget.
   */
  applyEdit(edit: CodeEdit): ParsedCode {
    const tree = this.#live()
    const { startIndex, oldEndIndex, newText } = edit
    if (
      !(Number.isInteger(startIndex) && Number.isInteger(oldEndIndex)) ||
      startIndex < 0 ||
      oldEndIndex < startIndex ||
      oldEndIndex > this.code.length
    ) {
      throw new RangeError(
        `applyEdit: startIndex ${startIndex} and oldEndIndex ${oldEndIndex} must satisfy 0 <= startIndex <= oldEndIndex <= ${this.code.length}.`,
      )
    }
    const root = tree.rootNode
    const startPosition = pointAt(root, this.code, startIndex)
    const oldEndPosition = oldEndIndex === startIndex ? startPosition : pointAt(root, this.code, oldEndIndex)
    const newEndPosition = pointAfter(startPosition, newText)
    const code = this.code.slice(0, startIndex) + newText + this.code.slice(oldEndIndex)
    const edited = tree.copy()
    try {
      edited.edit(
        new Edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + newText.length,
          startPosition,
          oldEndPosition,
          newEndPosition,
        }),
      )
      // Read the new text from the old code and the inserted text, so the concatenation above
      // stays a cheap rope (flattened only if someone reads it) while the parser only reads
      // around the edit. Handing tree-sitter `code` itself would flatten the rope on its first
      // read: a copy of the whole file, which at 50-100 KB costs a third of the re-parse.
      const grammar = this.#grammar as Language
      const runtime = this.#runtime as TreeSitterRuntime
      const next = runParse(grammar, spliceReader(this.code, edit), edited, this.#timeoutMs, { runtime })
      runtime.retain()
      return new ParsedCode(this.language, code, next, grammar, this.#timeoutMs, {
        maxDiagnostics: this.#maxDiagnostics,
        runtime,
      })
    } finally {
      edited.delete()
    }
  }

  /** Frees the tree's WASM memory. Safe to call more than once. */
  dispose(): void {
    if (this.#tree === undefined) return
    this.#tree.delete()
    this.#tree = undefined
    this.#diagnostics = undefined
    live -= 1
    // A discardable runtime goes, with its memory, when its last tree does; drop every reference
    // to it, so a disposed object kept by the host does not keep the memory.
    this.#runtime?.release()
    this.#runtime = undefined
    this.#grammar = undefined
  }

  /** The same as {@link ParsedCode.dispose}, for `using parsed = await parseCode(...)`. */
  [Symbol.dispose](): void {
    this.dispose()
  }

  #live(): Tree {
    if (this.#tree === undefined) {
      throw new DisposedError({
        message: `This ParsedCode (${this.language}) was disposed; its tree is freed. Parse the code again to use it.`,
      })
    }
    return this.#tree
  }
}

import type { Language, Tree } from 'web-tree-sitter'
import { MemoryCapReached, runParse } from './run-parse'
import { createDiscardableRuntime, sharedRuntime, type TreeSitterRuntime } from './tree-sitter-runtime'

/** Inputs longer than `maxSharedMemoryBytes / LARGE_INPUT_RATIO` characters skip the shared memory. */
const LARGE_INPUT_RATIO = 256

/** A tree and the runtime (memory, grammar) it was parsed in. */
export interface ParsedTree {
  readonly tree: Tree
  /** The grammar as loaded in `runtime`. */
  readonly grammar: Language
  readonly runtime: TreeSitterRuntime
}

/**
 * Parses `text` where its memory can be given back: in the shared runtime when it fits under
 * `maxSharedMemoryBytes`, else in a discardable runtime of its own (see `ParseLimits`). The time
 * budget covers both attempts. The returned runtime counts the tree: the caller owns both and
 * must hand them to a `ParsedCode` (or delete the tree and `release()` the runtime).
 *
 * @param sharedGrammar - The language as loaded in the shared runtime (`loadLanguage`).
 * @throws {ParseTimeoutError} when parsing runs past `timeoutMs`.
 * @throws {ParseFailedError} when tree-sitter fails.
 * @throws {GrammarLoadError} when the grammar cannot be loaded into a discardable runtime.
 */
export async function parseInRuntime(
  languageId: string,
  sharedGrammar: Language,
  text: string,
  timeoutMs: number,
  maxSharedMemoryBytes: number,
): Promise<ParsedTree> {
  const deadline = performance.now() + timeoutMs
  if (text.length * LARGE_INPUT_RATIO <= maxSharedMemoryBytes) {
    const runtime = sharedRuntime()
    try {
      const tree = runParse(sharedGrammar, text, null, timeoutMs, {
        runtime,
        memoryCapBytes: maxSharedMemoryBytes,
        deadline,
      })
      return { tree, grammar: sharedGrammar, runtime }
    } catch (error) {
      if (!(error instanceof MemoryCapReached)) throw error
    }
  }
  const runtime = await createDiscardableRuntime()
  // one reference for the tree returned, handed over to the caller's ParsedCode
  runtime.retain()
  let parsed = false
  try {
    const grammar = await runtime.language(languageId)
    const tree = runParse(grammar, text, null, timeoutMs, { runtime, deadline })
    parsed = true
    return { tree, grammar, runtime }
  } finally {
    // no tree: drop the runtime and its memory now
    if (!parsed) runtime.release()
  }
}

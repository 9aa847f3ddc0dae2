import { type Language, type ParseCallback, Parser, type ParseState, type Tree } from 'web-tree-sitter'
import { ParseFailedError } from './errors/parse-failed-error'
import { ParseTimeoutError } from './errors/parse-timeout-error'

let shared: Parser | undefined

/**
 * Parses `input` (the code, or a callback that returns the text from an offset) on the one shared web-tree-sitter `Parser` (parsing is synchronous, so one is
 * enough per thread), cancelling through the progress callback once `timeoutMs` has passed.
 * A cancelled parse leaves no tree behind and the parser reset for the next caller.
 *
 * @throws {ParseTimeoutError} when the budget runs out.
 */
export function runParse(
  language: Language,
  input: string | ParseCallback,
  oldTree: Tree | null,
  timeoutMs: number,
): Tree {
  if (shared === undefined) shared = new Parser()
  const parser = shared
  if (parser.language !== language) parser.setLanguage(language)
  let tree: Tree | null
  try {
    if (Number.isFinite(timeoutMs)) {
      const deadline = performance.now() + timeoutMs
      // web-tree-sitter 0.27 cancels when the callback returns true (its .d.ts says `void`).
      const progressCallback = ((_state: ParseState) => performance.now() > deadline) as (
        state: ParseState,
      ) => void
      tree = parser.parse(input, oldTree, { progressCallback })
    } else {
      tree = parser.parse(input, oldTree)
    }
  } catch (error) {
    // A trap inside the WASM parser: do not reuse a parser in an unknown state.
    shared = undefined
    throw new ParseFailedError({
      message: `tree-sitter failed while parsing: ${String((error as Error)?.message ?? error)}`,
      cause: error,
    })
  }
  if (tree === null) {
    parser.reset()
    if (Number.isFinite(timeoutMs)) {
      throw new ParseTimeoutError({
        timeoutMs,
        message: `Parsing took longer than the ${timeoutMs} ms budget and was cancelled. Treat the input as hostile, or raise timeoutMs if it is trusted.`,
      })
    }
    throw new ParseFailedError({ message: 'tree-sitter returned no tree.' })
  }
  return tree
}

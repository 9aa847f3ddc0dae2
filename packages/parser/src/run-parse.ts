import type { Language, ParseCallback, ParseState, Tree } from 'web-tree-sitter'
import { ParseFailedError } from './errors/parse-failed-error'
import { ParseTimeoutError } from './errors/parse-timeout-error'
import { sharedRuntime, type TreeSitterRuntime } from './tree-sitter-runtime'

/**
 * Thrown by {@link runParse} when a parse was cancelled because it grew its runtime's memory past
 * `memoryCapBytes`: `parseCode` then parses the input again in a discardable runtime. Internal:
 * never reaches a caller.
 */
export class MemoryCapReached extends Error {
  constructor() {
    super('internal: the parse was moved out of the shared tree-sitter memory')
    this.name = 'MemoryCapReached'
  }
}

/** What {@link runParse} accepts besides the input. */
export interface RunParseOptions {
  /** The runtime to parse in (its parser, its memory). Default: the shared one. */
  readonly runtime?: TreeSitterRuntime
  /**
   * Cancel (with {@link MemoryCapReached}) once the runtime's memory grows during this parse
   * and is then over this many bytes.
   */
  readonly memoryCapBytes?: number
  /** When the time budget ends (a `performance.now()` value); default `timeoutMs` from now. */
  readonly deadline?: number
}

/**
 * Parses `input` (the code, or a callback that returns the text from an offset) on the runtime's
 * one parser (parsing is synchronous, so one is enough per runtime), cancelling through the
 * progress callback once `timeoutMs` has passed, or once the parse has grown the runtime's memory
 * past `memoryCapBytes`. A cancelled parse leaves no tree behind and the parser reset for the
 * next caller.
 *
 * @throws {ParseTimeoutError} when the budget runs out.
 * @throws {MemoryCapReached} when the memory cap is reached.
 */
export function runParse(
  language: Language,
  input: string | ParseCallback,
  oldTree: Tree | null,
  timeoutMs: number,
  options: RunParseOptions = {},
): Tree {
  const runtime = options.runtime ?? sharedRuntime()
  const parser = runtime.parser()
  if (parser.language !== language) parser.setLanguage(language)
  const cap = options.memoryCapBytes ?? Number.POSITIVE_INFINITY
  const bounded = Number.isFinite(timeoutMs)
  const capped = Number.isFinite(cap)
  const memoryAtStart = runtime.memoryBytes()
  let overCap = false
  let tree: Tree | null
  try {
    if (bounded || capped) {
      const deadline = bounded
        ? (options.deadline ?? performance.now() + timeoutMs)
        : Number.POSITIVE_INFINITY
      // web-tree-sitter 0.27 cancels when the callback returns true (its .d.ts says `void`).
      const progressCallback = ((_state: ParseState) => {
        if (capped) {
          const memory = runtime.memoryBytes()
          if (memory > memoryAtStart && memory > cap) {
            overCap = true
            return true
          }
        }
        return performance.now() > deadline
      }) as (state: ParseState) => void
      tree = parser.parse(input, oldTree, { progressCallback })
    } else {
      tree = parser.parse(input, oldTree)
    }
  } catch (error) {
    // A trap inside the WASM parser: do not reuse a parser in an unknown state.
    runtime.resetParser()
    throw new ParseFailedError({
      message: `tree-sitter failed while parsing: ${String((error as Error)?.message ?? error)}`,
      cause: error,
    })
  }
  if (tree === null) {
    parser.reset()
    if (overCap) throw new MemoryCapReached()
    if (bounded) {
      throw new ParseTimeoutError({
        timeoutMs,
        message: `Parsing took longer than the ${timeoutMs} ms budget and was cancelled. Treat the input as hostile, or raise timeoutMs if it is trusted.`,
      })
    }
    throw new ParseFailedError({ message: 'tree-sitter returned no tree.' })
  }
  return tree
}

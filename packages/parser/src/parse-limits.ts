/** The default {@link ParseLimits.maxBytes}: 10 MB of UTF-8. */
export const DEFAULT_MAX_BYTES = 10_000_000
/** The default {@link ParseLimits.timeoutMs}: 5 seconds. */
export const DEFAULT_TIMEOUT_MS = 5_000
/** The default {@link ParseLimits.maxDiagnostics}: 100. */
export const DEFAULT_MAX_DIAGNOSTICS = 100
/** The default {@link ParseLimits.maxSharedMemoryBytes}: 40 MiB. */
export const DEFAULT_MAX_SHARED_MEMORY_BYTES = 40 * 2 ** 20

/** Bounds on one parse, so hostile or accidental input cannot exhaust the host. */
export interface ParseLimits {
  /**
   * The largest source accepted, in UTF-8 bytes. Larger input throws `InputTooLargeError`
   * before anything is parsed. Default {@link DEFAULT_MAX_BYTES} (10 MB).
   */
  maxBytes?: number
  /**
   * The time budget for one parse, in milliseconds, checked from tree-sitter's progress
   * callback while it parses. Past it the parse is cancelled, its memory freed, and
   * `ParseTimeoutError` thrown. Also applies to each `applyEdit`. Default
   * {@link DEFAULT_TIMEOUT_MS} (5 s; a 10 MB file parses in about 1.5 s); `Infinity` turns it off.
   *
   * The same budget bounds each operation on the parsed tree afterwards, separately: collecting
   * `diagnostics` and each `chunks()` call. Past it they throw `BudgetExceededError`.
   */
  timeoutMs?: number
  /**
   * The most diagnostics described in `ParsedCode.diagnostics` (a non-negative integer, or
   * `Infinity`). The rest are only counted, in `ParsedCode.droppedDiagnostics`, so one line of
   * garbage with 100,000 errors costs a count, not 100,000 messages. Default
   * {@link DEFAULT_MAX_DIAGNOSTICS} (100).
   */
  maxDiagnostics?: number
  /**
   * How large the WASM memory shared by all parses may grow, in bytes. WebAssembly memory never
   * shrinks, so an input that would grow it further (`'('.repeat(10_000_000)` needs 2 GB; a 9 MB
   * file about 200 MB) is parsed in a tree-sitter runtime of its own instead, whose memory is
   * released when the last tree parsed in it is disposed (dropping a runtime over 64 MiB also
   * asks V8 for a garbage collection, so the memory goes back to the system at once). Inputs
   * longer than this limit / 256 characters (160,000 by default) go there directly; others start in the shared memory
   * and move if they reach the limit. Default {@link DEFAULT_MAX_SHARED_MEMORY_BYTES} (40 MiB,
   * room for a few MB of live trees); `Infinity` parses everything in the shared memory, `0`
   * everything in runtimes of their own (each costs a few milliseconds to set up). Re-parses by
   * `applyEdit` stay in the runtime of the tree they edit.
   */
  maxSharedMemoryBytes?: number
}

import { Parser } from 'web-tree-sitter'
import { GrammarLoadError } from './errors/grammar-load-error'

let initialized: Promise<void> | undefined
/** The Emscripten module object web-tree-sitter filled in, when our `init` call was the first. */
let wasmModule: { HEAP8?: Int8Array } | undefined

/**
 * Initialises web-tree-sitter once per process. Concurrent callers share one promise; a
 * failure is not cached, so a later call can try again.
 */
export function initTreeSitter(): Promise<void> {
  if (initialized === undefined) {
    const moduleOptions: { HEAP8?: Int8Array } = {}
    initialized = Parser.init(moduleOptions).then(
      () => {
        if (moduleOptions.HEAP8 !== undefined) wasmModule = moduleOptions
      },
      (error: unknown) => {
        initialized = undefined
        throw new GrammarLoadError({
          language: 'web-tree-sitter',
          message: `web-tree-sitter failed to initialise: ${String((error as Error)?.message ?? error)}`,
          cause: error,
        })
      },
    )
  }
  return initialized
}

/** Discardable runtimes that hold WASM memory now (see `tree-sitter-runtime.ts`). */
const discardableRuntimes = new Set<{ memoryBytes(): number }>()

/** @internal Counts a discardable runtime's memory in {@link wasmMemoryBytes} until it is untracked. */
export function trackRuntimeMemory(runtime: { memoryBytes(): number }): void {
  discardableRuntimes.add(runtime)
}

/** @internal Stops counting a dropped runtime's memory. */
export function untrackRuntimeMemory(runtime: { memoryBytes(): number }): void {
  discardableRuntimes.delete(runtime)
}

/** @internal How many discardable runtimes hold memory now (tests). */
export function discardableRuntimeCount(): number {
  return discardableRuntimes.size
}

/** The size of the shared runtime's WASM memory, or `undefined` when it is not ours to see. */
export function sharedMemoryBytes(): number | undefined {
  return wasmModule?.HEAP8?.buffer.byteLength
}

/**
 * The WASM memory web-tree-sitter holds for this package, in bytes: the shared runtime's plus that
 * of each discardable runtime still holding a tree (an input too large or too hostile for the
 * shared memory is parsed in a runtime of its own, dropped with its last tree). `undefined` when
 * another caller initialised web-tree-sitter before this package did and no discardable runtime
 * is alive. The shared memory only grows, up to its cap; a value that stays flat across many
 * parses shows that trees are being freed.
 */
export function wasmMemoryBytes(): number | undefined {
  const base = sharedMemoryBytes()
  let total = base ?? 0
  for (const runtime of discardableRuntimes) total += runtime.memoryBytes()
  return base === undefined && discardableRuntimes.size === 0 ? undefined : total
}

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

/**
 * The size of web-tree-sitter's WASM memory in bytes, or `undefined` when another caller
 * initialised web-tree-sitter before this package did. WASM memory only grows, so a value that
 * stays flat across many parses shows that trees are being freed.
 */
export function wasmMemoryBytes(): number | undefined {
  return wasmModule?.HEAP8?.buffer.byteLength
}

import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { compileFunction, runInNewContext } from 'node:vm'
import * as WebTreeSitter from 'web-tree-sitter'
import { GrammarLoadError } from './errors/grammar-load-error'
import { describeGrammarSource, grammarInput } from './grammar-input'
import { sharedMemoryBytes, trackRuntimeMemory, untrackRuntimeMemory } from './init-tree-sitter'
import type { GrammarSource } from './languages/language-definition'
import { requireLanguage } from './languages/language-registry'
import { loadLanguage } from './load-language'

const require = createRequire(import.meta.url)

/** A compiled WebAssembly module, opaque here (the DOM lib that types the WebAssembly API is not loaded). */
type WasmModule = object
/** The parts of the WebAssembly API used here. */
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      compile(bytes: Uint8Array): Promise<WasmModule>
      instantiate(module: WasmModule, imports: object): Promise<object>
    }
  }
).WebAssembly

/** What a runtime's copy of web-tree-sitter provides. */
type TreeSitterModule = Pick<typeof WebTreeSitter, 'Parser' | 'Language' | 'Query'>

/**
 * Past this much WASM memory, dropping a discardable runtime asks V8 for a garbage collection, so
 * the memory goes back to the system now rather than after the host next allocates tens of
 * megabytes (V8 frees a dropped WebAssembly memory only when it collects).
 */
const COLLECT_ABOVE_BYTES = 64 * 2 ** 20

/**
 * One web-tree-sitter instance: its own WebAssembly memory, parser and grammars. The shared one
 * lives for the process; a discardable one is made for one input that could grow the shared
 * memory past its cap (WebAssembly memory never shrinks) and is dropped, memory and all, when the
 * last tree parsed in it is disposed.
 */
export interface TreeSitterRuntime {
  /** True for a runtime made for one input and dropped with its last tree. */
  readonly discardable: boolean
  /** The size of this runtime's WASM memory, in bytes (0 once dropped). */
  memoryBytes(): number
  /** This runtime's parser (one per runtime; parsing is synchronous). */
  parser(): WebTreeSitter.Parser
  /** Forgets the parser after a trap left it in an unknown state. */
  resetParser(): void
  /** The grammar of `id` loaded in this runtime. */
  language(id: string): Promise<WebTreeSitter.Language>
  /** Counts one more tree that lives in this runtime. */
  retain(): void
  /** Counts one tree less; a discardable runtime is dropped at zero. */
  release(): void
}

/** Each grammar loaded in a discardable runtime, to find the runtime's `Query` from its `Language`. */
const runtimeModules = new WeakMap<WebTreeSitter.Language, TreeSitterModule>()

let shared: TreeSitterRuntime | undefined
let sharedParser: WebTreeSitter.Parser | undefined

/**
 * The process-wide runtime: the `web-tree-sitter` module this package imports (so trees parsed
 * in it work with a host's own `Query`), its grammars loaded by `loadLanguage`.
 */
export function sharedRuntime(): TreeSitterRuntime {
  shared ??= {
    discardable: false,
    memoryBytes: () => sharedMemoryBytes() ?? 0,
    parser: () => {
      sharedParser ??= new WebTreeSitter.Parser()
      return sharedParser
    },
    resetParser: () => {
      sharedParser = undefined
    },
    language: loadLanguage,
    retain: () => {},
    release: () => {},
  }
  return shared
}

/**
 * Makes a fresh, discardable runtime: a new copy of web-tree-sitter's JavaScript (evaluated from
 * its CommonJS build, so nothing keeps it alive once dropped, unlike an ES module, which stays in
 * the loader's cache for good) on a new WebAssembly memory. web-tree-sitter's and the grammars'
 * compiled WebAssembly modules are cached, so one costs an instantiation, not a compilation.
 */
export async function createDiscardableRuntime(): Promise<TreeSitterRuntime> {
  const module = freshModule()
  const options: { HEAP8?: Int8Array; instantiateWasm?: unknown } = {}
  const compiled = await mainWasm()
  options.instantiateWasm = (imports: object, receive: (instance: object, module: WasmModule) => void) => {
    void wasm.instantiate(compiled, imports).then((instance) => receive(instance, compiled))
    return {}
  }
  await module.Parser.init(options)
  let parser: WebTreeSitter.Parser | undefined
  let languages: Map<string, Promise<WebTreeSitter.Language>> | undefined = new Map()
  let trees = 0
  let dropped = false
  const runtime: TreeSitterRuntime = {
    discardable: true,
    memoryBytes: () => (dropped ? 0 : (options.HEAP8?.buffer.byteLength ?? 0)),
    parser: () => {
      if (dropped) throw new Error('internal: a dropped tree-sitter runtime was used')
      parser ??= new module.Parser()
      return parser
    },
    resetParser: () => {
      parser = undefined
    },
    language: (id) => {
      if (languages === undefined) throw new Error('internal: a dropped tree-sitter runtime was used')
      let loading = languages.get(id)
      if (loading === undefined) {
        loading = grammarModule(id).then((compiledGrammar) => {
          const language = module.Language.loadSync(compiledGrammar as never)
          runtimeModules.set(language, module)
          return language
        })
        languages.set(id, loading)
      }
      return loading
    },
    retain: () => {
      trees += 1
    },
    release: () => {
      trees -= 1
      if (trees > 0 || dropped) return
      dropped = true
      const bytes = options.HEAP8?.buffer.byteLength ?? 0
      // free what is freeable now; the memory itself goes when nothing references it
      try {
        parser?.delete()
      } catch {
        // a parser a trap left broken is dropped with the rest
      }
      parser = undefined
      languages = undefined
      options.HEAP8 = undefined
      untrackRuntimeMemory(runtime)
      if (bytes >= COLLECT_ABOVE_BYTES) requestCollection()
    },
  }
  trackRuntimeMemory(runtime)
  return runtime
}

/**
 * `new Query(language, source)` with the `Query` class of the copy of web-tree-sitter `language`
 * was loaded in: a query from another copy would read the wrong WebAssembly memory. Use it for
 * queries on `ParsedCode.tree`, which may live in a runtime of its own (see
 * `ParseLimits.maxSharedMemoryBytes`).
 *
 * @example
 * ```ts
 * using parsed = await parseCode(code, { language: 'javascript' })
 * const query = createQuery(parsed.tree.language, '(identifier) @name')
 * const names = query.captures(parsed.tree.rootNode).map((c) => c.node.text)
 * query.delete()
 * ```
 * @throws {Error} from web-tree-sitter when the query does not compile against the grammar.
 */
export function createQuery(language: WebTreeSitter.Language, source: string): WebTreeSitter.Query {
  const Query = runtimeModules.get(language)?.Query ?? WebTreeSitter.Query
  return new Query(language, source)
}

let factory: ((...args: unknown[]) => void) | undefined
let mainWasmModule: Promise<WasmModule> | undefined
const grammarModules = new WeakMap<GrammarSource, Promise<WasmModule>>()

/** web-tree-sitter's folder, from its entry (whichever build a runner's conditions pick). */
function treeSitterDirectory(): string {
  return dirname(require.resolve('web-tree-sitter'))
}

/** Its CommonJS build: a script that can be evaluated again and again, unlike an ES module. */
function treeSitterCommonJsPath(): string {
  return join(treeSitterDirectory(), 'web-tree-sitter.cjs')
}

function freshModule(): TreeSitterModule {
  const path = treeSitterCommonJsPath()
  factory ??= compileFunction(
    readFileSync(path, 'utf8'),
    ['exports', 'require', 'module', '__filename', '__dirname'],
    {
      filename: path,
    },
  ) as (...args: unknown[]) => void
  const module = { exports: {} as TreeSitterModule }
  factory(module.exports, createRequire(path), module, path, dirname(path))
  return module.exports
}

function mainWasm(): Promise<WasmModule> {
  if (mainWasmModule === undefined) {
    const path = join(treeSitterDirectory(), 'web-tree-sitter.wasm')
    mainWasmModule = readFile(path).then((bytes) => wasm.compile(bytes))
    mainWasmModule.catch(() => {
      mainWasmModule = undefined
    })
  }
  return mainWasmModule
}

/** The compiled grammar of a language, compiled once per grammar source and shared by runtimes. */
function grammarModule(id: string): Promise<WasmModule> {
  const definition = requireLanguage(id)
  const source = definition.grammar
  let compiling = grammarModules.get(source)
  if (compiling === undefined) {
    compiling = (async () => {
      const input = grammarInput(definition.id, source)
      try {
        const bytes = typeof input === 'string' ? await readFile(input) : input
        return await wasm.compile(bytes)
      } catch (error) {
        throw new GrammarLoadError({
          language: definition.id,
          message: `The grammar for "${definition.id}" (${describeGrammarSource(source)}) could not be loaded into a fresh tree-sitter runtime: ${String((error as Error)?.message ?? error)}.`,
          cause: error,
        })
      }
    })()
    grammarModules.set(source, compiling)
    compiling.catch(() => {
      if (grammarModules.get(source) === compiling) grammarModules.delete(source)
    })
  }
  return compiling
}

let collect: ((options: { type: 'major'; execution: 'async' }) => Promise<void>) | null | undefined
let collecting: Promise<void> | undefined

/**
 * Asks V8 for one major garbage collection, off the caller's stack, so the WebAssembly memory of
 * a dropped runtime is returned to the system. V8 frees such memory only when it collects, and
 * an idle host may not collect for a long time. Uses the host's `gc` when it exposes one, else
 * enables `--expose-gc` for a fresh context, as test runners' leak detectors do; if neither
 * works, the memory goes at V8's next collection.
 */
function requestCollection(): void {
  if (collecting !== undefined) return
  if (collect === undefined) {
    const exposed = (globalThis as { gc?: unknown }).gc
    if (typeof exposed === 'function') collect = exposed as unknown as typeof collect
    else {
      try {
        setFlagsFromString('--expose-gc')
        collect = runInNewContext('gc') as typeof collect
      } catch {
        collect = null
      }
    }
  }
  const gc = collect
  if (gc === null || gc === undefined) return
  collecting = new Promise<void>((resolve) => {
    setImmediate(() => {
      Promise.resolve()
        .then(() => gc({ type: 'major', execution: 'async' }))
        .catch(() => {})
        .finally(() => {
          collecting = undefined
          resolve()
        })
    })
  })
}

/**
 * @internal Resolves once a collection requested by a dropped runtime has run (at once when none
 * is pending): for tests that measure the process's memory.
 */
export function memoryReleased(): Promise<void> {
  return collecting ?? Promise.resolve()
}

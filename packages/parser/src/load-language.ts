import { fileURLToPath } from 'node:url'
import { Language } from 'web-tree-sitter'
import { GrammarLoadError } from './errors/grammar-load-error'
import { describeGrammarSource, grammarInput } from './grammar-input'
import { initTreeSitter } from './init-tree-sitter'
import type { GrammarSource } from './languages/language-definition'
import { requireLanguage } from './languages/language-registry'
import { isCompressedGrammar, readCompressedGrammar } from './languages/read-grammar'

const cache = new Map<string, Promise<Language>>()

/**
 * Loads the grammar for a language id or alias (`typescript`, `py`, `c++`) and returns the
 * web-tree-sitter `Language`. Each grammar is loaded once, on first use, and cached for the
 * life of the process; concurrent calls share one load.
 *
 * @throws {UnknownLanguageError} when no registered language has that id or alias.
 * @throws {GrammarLoadError} when the `.wasm` cannot be found or loaded.
 */
export async function loadLanguage(id: string): Promise<Language> {
  const definition = requireLanguage(id)
  let loading = cache.get(definition.id)
  if (loading === undefined) {
    loading = load(definition.id, definition.grammar)
    cache.set(definition.id, loading)
    loading.catch(() => {
      if (cache.get(definition.id) === loading) cache.delete(definition.id)
    })
  }
  return loading
}

/** Drops a cached grammar so the next {@link loadLanguage} reloads it (used by `registerLanguage`). */
export function forgetLanguage(id: string): void {
  cache.delete(id)
}

async function load(id: string, source: GrammarSource): Promise<Language> {
  await initTreeSitter()
  const input = await readInput(id, source)
  try {
    return await Language.load(input)
  } catch (error) {
    throw new GrammarLoadError({
      language: id,
      message: `The grammar for "${id}" (${describeGrammarSource(source)}) failed to load on web-tree-sitter: ${String((error as Error)?.message ?? error)}. It may be built for an incompatible tree-sitter ABI; rebuild it with a tree-sitter CLI that matches web-tree-sitter 0.27.`,
      cause: error,
    })
  }
}

/** The grammar's path or bytes; built-in grammars ship brotli-compressed and are decompressed off the event loop. */
async function readInput(id: string, source: GrammarSource): Promise<string | Uint8Array> {
  const path = 'path' in source ? (source.path instanceof URL ? fileURLToPath(source.path) : source.path) : ''
  if (!isCompressedGrammar(path)) return grammarInput(id, source)
  try {
    return await readCompressedGrammar(path)
  } catch (error) {
    throw new GrammarLoadError({
      language: id,
      message: `The grammar for "${id}" (${path}) could not be read: ${String((error as Error)?.message ?? error)}. Is the package installed completely?`,
      cause: error,
    })
  }
}

import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { GrammarLoadError } from './errors/grammar-load-error'
import type { GrammarSource } from './languages/language-definition'
import { isCompressedGrammar, readCompressedGrammarSync } from './languages/read-grammar'

const require = createRequire(import.meta.url)

/**
 * What `Language.load` takes for a grammar source: a resolved file path, or the bytes.
 *
 * @throws {GrammarLoadError} when a module specifier does not resolve.
 */
export function grammarInput(id: string, source: GrammarSource): string | Uint8Array {
  try {
    const input =
      'bytes' in source
        ? source.bytes
        : 'path' in source
          ? toPath(source.path)
          : require.resolve(source.module)
    return typeof input === 'string' && isCompressedGrammar(input) ? readCompressedGrammarSync(input) : input
  } catch (error) {
    throw new GrammarLoadError({
      language: id,
      message: `The grammar for "${id}" was not found (${describeGrammarSource(source)}). Is the package that ships it installed?`,
      cause: error,
    })
  }
}

/** The resolved path of web-tree-sitter's CommonJS entry, for worker threads. */
export function treeSitterEntry(): string {
  return require.resolve('web-tree-sitter')
}

function toPath(path: string | URL): string {
  return typeof path === 'string' ? path : fileURLToPath(path)
}

/** A grammar source for messages: its specifier, path or size. */
export function describeGrammarSource(source: GrammarSource): string {
  if ('bytes' in source) return `${source.bytes.byteLength} bytes`
  if ('path' in source) return String(source.path)
  return source.module
}

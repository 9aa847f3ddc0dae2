import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { brotliDecompress, brotliDecompressSync } from 'node:zlib'

const require = createRequire(import.meta.url)
const decompress = promisify(brotliDecompress)

/**
 * The folder of the grammars that ship inside this package (`grammars/<id>.wasm.br`), found
 * from the package's own `package.json`, so it is the same from the sources and from `dist/`.
 */
export function grammarsDirectory(): string {
  try {
    return join(dirname(require.resolve('@ql/parser/package.json')), 'grammars')
  } catch {
    return fileURLToPath(new URL('../../grammars/', import.meta.url))
  }
}

/** True for a brotli-compressed grammar (`.wasm.br`), which is decompressed before it is loaded. */
export function isCompressedGrammar(path: string): boolean {
  return path.endsWith('.br')
}

/** Reads and decompresses a `.wasm.br` grammar without blocking the event loop. */
export async function readCompressedGrammar(path: string): Promise<Uint8Array> {
  return new Uint8Array(await decompress(await readFile(path)))
}

/** Reads and decompresses a `.wasm.br` grammar (a few ms; for the worker's preflight). */
export function readCompressedGrammarSync(path: string): Uint8Array {
  return new Uint8Array(brotliDecompressSync(readFileSync(path)))
}

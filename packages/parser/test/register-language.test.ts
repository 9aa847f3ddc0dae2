import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { brotliCompressSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  detectLanguage,
  GrammarLoadError,
  InvalidArgumentError,
  listLanguages,
  loadLanguage,
  parseCode,
  registerLanguage,
} from './helpers'

// A grammar this package does not register itself: Java .properties files (see fixtures/grammars/README.md).
const propertiesWasm = fileURLToPath(
  new URL('./fixtures/grammars/tree-sitter-properties.wasm', import.meta.url),
)

describe('registerLanguage', () => {
  it('adds a grammar from a path, detected by its extensions, names and aliases', async () => {
    registerLanguage({
      id: 'properties',
      displayName: 'Java properties',
      wasm: propertiesWasm,
      extensions: ['.properties'],
      filenames: ['gradle.properties.local'],
      aliases: ['props'],
      caveats: ['none known'],
    })
    expect(detectLanguage('app/config.PROPERTIES')).toBe('properties')
    expect(detectLanguage('gradle.properties.local')).toBe('properties')
    const info = listLanguages().find((language) => language.id === 'properties')
    expect(info).toMatchObject({ custom: true, displayName: 'Java properties', caveats: ['none known'] })
    using parsed = await parseCode('a.b = 1\nname = value\n', { filename: 'x.properties' })
    expect(parsed.language).toBe('properties')
    expect(parsed.tree.rootNode.type).toBe('file')
    expect(parsed.diagnostics).toEqual([])
    using byAlias = await parseCode('k=v\n', { language: 'props' })
    expect(byAlias.valid).toBe(true)
  })

  it('adds a grammar from a file URL or from bytes, and replacing one reloads it', async () => {
    registerLanguage({ id: 'props-url', wasm: pathToFileURL(propertiesWasm) })
    registerLanguage({
      id: 'props-bytes',
      wasm: new Uint8Array(readFileSync(propertiesWasm)),
      shebangs: ['propsrun'],
    })
    expect(listLanguages().find((language) => language.id === 'props-url')?.displayName).toBe('props-url')
    using fromUrl = await parseCode('a=1\n', { language: 'props-url' })
    using fromBytes = await parseCode('#!/usr/bin/env propsrun\na=1\n', { filename: 'run' })
    expect(fromUrl.valid).toBe(true)
    expect(fromBytes.language).toBe('props-bytes')
    const first = await loadLanguage('props-url')
    expect(await loadLanguage('props-url')).toBe(first)
    registerLanguage({ id: 'props-url', wasm: propertiesWasm })
    expect(await loadLanguage('props-url')).not.toBe(first)
  })

  it('throws GrammarLoadError for a missing file or bytes that are not a grammar, and retries later', async () => {
    registerLanguage({ id: 'missing-grammar', wasm: '/nonexistent/tree-sitter-nothing.wasm' })
    const missing = await parseCode('x', { language: 'missing-grammar' }).catch((e) => e)
    expect(GrammarLoadError.isInstance(missing)).toBe(true)
    expect(missing).toMatchObject({ code: 'grammar_load_failed', language: 'missing-grammar' })
    expect(missing.message).toMatch(/failed to load/)
    registerLanguage({ id: 'garbage-grammar', wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 9, 9]) })
    const garbage = await parseCode('x', { language: 'garbage-grammar' }).catch((e) => e)
    expect(GrammarLoadError.isInstance(garbage)).toBe(true)
    expect(garbage.cause).toBeDefined()
    // A failed load is not cached: fixing the registration makes the next parse work.
    registerLanguage({ id: 'garbage-grammar', wasm: propertiesWasm })
    using fixed = await parseCode('a=1\n', { language: 'garbage-grammar' })
    expect(fixed.valid).toBe(true)
  })

  it('takes a brotli-compressed grammar (.wasm.br), as the built-in ones ship, in this thread and in the worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ql-grammar-'))
    const compressed = join(dir, 'tree-sitter-properties.wasm.br')
    writeFileSync(compressed, brotliCompressSync(readFileSync(propertiesWasm)))
    registerLanguage({ id: 'props-br', wasm: compressed })
    using parsed = await parseCode('a=1\n', { language: 'props-br' })
    expect(parsed.valid).toBe(true)
    using isolated = await parseCode('a=1\n', { language: 'props-br', isolate: 'worker' })
    expect(isolated.valid).toBe(true)
    const damaged = join(dir, 'damaged.wasm.br')
    writeFileSync(damaged, 'not brotli')
    registerLanguage({ id: 'props-damaged', wasm: pathToFileURL(damaged) })
    const error = await parseCode('a=1\n', { language: 'props-damaged' }).catch((e) => e)
    expect(GrammarLoadError.isInstance(error)).toBe(true)
    expect(error.message).toMatch(/could not be read/)
  })

  it('rejects an id that cannot be one', () => {
    expect(() => registerLanguage({ id: 'has space', wasm: propertiesWasm })).toThrow(InvalidArgumentError)
    expect(() => registerLanguage({ id: '', wasm: propertiesWasm })).toThrow(/not a valid language id/)
  })
})

describe('grammar sources', () => {
  it('names a grammar package that is not installed', async () => {
    const { grammarInput } = await import('../src/grammar-input')
    let thrown: unknown
    try {
      grammarInput('nothing', { module: 'tree-sitter-not-installed/tree-sitter-nothing.wasm' })
    } catch (error) {
      thrown = error
    }
    expect(GrammarLoadError.isInstance(thrown)).toBe(true)
    expect((thrown as Error).message).toMatch(
      /was not found \(tree-sitter-not-installed\/tree-sitter-nothing\.wasm\)/,
    )
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Tree } from 'web-tree-sitter'
import { liveParsedCodeCountForTests, parseCode, wasmMemoryBytes } from './helpers'

const source = readFileSync(new URL('./fixtures/languages/typescript.ts', import.meta.url), 'utf8')
const broken = source.replace('return items[0]', 'return items[0')

describe('WASM memory', () => {
  it('stays flat over 3,000 parse/dispose cycles', async () => {
    // Warm up: load the grammar and let the allocator reach its steady state.
    for (let i = 0; i < 200; i += 1) (await parseCode(source, { language: 'typescript' })).dispose()
    const before = wasmMemoryBytes()
    expect(before).toBeGreaterThan(0)
    // Keep every Tree wrapper reachable, so web-tree-sitter's FinalizationRegistry cannot free
    // a tree behind our back: only dispose() can keep the heap flat here. A tree left undisposed
    // holds hundreds of kilobytes (the last test), so 3,000 cycles show any per-cycle leak of one.
    const trees: Tree[] = []
    for (let i = 0; i < 3_000; i += 1) {
      const parsed = await parseCode(i % 2 === 0 ? source : broken, { language: 'typescript' })
      expect(parsed.diagnostics.length).toBe(i % 2)
      trees.push(parsed.tree)
      parsed.dispose()
    }
    const after = wasmMemoryBytes()
    console.info(`WASM memory over 3,000 parse/dispose cycles: before ${before} bytes, after ${after} bytes`)
    expect(after).toBe(before)
    expect(liveParsedCodeCountForTests()).toBe(0)
    expect(trees).toHaveLength(3_000)
  }, 60_000)

  it('stays flat over 2,000 incremental edits when each old version is disposed', async () => {
    let current = await parseCode(source, { language: 'typescript' })
    const before = wasmMemoryBytes()
    const trees: Tree[] = []
    for (let i = 0; i < 2_000; i += 1) {
      const at = source.indexOf('counter ??= 0')
      const next = current.applyEdit({
        startIndex: at,
        oldEndIndex: at + 1,
        newText: i % 2 === 0 ? 'k' : 'c',
      })
      trees.push(current.tree)
      current.dispose()
      current = next
    }
    current.dispose()
    expect(wasmMemoryBytes()).toBe(before)
    expect(liveParsedCodeCountForTests()).toBe(0)
  }, 60_000)

  it('is a measure that can fail: trees that are not disposed grow the heap', async () => {
    const big = source.repeat(25)
    const before = wasmMemoryBytes() as number
    const leaked = []
    for (let i = 0; i < 100; i += 1) leaked.push(await parseCode(big, { language: 'typescript' }))
    const after = wasmMemoryBytes() as number
    for (const parsed of leaked) parsed.dispose()
    expect(after - before).toBeGreaterThan(20_000_000)
  }, 60_000)
})

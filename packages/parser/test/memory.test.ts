import { describe, expect, it } from 'vitest'
import {
  createQuery,
  discardableRuntimeCountForTests,
  parseCode,
  sharedRuntimeForTests,
  wasmMemoryBytes,
} from './helpers'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

const source = `export class Cart {
  items: number[] = []
  add(item: number): void {
    this.items.push(item)
  }
}

export function total(cart: Cart): number {
  return cart.items.reduce((a, b) => a + b, 0)
}
`

describe('WASM memory that can be given back', () => {
  it(
    'a tree parsed in a runtime of its own works like any other, and its memory goes with it',
    async () => {
      const shared = sharedRuntimeForTests()
      // warm the shared runtime, so its memory is what it will stay at
      const reference = await parseCode(source, { language: 'typescript' })
      const symbols = reference.symbols()
      const chunks = reference.chunks({ maxTokens: 40 })
      reference.dispose()
      const sharedBytes = shared.memoryBytes()
      expect(wasmMemoryBytes()).toBe(sharedBytes)
      expect(discardableRuntimeCountForTests()).toBe(0)

      const own = await parseCode(source, { language: 'typescript', maxSharedMemoryBytes: 0 })
      expect(discardableRuntimeCountForTests()).toBe(1)
      expect(wasmMemoryBytes()).toBeGreaterThan(sharedBytes)
      expect(shared.memoryBytes()).toBe(sharedBytes)
      // symbols compile their query in the tree's runtime: the shared one's would read the wrong memory
      expect(own.symbols()).toEqual(symbols)
      expect(symbols.definitions.map((d) => d.name)).toContain('total')
      expect(own.chunks({ maxTokens: 40 })).toEqual(chunks)
      expect(own.valid).toBe(true)
      // a host's own queries on the tree: createQuery picks the tree's copy of web-tree-sitter
      const query = createQuery(own.tree.language, '(class_declaration name: (type_identifier) @name)')
      expect(query.captures(own.tree.rootNode).map((c) => c.node.text)).toEqual(['Cart'])
      query.delete()

      // an edit re-parses in the same runtime, which lives while either version does
      const at = source.indexOf('this.items.push(item)')
      const edited = own.applyEdit({ startIndex: at, oldEndIndex: at, newText: '(' })
      expect(edited.diagnostics.length).toBeGreaterThan(0)
      own.dispose()
      expect(discardableRuntimeCountForTests()).toBe(1)
      expect(edited.symbols().definitions.map((d) => d.name)).toContain('total')
      edited.dispose()
      expect(discardableRuntimeCountForTests()).toBe(0)
      expect(wasmMemoryBytes()).toBe(sharedBytes)
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'a small input that grows the shared memory past its cap is moved to a runtime of its own',
    async () => {
      const shared = sharedRuntimeForTests()
      ;(await parseCode('x', { language: 'javascript' })).dispose()
      const cap = shared.memoryBytes()
      // small enough to start in the shared memory; its tree needs tens of megabytes more
      using parsed = await parseCode('('.repeat(200_000), {
        language: 'javascript',
        maxSharedMemoryBytes: cap,
        timeoutMs: 60_000,
      })
      expect(discardableRuntimeCountForTests()).toBe(1)
      expect(parsed.diagnostics.length).toBeGreaterThan(0)
      parsed.dispose()
      expect(discardableRuntimeCountForTests()).toBe(0)
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'a failed parse in a runtime of its own drops the runtime',
    async () => {
      await expect(
        parseCode('('.repeat(2_000_000), { language: 'javascript', maxSharedMemoryBytes: 0, timeoutMs: 1 }),
      ).rejects.toMatchObject({ code: 'parse_timeout', timeoutMs: 1 })
      expect(discardableRuntimeCountForTests()).toBe(0)
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { chunkCode } from '../src/chunks/chunk-code'
import type { CodeChunk } from '../src/chunks/code-chunk'
import { estimateTokens } from '../src/chunks/estimate-tokens'
import { parseCode } from '../src/parse-code'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

const fixtures = new URL('./fixtures/symbols/', import.meta.url)
const files = readdirSync(fixtures)

function lineOf(code: string, index: number): number {
  let line = 1
  for (let i = 0; i < index; i++) if (code.charCodeAt(i) === 10) line++
  return line
}

/** The invariants every chunking must keep, whatever the input and budget. */
function checkInvariants(code: string, chunks: CodeChunk[], maxTokens: number, count = estimateTokens) {
  expect(chunks.map((c) => c.text).join('')).toBe(code)
  let expectedStart = 0
  for (const chunk of chunks) {
    expect(chunk.startIndex).toBe(expectedStart)
    expect(chunk.text).toBe(code.slice(chunk.startIndex, chunk.endIndex))
    expect(chunk.tokens).toBe(count(chunk.header === '' ? chunk.text : `${chunk.header}\n${chunk.text}`))
    expect(chunk.tokens).toBeLessThanOrEqual(maxTokens)
    expect(chunk.startLine).toBe(lineOf(code, chunk.startIndex))
    expect(chunk.endLine).toBeGreaterThanOrEqual(chunk.startLine)
    expect(chunk.header).toBe(chunk.context.map((scope) => scope.signature).join('\n'))
    for (const scope of chunk.context) expect(scope.line).toBeLessThan(chunk.startLine)
    expectedStart = chunk.endIndex
  }
}

describe('chunkCode', () => {
  it.each(files)(
    '%s: covers the file exactly, within budget, at any budget',
    async (file) => {
      const code = readFileSync(new URL(file, fixtures), 'utf8')
      using parsed = await parseCode(code, { filename: file })
      for (const maxTokens of [24, 60, 150, 2000]) {
        const chunks = parsed.chunks({ maxTokens })
        checkInvariants(code, chunks, maxTokens)
        if (maxTokens === 2000) expect(chunks).toHaveLength(1)
      }
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it.each(files)(
    '%s: never splits a definition that fits the budget',
    async (file) => {
      const code = readFileSync(new URL(file, fixtures), 'utf8')
      using parsed = await parseCode(code, { filename: file })
      const maxTokens = 80
      const chunks = parsed.chunks({ maxTokens })
      for (const definition of parsed.symbols().definitions) {
        const { startIndex, endIndex } = definition.range
        const overlapping = chunks.filter((c) => c.startIndex < endIndex && c.endIndex > startIndex)
        if (overlapping.length === 1) continue
        // split: only allowed when the definition alone (with the scopes it sits in) is over the budget
        const first = overlapping[0] as CodeChunk
        const header = first.header === '' ? 0 : estimateTokens(`${first.header}\n`)
        expect(
          estimateTokens(code.slice(startIndex, endIndex)) + header,
          `${file}: ${definition.name}`,
        ).toBeGreaterThan(maxTokens)
      }
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'gives chunks inside a split class the class as context, and lists their symbols',
    async () => {
      const code = readFileSync(new URL('java.java', fixtures), 'utf8')
      using parsed = await parseCode(code, { language: 'java' })
      const chunks = parsed.chunks({ maxTokens: 70 })
      const inside = chunks.filter((c) => c.context.some((s) => s.name === 'OrderBook'))
      expect(inside.length).toBeGreaterThan(1)
      const scope = inside[0]?.context.find((s) => s.name === 'OrderBook')
      expect(scope).toMatchObject({ kind: 'class', signature: 'public class OrderBook', line: 10 })
      const withCount = chunks.find((c) => c.symbols.includes('count'))
      expect(withCount?.header).toContain('public class OrderBook')
      expect(withCount?.text).toContain('public int count()')
      // every definition is listed by exactly one chunk: the one it starts in
      const listed = chunks.flatMap((c) => c.symbols)
      expect(listed).toEqual(parsed.symbols().definitions.map((d) => d.name))
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'keeps a doc comment with the definition under it',
    async () => {
      const code = readFileSync(new URL('rust.rs', fixtures), 'utf8')
      using parsed = await parseCode(code, { language: 'rust' })
      for (const chunk of parsed.chunks({ maxTokens: 60 })) {
        if (chunk.symbols.includes('Connection'))
          expect(chunk.text).toContain('/// A connection to a database.')
        // no chunk ends with a doc comment whose definition went to the next chunk
        expect(chunk.text.trimEnd().split('\n').at(-1)?.trim().startsWith('///')).toBe(false)
      }
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'keeps a Python attribute docstring with the assignment above it',
    async () => {
      const code = readFileSync(new URL('python.py', fixtures), 'utf8')
      using parsed = await parseCode(code, { language: 'python' })
      const chunks = parsed.chunks({ maxTokens: 40 })
      const withConstant = chunks.find((c) => c.symbols.includes('MAX_ITEMS'))
      expect(withConstant?.text).toContain('MAX_ITEMS = 100\n"""The most items an inventory holds."""')
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('uses the token counter it is given, for units and for the final count', async () => {
    const code = readFileSync(new URL('go.go', fixtures), 'utf8')
    using parsed = await parseCode(code, { language: 'go' })
    const calls: string[] = []
    const words = (text: string) => {
      calls.push(text)
      return text.split(/\s+/).filter(Boolean).length
    }
    const chunks = chunkCode(parsed, { maxTokens: 30, countTokens: words })
    expect(calls.length).toBeGreaterThan(chunks.length)
    checkInvariants(code, chunks, 30, words)
    expect(chunks.length).toBeGreaterThan(3)
  })

  it('re-splits a chunk when the counter finds the whole over budget although its parts fit', async () => {
    const code = readFileSync(new URL('typescript.ts', fixtures), 'utf8')
    using parsed = await parseCode(code, { language: 'typescript' })
    // superlinear, like a tokenizer whose merges span unit boundaries: the whole costs more than its parts
    const superlinear = (text: string) => Math.ceil(text.length ** 1.15 / 4)
    const chunks = chunkCode(parsed, { maxTokens: 120, countTokens: superlinear })
    checkInvariants(code, chunks, 120, superlinear)
  })

  it('splits a line longer than the budget into pieces, losing nothing', async () => {
    const code = `const table = "${'x'.repeat(3000)}"\nfunction small() { return 1 }\n`
    using parsed = await parseCode(code, { language: 'javascript' })
    const quarter = (text: string) => Math.ceil(text.length / 4)
    const chunks = parsed.chunks({ maxTokens: 100, countTokens: quarter })
    checkInvariants(code, chunks, 100, quarter)
    expect(chunks.length).toBeGreaterThanOrEqual(7)
    expect(chunks.filter((c) => c.tokens > 80).length).toBeGreaterThanOrEqual(7)
    expect(chunks.at(-1)?.symbols).toEqual(['small'])
  })

  it(
    'chunks languages without a tags query by their syntax tree',
    async () => {
      const code = `${JSON.stringify({ items: Array.from({ length: 60 }, (_, i) => ({ id: i, name: `item ${i}` })) }, null, 2)}\n`
      using parsed = await parseCode(code, { language: 'json' })
      const chunks = parsed.chunks({ maxTokens: 120 })
      checkInvariants(code, chunks, 120)
      expect(chunks.length).toBeGreaterThan(5)
      expect(chunks.every((c) => c.symbols.length === 0)).toBe(true)
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('returns no chunks for empty code and rejects a budget that is not positive', async () => {
    using empty = await parseCode('', { language: 'python' })
    expect(empty.chunks()).toEqual([])
    using parsed = await parseCode('x = 1\n', { language: 'python' })
    expect(() => parsed.chunks({ maxTokens: 0 })).toThrow(RangeError)
    expect(() => parsed.chunks({ maxTokens: Number.NaN })).toThrow(/maxTokens must be a positive number/)
    expect(parsed.chunks()).toEqual([
      expect.objectContaining({
        text: 'x = 1\n',
        startLine: 1,
        endLine: 1,
        header: '',
        context: [],
        tokens: estimateTokens('x = 1\n'),
      }),
    ])
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Node } from 'web-tree-sitter'
import { type ParsedCode, ParseTimeoutError, parseCode } from '../src/index'

const source = readFileSync(new URL('./fixtures/languages/typescript.ts', import.meta.url), 'utf8')

/** Every node with its type and both kinds of position, to compare trees exactly. */
function dump(node: Node): string[] {
  const out: string[] = []
  const cursor = node.walk()
  for (;;) {
    const { startPosition: s, endPosition: e } = cursor
    out.push(
      `${cursor.nodeType} ${cursor.startIndex}-${cursor.endIndex} ${s.row}:${s.column}-${e.row}:${e.column}`,
    )
    if (cursor.gotoFirstChild() || cursor.gotoNextSibling()) continue
    let done = true
    while (cursor.gotoParent()) {
      if (cursor.gotoNextSibling()) {
        done = false
        break
      }
    }
    if (done) break
  }
  cursor.delete()
  return out
}

async function expectSameAsFreshParse(parsed: ParsedCode): Promise<void> {
  using fresh = await parseCode(parsed.code, { language: parsed.language })
  expect(dump(parsed.tree.rootNode)).toEqual(dump(fresh.tree.rootNode))
  expect(parsed.diagnostics).toEqual(fresh.diagnostics)
}

describe('applyEdit', () => {
  it('returns a new ParsedCode and leaves the original untouched and usable', async () => {
    using original = await parseCode(source, { language: 'typescript' })
    const before = dump(original.tree.rootNode)
    const at = source.indexOf('retries: 3')
    using edited = original.applyEdit({
      startIndex: at,
      oldEndIndex: at + 'retries'.length,
      newText: 'attempts',
    })
    expect(edited).not.toBe(original)
    expect(edited.code).toBe(source.replace('retries: 3', 'attempts: 3'))
    expect(original.code).toBe(source)
    expect(dump(original.tree.rootNode)).toEqual(before)
    await expectSameAsFreshParse(edited)
  })

  it('matches a fresh parse after a chain of random edits (insertions, deletions, line breaks, non-ASCII)', async () => {
    let state = 42
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31
      return (state >>> 8) % n
    }
    const texts = ['x', '\n', '  ', '(', ')', '{', '}', ';', 'é😀', 'const y = 1\n', '', '\r\n']
    let current = await parseCode(source, { language: 'typescript' })
    try {
      for (let step = 0; step < 60; step += 1) {
        const startIndex = random(current.code.length + 1)
        const oldEndIndex = Math.min(current.code.length, startIndex + random(8))
        const newText = texts[random(texts.length)] as string
        // Never split a surrogate pair: that would not be text an editor produces.
        if (
          /[\uDC00-\uDFFF]/.test(current.code[startIndex] ?? '') ||
          /[\uDC00-\uDFFF]/.test(current.code[oldEndIndex] ?? '')
        )
          continue
        const next = current.applyEdit({ startIndex, oldEndIndex, newText })
        expect(next.code).toBe(current.code.slice(0, startIndex) + newText + current.code.slice(oldEndIndex))
        current.dispose()
        current = next
        await expectSameAsFreshParse(current)
      }
    } finally {
      current.dispose()
    }
  })

  it('matches a fresh parse on a file large enough to be read through the splice reader', async () => {
    const big = source.repeat(Math.ceil(300_000 / source.length))
    using original = await parseCode(big, { language: 'typescript' })
    const middle = big.indexOf('retries: 3', big.length >> 1)
    using first = original.applyEdit({
      startIndex: middle,
      oldEndIndex: middle + 7,
      newText: 'attempts:\n  9,\n  other',
    })
    expect(first.code).toBe(`${big.slice(0, middle)}attempts:\n  9,\n  other${big.slice(middle + 7)}`)
    await expectSameAsFreshParse(first)
    using second = first.applyEdit({ startIndex: 10, oldEndIndex: 40, newText: '' })
    await expectSameAsFreshParse(second)
  }, 30_000)

  it('tracks rows and columns across multi-line insertions and deletions', async () => {
    using original = await parseCode('def f():\n    return 1\n\nprint(f())\n', { language: 'python' })
    const at = original.code.indexOf('return')
    using inserted = original.applyEdit({
      startIndex: at,
      oldEndIndex: at,
      newText: 'x = [\n        1,\n    ]\n    ',
    })
    await expectSameAsFreshParse(inserted)
    const call = inserted.tree.rootNode
      .descendantsOfType('call')
      .find((node) => node.text.startsWith('print'))
    expect(call?.startPosition).toEqual({ row: 6, column: 0 })
    const from = inserted.code.indexOf('x = [')
    using removed = inserted.applyEdit({
      startIndex: from,
      oldEndIndex: inserted.code.indexOf('return'),
      newText: '',
    })
    expect(removed.code).toBe(original.code)
    await expectSameAsFreshParse(removed)
  })

  it('reports diagnostics for the edited code and clears them when fixed', async () => {
    using valid = await parseCode('function f() {\n  return [1, 2]\n}\n', { language: 'javascript' })
    const close = valid.code.indexOf(']')
    using broken = valid.applyEdit({ startIndex: close, oldEndIndex: close + 1, newText: '' })
    expect(broken.diagnostics.length).toBeGreaterThan(0)
    expect(broken.diagnostics[0]?.line).toBe(2)
    using fixed = broken.applyEdit({ startIndex: close, oldEndIndex: close, newText: ']' })
    expect(fixed.code).toBe(valid.code)
    expect(fixed.diagnostics).toEqual([])
  })

  it('rejects offsets outside the code', async () => {
    using parsed = await parseCode('abc\n', { language: 'python' })
    expect(() => parsed.applyEdit({ startIndex: 3, oldEndIndex: 2, newText: '' })).toThrow(RangeError)
    expect(() => parsed.applyEdit({ startIndex: 0, oldEndIndex: 99, newText: '' })).toThrow(RangeError)
    expect(() => parsed.applyEdit({ startIndex: -1, oldEndIndex: 0, newText: '' })).toThrow(RangeError)
    expect(() => parsed.applyEdit({ startIndex: 0.5, oldEndIndex: 1, newText: '' })).toThrow(RangeError)
  })

  it('re-parses under the same time budget as the original parse', async () => {
    using parsed = await parseCode('x = 1\n', { language: 'python', timeoutMs: 1 })
    const hostile = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    let thrown: unknown
    try {
      parsed.applyEdit({ startIndex: 4, oldEndIndex: 5, newText: hostile })
    } catch (error) {
      thrown = error
    }
    expect(ParseTimeoutError.isInstance(thrown)).toBe(true)
    expect(parsed.valid).toBe(true)
  })
})

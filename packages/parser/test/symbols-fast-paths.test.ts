import { describe, expect, it } from 'vitest'
import { parseCode } from '../src/parse-code'
import { spliceReader } from '../src/parsed-code'
import { mayHaveDocComment } from '../src/symbols/find-doc-comment'

// The shortcuts extractSymbols and applyEdit take (reading the text instead of asking the tree)
// must give exactly what the slow path gives: these cases sit on the edges of each shortcut.

describe('doc comments read past the text shortcut (JavaScript, TypeScript)', () => {
  it('finds the doc above a decorator, an export, after `}` and `;`, and none across a blank line', async () => {
    const code = [
      'function a() {}',
      '/** Doc of b. */',
      'function b() {}',
      '',
      '/** Not the doc of c: a blank line follows. */',
      '',
      'function c() {}',
      'let x = 1;',
      'function d() {}',
      'let y = 2; // trailing, not a doc',
      'function e() {}',
      '/** Doc of f. */ function f() {}',
      'class K {',
      '  /** Doc of m. */',
      '  @decorate({',
      '    option: true,',
      '  })',
      '  m() {}',
      '  /** Doc of n. */',
      '  ; n() {}',
      '}',
      '/** Doc of g. */',
      'export function g() {}',
      '{ function h() {} }',
    ].join('\n')
    using parsed = await parseCode(code, { language: 'typescript' })
    const docs = Object.fromEntries(parsed.symbols().definitions.map((d) => [d.name, d.doc]))
    expect(docs).toEqual({
      a: undefined,
      b: 'Doc of b.',
      c: undefined,
      d: undefined,
      e: undefined,
      f: 'Doc of f.',
      K: undefined,
      m: 'Doc of m.',
      n: 'Doc of n.',
      g: 'Doc of g.',
      h: undefined,
    })
  })

  it('mayHaveDocComment answers true whenever the text does not rule a comment out', () => {
    expect(mayHaveDocComment('function f() {}', 0)).toBe(false)
    expect(mayHaveDocComment('}\nfunction f() {}', 2)).toBe(false)
    expect(mayHaveDocComment('}\n\n\nfunction f() {}', 4)).toBe(false)
    expect(mayHaveDocComment('} // note\nfunction f() {}', 10)).toBe(true)
    expect(mayHaveDocComment('*/\nfunction f() {}', 3)).toBe(true)
    expect(mayHaveDocComment('x\nfunction f() {}', 2)).toBe(true)
    expect(mayHaveDocComment('}; function f() {}', 3)).toBe(true)
    expect(mayHaveDocComment('{ function f() {}', 2)).toBe(false)
    expect(mayHaveDocComment('class K { // note\n  m() {}', 20)).toBe(true)
  })
})

describe('reference names read from the text', () => {
  it('ends ASCII names by the text and leaves non-ASCII and escaped names to the tree', async () => {
    const js = 'caf\\u00e9(1)\nñandú(2)\n$el.on$(3)\nplain_1(4)\nnew Über()\na.b.c()'
    using parsed = await parseCode(js, { language: 'javascript' })
    const names = parsed
      .symbols()
      .references.map((r) => [r.name, js.slice(r.range.startIndex, r.range.endIndex)])
    expect(names.map(([name]) => name)).toEqual(['caf\\u00e9', 'ñandú', 'on$', 'plain_1', 'Über', 'c'])
    for (const [name, text] of names) expect(name).toBe(text)
  })

  it('does the same for Python, where `$` ends a name', async () => {
    const py = 'résumé()\nobj.run_1()\nclass A(Base, mod.Mixin):\n    pass\n'
    using parsed = await parseCode(py, { language: 'python' })
    expect(parsed.symbols().references.map((r) => `${r.kind} ${r.name}`)).toEqual([
      'call résumé',
      'call run_1',
      'type Base',
      'type Mixin',
    ])
  })
})

describe('spliceReader', () => {
  it('reads exactly the edited text from every offset, for small and large inserted texts', () => {
    const old = Array.from({ length: 3000 }, (_, i) => `line ${i};\n`).join('')
    const edits = [
      { startIndex: 15_000, oldEndIndex: 15_000, newText: 'x' },
      { startIndex: 100, oldEndIndex: 20_000, newText: '' },
      { startIndex: 5, oldEndIndex: 9, newText: 'y'.repeat(20_000) },
      { startIndex: old.length, oldEndIndex: old.length, newText: '\nend' },
    ]
    for (const edit of edits) {
      const expected = old.slice(0, edit.startIndex) + edit.newText + old.slice(edit.oldEndIndex)
      const read = spliceReader(old, edit)
      for (let index = 0; index <= expected.length; index += 97) {
        const chunk = read(index)
        expect(expected.startsWith(chunk, index)).toBe(true)
        expect(chunk.length > 0).toBe(index < expected.length)
      }
      // read to the end chunk by chunk, as tree-sitter and Node.text do
      let text = ''
      while (text.length < expected.length) text += read(text.length)
      expect(text).toBe(expected)
    }
  })

  it('gives a tree whose node texts are the edited code', async () => {
    const code = `${'const a = 1\n'.repeat(2000)}function f() { return a }\n`
    using parsed = await parseCode(code, { language: 'javascript' })
    const at = code.indexOf('return a') + 'return a'.length
    using edited = parsed.applyEdit({ startIndex: at, oldEndIndex: at, newText: ' + 1' })
    expect(edited.tree.rootNode.text).toBe(edited.code)
    expect(edited.tree.rootNode.lastChild?.text).toBe('function f() { return a + 1 }')
  })
})

describe('patterns rooted at the root node', () => {
  it('run over the root’s children only and give what the rooted pattern gives', async () => {
    const { registerTagsQuery } = await import('../src/queries/tags-query')
    registerTagsQuery('json', {
      source: [
        '(document (object (pair key: (string (string_content) @name)) @definition.constant))',
        '(document (object (pair key: (string (string_content) @name) value: (array)) @definition.type))',
        '(document (object) @name) @definition.module',
      ].join('\n'),
    })
    using parsed = await parseCode('{"a": {"b": 1}, "c": [2]}', { language: 'json' })
    expect(parsed.symbols().definitions.map((d) => `${d.kind} ${d.name}`)).toEqual([
      'module {"a": {"b": 1}, "c": [2]}',
      'constant a',
      'constant c',
    ])
  })

  it('are split out of the built-in JavaScript and Python queries', async () => {
    const { loadLanguage } = await import('../src/load-language')
    const { getTagsQuery } = await import('../src/queries/tags-query')
    const { compileSplitTagsQuery } = await import('../src/symbols/compile-tags-query')
    for (const [id, root] of [
      ['javascript', 'program'],
      ['python', 'module'],
    ] as const) {
      const split = compileSplitTagsQuery(await loadLanguage(id), getTagsQuery(id)?.source ?? '', root)
      expect(split.topLevel).toBeDefined()
      expect(split.topLevelPatternIndex.length).toBeGreaterThan(0)
      expect(split.patternIndex.length + split.topLevelPatternIndex.length).toBe(
        split.topLevel === undefined ? 0 : split.query.patternCount() + split.topLevel.patternCount(),
      )
    }
  })

  it('a small call without references reuses the query with references when only that one is compiled', async () => {
    const { loadLanguage } = await import('../src/load-language')
    const { getTagsQuery } = await import('../src/queries/tags-query')
    const { compileSplitTagsQuery } = await import('../src/symbols/compile-tags-query')
    const language = await loadLanguage('ruby')
    const source = getTagsQuery('ruby')?.source ?? ''
    const full = compileSplitTagsQuery(language, source, 'program')
    expect(compileSplitTagsQuery(language, source, 'program', { references: false, reuse: true })).toBe(full)
    const own = compileSplitTagsQuery(language, source, 'program', { references: false })
    expect(own).not.toBe(full)
    expect(own.query.patternCount()).toBeLessThan(full.query.patternCount())
    // once compiled, the variant without references is the one used
    expect(compileSplitTagsQuery(language, source, 'program', { references: false, reuse: true })).toBe(own)
    const code = 'require "json"\nclass A < B\n  def m; Foo.bar(1); end\nend\n'
    using parsed = await parseCode(code, { language: 'ruby' })
    const all = parsed.symbols()
    expect(parsed.symbols({ references: false })).toEqual({ ...all, references: [] })
    expect(parsed.chunks().length).toBeGreaterThan(0)
  })
})

import { describe, expect, it } from 'vitest'
import { Query } from 'web-tree-sitter'
import { loadLanguage } from '../src/load-language'
import { getTagsQuery, listTagsQueryLanguages } from '../src/queries/tags-query'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

const programmingLanguages = [
  'typescript',
  'tsx',
  'javascript',
  'python',
  'go',
  'rust',
  'java',
  'c',
  'cpp',
  'csharp',
  'ruby',
  'php',
  'kotlin',
  'swift',
  'scala',
  'bash',
  'lua',
  'haskell',
  'elixir',
  'dart',
  'zig',
  'hcl',
  'nix',
  'gleam',
  'elm',
  'clojure',
  'r',
  'perl',
]

describe('tags queries', () => {
  it('exist for every programming language', () => {
    expect(listTagsQueryLanguages().sort()).toEqual([...programmingLanguages].sort())
  })

  it.each(programmingLanguages)(
    '%s: compiles against the grammar the registry loads',
    async (id) => {
      const language = await loadLanguage(id)
      const spec = getTagsQuery(id)
      expect(spec).toBeDefined()
      const query = new Query(language, spec?.source ?? '')
      try {
        // Elixir's one pattern takes every call and `#elixir-call!` reads it: at least one
        expect(query.patternCount()).toBeGreaterThan(id === 'elixir' ? 0 : 3)
        // every capture name is one extractSymbols understands
        for (const name of query.captureNames) {
          expect(name).toMatch(
            /^(name|receiver|body|scope|scope\.name|import|import\.source|import\.name|_.*|definition\.(function|method|class|interface|type|enum|constant|module)|reference\.(call|type))$/,
          )
        }
      } finally {
        query.delete()
      }
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

describe('registerTagsQuery', () => {
  it(
    'gives a language without a built-in query symbols, and reports a query that does not compile',
    async () => {
      const { parseCode } = await import('../src/parse-code')
      const { registerTagsQuery } = await import('../src/queries/tags-query')
      using before = await parseCode('{"name": "ql"}', { language: 'json' })
      expect(before.symbols()).toEqual({ definitions: [], references: [], imports: [] })

      registerTagsQuery('json', {
        source: '(pair key: (string (string_content) @name)) @definition.constant',
      })
      using parsed = await parseCode('{"name": "ql", "version": 1}', { language: 'json' })
      expect(parsed.symbols().definitions.map((d) => `${d.kind} ${d.name}`)).toEqual([
        'constant name',
        'constant version',
      ])

      registerTagsQuery('json', { source: '(no_such_node) @definition.constant' })
      expect(() => parsed.symbols()).toThrow(/no_such_node/)
      expect(listTagsQueryLanguages()).toContain('json')
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

describe('splitQueryPatterns', () => {
  it('cuts query source into its top-level patterns with their quantifiers and captures', async () => {
    const { splitQueryPatterns } = await import('../src/symbols/query-patterns')
    const source = [
      '; a comment',
      '(a name: (b) @name) @definition.function',
      '((c) @x (#eq? @x "(not a paren) ; nor a comment"))',
      '[(d) (e)] @y',
      '(f)* @many',
      '"g" @anonymous',
      '_ @any',
      '(unclosed (h)',
    ].join('\n')
    expect(splitQueryPatterns(source)).toEqual([
      '(a name: (b) @name) @definition.function',
      '((c) @x (#eq? @x "(not a paren) ; nor a comment"))',
      '[(d) (e)] @y',
      '(f)* @many',
      '"g" @anonymous',
      '_ @any',
      '(unclosed (h)',
    ])
  })
})

describe('match predicates of our own', () => {
  it(
    '#type? and #not-type? filter matches by node type; unknown predicates are ignored',
    async () => {
      const { parseCode } = await import('../src/parse-code')
      const { registerTagsQuery } = await import('../src/queries/tags-query')
      registerTagsQuery('yaml', {
        source: [
          '(block_mapping_pair key: _ @name value: _ @_v (#type? @_v block_node)) @definition.class',
          '(block_mapping_pair key: _ @name value: _ @_v (#not-type? @_v block_node) (#unknown! @_v)) @definition.constant',
        ].join('\n'),
      })
      using parsed = await parseCode('a:\n  b: 1\nc: 2\n', { language: 'yaml' })
      expect(parsed.symbols().definitions.map((d) => `${d.kind} ${d.name}`)).toEqual([
        'class a',
        'constant b',
        'constant c',
      ])
    },
    FIRST_USE_TIMEOUT_MS,
  )
  it(
    '#field!, #text? and #parent-type? lead a capture down a field and check its text and parent',
    async () => {
      const { parseCode } = await import('../src/parse-code')
      const { registerTagsQuery } = await import('../src/queries/tags-query')
      registerTagsQuery('json', {
        source: [
          '((pair value: (object)) @definition.class @name (#field! @name key string))',
          '((pair value: _) @definition.constant @name @_key (#field! @_key key) (#text? @_key "\\"c\\"" "\\"d\\"") (#field! @name key))',
          '((object) @definition.module @name (#parent-type? @name array))',
          '((pair) @definition.enum @name (#field! @name no_such_field))',
        ].join('\n'),
      })
      using parsed = await parseCode('{"a": {"b": 1}, "c": 2, "d": [{"e": 5}]}', { language: 'json' })
      expect(parsed.symbols().definitions.map((d) => `${d.kind} ${d.name}`)).toEqual([
        'class "a"',
        'constant "c"',
        'constant "d"',
        'module {"e": 5}',
      ])
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    '#parent! moves a capture to its parent only through the named field; one match may capture several references',
    async () => {
      const { parseCode } = await import('../src/parse-code')
      const { registerTagsQuery } = await import('../src/queries/tags-query')
      registerTagsQuery('json', {
        source: [
          '((number) @definition.function @name (#parent! @definition.function pair value))',
          '((number) @definition.type @name (#parent! @definition.type pair key))',
          '(pair key: (string)? @reference.call value: (array)? @reference.type)',
        ].join('\n'),
      })
      using parsed = await parseCode('{"a": 1, "b": [2], "c": {}}', { language: 'json' })
      const symbols = parsed.symbols()
      expect(symbols.definitions.map((d) => `${d.kind} ${d.name} ${d.range.startIndex}`)).toEqual([
        'function 1 1',
      ])
      expect(symbols.references.map((r) => `${r.kind} ${r.name}`)).toEqual([
        'call "a"',
        'call "b"',
        'type [2]',
        'call "c"',
      ])
      expect(parsed.symbols({ references: false }).references).toEqual([])
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

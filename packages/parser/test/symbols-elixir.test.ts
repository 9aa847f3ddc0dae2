import { describe, expect, it } from 'vitest'
import { definitionLine, edgeSymbols } from './symbols-edge'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

/**
 * Elixir's tags query is one pattern on `call` whose symbol `#elixir-call!` reads in JavaScript.
 * The fixture holds the shapes the six patterns it replaced told apart (guards, defaults,
 * `unquote` names, `@type` with and without arguments, dotted and anonymous calls, special
 * forms, imports with and without an alias); these lists are what those patterns found.
 */
describe('elixir symbols from calls', () => {
  it(
    'finds the definitions, references and imports of every call shape',
    async () => {
      const { symbols, definitionsOnly } = await edgeSymbols('elixir-calls.ex', 'elixir')
      expect(symbols.definitions.map(definitionLine)).toEqual([
        'module Foo 1',
        'function Foo.one 2',
        'function Foo.nested 5',
        'function Foo.two_ops 6',
        'function Foo.with_default 7',
        'function Foo.paren 8',
        'function Foo.private_macro 11',
        'function Foo.is_small 12',
        'function Foo.fetch 13',
        'type Foo.bar 16',
        'type Foo.baz 17',
        'type Foo.op 18',
        'function Foo.quoted 43',
        'function Foo.handle_info 61',
        'function Foo.tick 66',
        'module Foo.Inner 67',
        'function Inner.inner_fun 70',
        'module Proto 79',
        'function Proto.size 81',
        'module Proto 83',
        'function Proto.size 84',
        'module Proto 86',
        'function Proto.size 87',
        'function top_level 90',
      ])
      expect(symbols.references.map((r) => r.name)).toEqual([
        ...['two', 'is_atom', 'is_list', 'dotted', 'foo', 'bar', 'run', 'cb', 'def', 'foo', 'baz', 'foo'],
        ...['foo', 'puts', 'map', 'sum', 'handle', 'other', 'fetch', 'risky', 'reraise', 'process'],
        ...[
          'timeout',
          'send',
          'self',
          'handle_info',
          'tick',
          'size',
          'map_size',
          'length',
          'def',
          'dotted_def',
        ],
      ])
      expect(symbols.imports.map((i) => i.source)).toEqual([
        'Foo.{A, B}',
        '__MODULE__.Sub',
        'Paren.Alias',
        'Logger',
        'GenServer',
        'Foo.Bar',
      ])
      // without references, the same definitions and imports
      expect(definitionsOnly.definitions).toEqual(symbols.definitions)
      expect(definitionsOnly.imports).toEqual(symbols.imports)
      expect(definitionsOnly.references).toEqual([])
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

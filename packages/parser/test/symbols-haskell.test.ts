import { describe, expect, it } from 'vitest'
import { definitionLine, edgeSymbols } from './symbols-edge'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

/**
 * Haskell's tags query reads names with `#field!` from childless steps. The fixture holds what
 * the patterns with child steps it replaced told apart: signatures of several names
 * (`a, b :: t`, no definition, where `childForFieldName('name')` would find `a`), class methods,
 * operators, local bindings, qualified calls; these lists are what those patterns found.
 */
describe('haskell symbols', () => {
  it(
    'finds the definitions, references and imports of every declaration shape',
    async () => {
      const { symbols } = await edgeSymbols('haskell-declarations.hs', 'haskell')
      expect(symbols.definitions.map(definitionLine)).toEqual([
        'module Control.Monad.State.Lite 2',
        'class State 15',
        'function get 31',
        'function put 34',
        'function modify 37',
        'class Tree 44',
        'class Config 49',
        'type Env 54',
        'interface MonadLogger 56',
        'method MonadLogger.logMsg 57',
        'function insert 61',
        'function toList 68',
        'function counter 72',
        'function wordFreq 80',
        'function lookupAll 83',
        'function answer 86',
        'function main 89',
        'function pairA 101',
        'function pairB 102',
        'function lookupQ 104',
        'interface Container 107',
        'method Container.empty 108',
      ])
      expect(symbols.references.map((r) => `${r.kind[0]}:${r.name}`)).toEqual([
        ...['t:State', 'c:g', 'c:f', 't:State', 'c:f', 'c:g', 'c:h', 't:State', 'c:g', 'c:runState'],
        ...[
          'c:f',
          't:State',
          't:State',
          'c:const',
          't:State',
          't:Tree',
          't:Tree',
          't:Map',
          't:Monad',
          'c:return',
        ],
        ...[
          't:Ord',
          't:Tree',
          't:Tree',
          'c:insert',
          'c:insert',
          't:Tree',
          'c:toList',
          'c:toList',
          't:IO',
          'c:newIORef',
        ],
        ...[
          'c:forM_',
          'c:modifyIORef',
          'c:when',
          'c:putStrLn',
          'c:unless',
          'c:print',
          'c:readIORef',
          't:Map',
          'c:foldr',
          'c:insertWith',
        ],
        ...[
          't:Maybe',
          'c:map',
          't:IO',
          'c:foldr',
          'c:print',
          'c:toList',
          'c:toList',
          'c:wordFreq',
          'c:words',
          'c:print',
        ],
        ...['c:fst', 'c:runState', 'c:modify', 't:Maybe', 'c:lookup', 'c:lookup'],
      ])
      expect(symbols.imports.map((i) => `${i.source}|${i.names.join(',')}`)).toEqual([
        'Prelude|lookup',
        'Data.Map.Strict|',
        'Data.Map.Strict|insertWith,lookup',
        'Control.Monad|forM_,when,unless',
        'Data.IORef|',
      ])
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

import { describe, expect, it } from 'vitest'
import { parseCode } from '../src/parse-code'
import { definitionLine, edgeSymbols } from './symbols-edge'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

/**
 * A C/C++ `declaration` is one childless pattern read by `#c-declaration!`: a function (the first
 * declarator that declares one) wins over a constant (a `const`/`constexpr` qualifier before an
 * `x = ...` declarator). These lists are what the two patterns with child steps it replaced found.
 */
describe('c and c++ declarations', () => {
  it(
    'finds functions and constants among several declarators',
    async () => {
      const { code, symbols } = await edgeSymbols('cpp-declarations.cpp', 'cpp')
      expect(symbols.definitions.map(definitionLine)).toEqual([
        ...['function f 1', 'function g 2', 'constant k 3', 'constant z 4', 'constant v 6', 'constant b 7'],
        ...['function h 8', 'constant c1 9', 'method Circle.area 11', 'constant name 12', 'module N 13'],
        ...['constant N.inner 13', 'function N.ni 13', 'class K 14', 'method K.m 14', 'function body 15'],
        ...['function body.decl 15', 'function ext 16', 'function tf 17'],
      ])
      const c = code
        .split('\n')
        .filter((line) => !/Circle|namespace|class K|std::|extern|template|constexpr/.test(line))
        .join('\n')
      using parsedC = await parseCode(c, { language: 'c' })
      expect(parsedC.symbols().definitions.map((d) => `${d.kind} ${d.name}`)).toEqual([
        ...[
          'function f',
          'function g',
          'constant k',
          'constant v',
          'constant b',
          'function h',
          'constant c1',
        ],
        ...['function body', 'function decl'],
      ])
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

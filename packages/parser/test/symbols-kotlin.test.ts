import { describe, expect, it } from 'vitest'
import { definitionLine, edgeSymbols } from './symbols-edge'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

/**
 * Kotlin's classes, interfaces and enums are one childless pattern told apart by `#kotlin-class!`,
 * and a `const` property is found from its `property_modifier` with `#parent!`/`#find-child!`.
 * These lists are what the patterns with child steps they replaced found (including what the
 * grammar misreads: `fun interface`, `interface Repo<T> : A, B { ... }`).
 */
describe('kotlin declarations', () => {
  it(
    'finds classes, interfaces, enums and constants',
    async () => {
      const { symbols } = await edgeSymbols('kotlin-declarations.kt', 'kotlin')
      expect(symbols.definitions.map(definitionLine)).toEqual([
        ...[
          'module com.example.app.util 2',
          'constant TOP 8',
          'constant PRIVATE_TOP 9',
          'constant ANNOTATED 10',
          'constant INTERNAL 13',
        ],
        ...[
          'interface Shape 15',
          'method Shape.area 15',
          'function run 16',
          'interface Result 17',
          'class Node 18',
        ],
        ...[
          'class Node.Leaf 18',
          'class Node.Branch 18',
          'enum Color 19',
          'method Color.hex 19',
          'class Simple 20',
        ],
        ...[
          'class Point 21',
          'method Point.area 22',
          'constant Point.ORIGIN 25',
          'method Point.of 26',
          'class Base 29',
        ],
        ...[
          'method Base.compute 30',
          'constant Base.NOT_ALLOWED_BUT_PARSED 31',
          'class Registry 33',
          'constant Registry.MAX 34',
          'method Registry.register 36',
        ],
        ...[
          'class Outer 38',
          'class Outer.Inner 38',
          'interface Outer.Nested 38',
          'enum Outer.E 38',
          'type Handler 39',
        ],
        ...[
          'type Name 40',
          'function second 41',
          'function shout 42',
          'function load 43',
          'function main 44',
        ],
        ...[
          'function main.area 50',
          'class `Weird Name` 53',
          'method `Weird Name`.`test something` 53',
          'function typed 54',
          'interface Inner 56',
        ],
        ...['constant C 56', 'enum Dir 57', 'enum Op 58', 'method Op.run 58', 'class Ann 59'],
        ...['class Id 60', 'class Deleg 61', 'class Platform 62', 'class Impl 63', 'constant X 64'],
        ...['constant Y 64', 'class O 65', 'constant O.Z 65', 'constant O.W 65', 'class Gen 66'],
        ...['method Gen.m 66', 'interface SI 67', 'class SI.D 67', 'class Old 68'],
      ])
      expect(symbols.imports.map((i) => i.source)).toEqual([
        'kotlin.math.max',
        'com.example.app.model',
        'java.util.concurrent.TimeUnit',
      ])
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

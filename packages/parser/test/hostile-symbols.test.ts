import { describe, expect, it } from 'vitest'
import { BudgetExceededError } from '../src/errors/budget-exceeded-error'
import { InvalidArgumentError } from '../src/errors/invalid-argument-error'
import { parseCode } from '../src/parse-code'
import type { CodeSymbols } from '../src/symbols/code-symbols'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

/**
 * Hostile input for symbols(): each case must give a result or a BudgetExceededError, never
 * hang, crash or throw anything untyped. Budgets are explicit and the outcome, not the time, is
 * asserted (the machine is shared; the vitest timeout is the hang detector). The parse itself
 * gets a long limit: what is under test is what comes after it.
 */
interface HostileCase {
  name: string
  language: string
  code: () => string
  /** What a result must hold when there is one. */
  expect?: (symbols: CodeSymbols) => void
}

const nestedJs = (depth: number) => `${'function f() {'.repeat(depth)}${'}'.repeat(depth)}`
const nestedPython = (depth: number) => {
  let code = ''
  for (let i = 0; i < depth; i++) code += `${' '.repeat(i)}def f${i}():\n`
  return `${code}${' '.repeat(depth)}pass\n`
}

const cases: HostileCase[] = [
  {
    name: 'a run of 80,000 open brackets (JavaScript)',
    language: 'javascript',
    code: () => '('.repeat(80_000),
  },
  { name: 'a run of 80,000 open brackets (Python)', language: 'python', code: () => '('.repeat(80_000) },
  {
    name: 'a run of 50,000 close brackets (TypeScript)',
    language: 'typescript',
    code: () => ')'.repeat(50_000),
  },
  {
    name: 'functions nested 5,000 deep (JavaScript)',
    language: 'javascript',
    code: () => nestedJs(5_000),
    expect: (symbols) => expect(symbols.definitions.length).toBe(5_000),
  },
  {
    name: 'functions nested 400 deep (Python)',
    language: 'python',
    code: () => nestedPython(400),
    expect: (symbols) => expect(symbols.definitions.length).toBe(400),
  },
  {
    name: 'brackets nested 5,000 deep inside a function (TypeScript)',
    language: 'typescript',
    code: () => `function f() { return ${'['.repeat(5_000)}${']'.repeat(5_000)} }\nfunction g() {}\n`,
    expect: (symbols) => expect(symbols.definitions.map((d) => d.name)).toEqual(['f', 'g']),
  },
  {
    name: 'one 500 KB line of calls (JavaScript)',
    language: 'javascript',
    code: () => 'a(b);'.repeat(100_000),
    expect: (symbols) => expect(symbols.references.length).toBe(100_000),
  },
  {
    name: '10,000 imports (TypeScript)',
    language: 'typescript',
    code: () => Array.from({ length: 10_000 }, (_, i) => `import { a${i}, b${i} } from './m${i}'`).join('\n'),
    expect: (symbols) => {
      expect(symbols.imports.length).toBe(10_000)
      expect(symbols.imports[9_999]?.names).toEqual(['a9999', 'b9999'])
    },
  },
  {
    name: '30,000 errors on one line (C)',
    language: 'c',
    code: () => 'int x = ;'.repeat(30_000),
  },
  {
    name: 'deeply nested classes with doc comments (Java)',
    language: 'java',
    code: () => `${'/** doc */ class A { '.repeat(1_000)}${'} '.repeat(1_000)}`,
    expect: (symbols) => expect(symbols.definitions.length).toBe(1_000),
  },
]

describe('symbols() on hostile input', () => {
  it.each(cases)(
    '$name: a result or a typed budget error',
    async ({ language, code, expect: check }) => {
      using parsed = await parseCode(code(), { language, timeoutMs: 120_000 })
      let symbols: CodeSymbols | undefined
      try {
        symbols = parsed.symbols({ budgetMs: 3_000 })
      } catch (error) {
        expect(BudgetExceededError.isInstance(error)).toBe(true)
        expect((error as BudgetExceededError).operation).toBe('symbols')
        expect((error as BudgetExceededError).budgetMs).toBe(3_000)
        expect((error as Error).message).toMatch(/budget of 3000 ms/)
        return
      }
      check?.(symbols)
    },
    FIRST_USE_TIMEOUT_MS * 2,
  )

  it(
    'throws BudgetExceededError when the budget runs out, from the query cursor and from the loops after it',
    async () => {
      const code = Array.from(
        { length: 10_000 },
        (_, i) => `/** doc ${i} */\nfunction f${i}() { g${i}() }`,
      ).join('\n')
      using parsed = await parseCode(code, { language: 'javascript' })
      expect(parsed.symbols().definitions.length).toBe(10_000)
      let caught: unknown
      try {
        parsed.symbols({ budgetMs: 0.000_001 })
      } catch (error) {
        caught = error
      }
      expect(BudgetExceededError.isInstance(caught)).toBe(true)
      expect(JSON.parse(JSON.stringify(caught))).toMatchObject({
        code: 'budget_exceeded',
        details: { operation: 'symbols' },
      })
      // the tree is untouched: a call with room gives the full result again
      expect(parsed.symbols({ budgetMs: Number.POSITIVE_INFINITY }).definitions.length).toBe(10_000)
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'rejects a budget that is not a positive number with InvalidArgumentError',
    async () => {
      using parsed = await parseCode('function f() {}', { language: 'javascript' })
      for (const budgetMs of [0, -1, Number.NaN]) {
        expect(() => parsed.symbols({ budgetMs })).toThrow(InvalidArgumentError)
      }
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

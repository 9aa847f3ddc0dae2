import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCode } from './helpers'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/languages/${name}`, import.meta.url), 'utf8')

/** The line a message names ("opened at line 7, ..."), if it names one. */
const namedLine = (message: string) => {
  const match = /\bline (\d+)\b/.exec(message)
  return match === null ? undefined : Number(match[1])
}

interface PositionCase {
  language: string
  code: string
  /** The line the first diagnostic must be on (and the one its message names, if it names one). */
  line: number
  message: RegExp
}

// Each ERROR below spans (nearly) the whole file, so its own start is line 1 or 3: the diagnostic
// must be where the message points, not where the ERROR node happens to begin.
const cases: PositionCase[] = [
  {
    language: 'ruby',
    code: '# frozen_string_literal: true\n\nclass Foo\n  def bar\n    1\n  end\n\n  def baz\n    2\n\nend\n',
    line: 8,
    message: /^unexpected end of input: `def` opened at line 8, column 3 is never closed \(missing `end`\)$/,
  },
  {
    language: 'ruby',
    code: '# frozen_string_literal: true\n\nmodule A\n  class B\n    def c(x)\n      x.each do |y|\n        y\n    end\n  end\nend\n',
    line: 6,
    message: /`do` opened at line 6, column 14 is never closed/,
  },
  {
    language: 'haskell',
    code: 'module Main where\n\nimport Data.List\n\nmain :: IO ()\nmain = do\n  let x = (1 + \n  print x\n\nf :: Int -> Int\nf x = x + 1\n',
    line: 7,
    message: /`\(` opened at line 7, column 11 is never closed/,
  },
  {
    language: 'r',
    code: 'library(stats)\n\nf <- function(x) {\n  y <- c(x,\n    2\n  y\n}\n\ng <- 1\n',
    line: 4,
    message: /line 4/,
  },
  {
    language: 'clojure',
    code: '(ns foo.core\n  (:require [clojure.string :as str]))\n\n(defn f [x]\n  (let [a 1]\n    (+ x a))\n\n(defn g [] 2)\n',
    line: 4,
    message: /`\(` opened at line 4, column 1 is never closed/,
  },
]

describe('diagnostic positions', () => {
  it.each(cases)(
    '$language: the reported line is the one the message names',
    async ({ language, code, line, message }) => {
      using parsed = await parseCode(code, { language, confirmDiagnostics: false })
      const [first] = parsed.diagnostics
      expect(first, 'a diagnostic').toBeDefined()
      expect(first?.message).toMatch(message)
      expect(first?.message).not.toMatch(/frozen_string_literal/)
      expect(first?.line).toBe(line)
      expect(first?.sourceLine).toBe(code.split('\n')[line - 1])
      expect(
        code
          .slice(first?.startIndex)
          .startsWith(code.split('\n')[line - 1]?.slice((first?.column ?? 1) - 1) ?? ''),
      ).toBe(true)
    },
    FIRST_USE_TIMEOUT_MS,
  )

  // Every closing bracket (and `end`) of real files removed in turn: wherever a message names a
  // line, the diagnostic is on it, and no message quotes a comment as the unexpected token.
  it.each([
    ['ruby', 'ruby.rb'],
    ['haskell', 'haskell.hs'],
    ['r', 'r.r'],
    ['clojure', 'clojure.clj'],
  ])(
    '%s: with any one closer removed, each diagnostic is where its message points',
    async (language, file) => {
      const source = fixture(file)
      const closers = language === 'ruby' ? /\bend\b|[)\]}]/g : /[)\]}]/g
      let checked = 0
      for (const match of source.matchAll(closers)) {
        const at = match.index ?? 0
        const code = source.slice(0, at) + source.slice(at + match[0].length)
        using parsed = await parseCode(code, { language, confirmDiagnostics: false })
        for (const d of parsed.diagnostics) {
          const named = namedLine(d.message)
          if (named !== undefined) expect(d.line, `${d.message} (closer at ${at})`).toBe(named)
          expect(d.message).not.toMatch(/^unexpected `(#(?!\{)|;|--)/)
          expect(d.sourceLine).toBe(code.split(/\r?\n/)[d.line - 1])
          checked += 1
        }
      }
      expect(checked).toBeGreaterThan(10)
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

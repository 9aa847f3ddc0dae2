import { describe, expect, it } from 'vitest'
import { parseCode } from '../src/index'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

interface BrokenCase {
  language: string
  code: string
  /** 1-based line of the first diagnostic. */
  line: number
  message: RegExp
}

// Each is a mistake an LLM makes (an unclosed bracket, a missing terminator, a dangling
// operator): the first diagnostic must be on the right line and name the problem.
const cases: BrokenCase[] = [
  {
    language: 'typescript',
    code: 'function add(a: number, b: number): number {\n  return a + b\n\nexport const x = add(1, 2)\n',
    line: 4,
    message: /^unexpected end of input: missing `}`$/,
  },
  {
    language: 'tsx',
    code: 'export const A = () => <div className="a">\n  <span>hi</span>\n',
    line: 1,
    message: /^unexpected /,
  },
  {
    language: 'javascript',
    code: 'const items = [1, 2, 3\nconsole.log(items)\n',
    line: 1,
    message: /`\[` opened at line 1, column 15 is never closed/,
  },
  {
    language: 'python',
    code: 'def total(items):\n    return sum(item.price for item in items\n\nprint(total([]))\n',
    line: 2,
    message: /`\(` opened at line 2, column 15 is never closed/,
  },
  {
    language: 'go',
    code: 'package main\n\nfunc main() {\n\tx := []int{1, 2, 3\n\tfmt.Println(x)\n}\n',
    line: 4,
    message: /^unexpected `3`$/,
  },
  { language: 'rust', code: 'fn main() {\n    let x = ;\n}\n', line: 2, message: /^unexpected `=`$/ },
  {
    language: 'java',
    code: 'class A {\n  void f() {\n    int x = 1\n    System.out.println(x);\n  }\n}\n',
    line: 3,
    message: /^unexpected /,
  },
  {
    language: 'c',
    code: 'int main(void) {\n  int x = 1\n  return x;\n}\n',
    line: 2,
    message: /^missing `;`$/,
  },
  {
    language: 'cpp',
    code: 'int main() {\n  std::vector<int> v{1, 2;\n  return 0;\n}\n',
    line: 4,
    message: /missing `}`/,
  },
  {
    language: 'csharp',
    code: 'class A {\n  void F() {\n    var x = 1\n    Console.WriteLine(x);\n  }\n}\n',
    line: 4,
    message: /^unexpected `Console`$/,
  },
  {
    language: 'ruby',
    code: 'def total(items)\n  items.sum { |i| i.price\nend\n',
    line: 2,
    message: /^missing `}`$/,
  },
  { language: 'php', code: '<?php\nfunction f($x) {\n  return $x +;\n}\n', line: 3, message: /^missing / },
  {
    language: 'kotlin',
    code: 'fun main() {\n    val x = listOf(1, 2\n    println(x)\n}\n',
    line: 3,
    message: /^missing `\)`$/,
  },
  {
    language: 'swift',
    code: 'func f() -> Int {\n    let x = [1, 2\n    return x.count\n}\n',
    line: 2,
    message: /^missing `]`$/,
  },
  {
    language: 'scala',
    code: 'object A {\n  def f(x: Int): Int = {\n    x + 1\n}\n',
    line: 5,
    message: /^unexpected end of input: missing `}`$/,
  },
  {
    language: 'bash',
    code: 'if [ -f x ]; then\n  echo hi\n',
    line: 3,
    message: /^unexpected end of input: missing `fi`$/,
  },
  { language: 'lua', code: 'local function f(x)\n  return x +\nend\n', line: 3, message: /missing `end`/ },
  {
    language: 'haskell',
    code: 'main :: IO ()\nmain = do\n  let x = (1 +\n  print x\n',
    line: 3,
    message: /`\(` opened at line 3, column 11 is never closed/,
  },
  {
    language: 'elixir',
    code: 'defmodule A do\n  def f(x) do\n    x +\n  end\nend\n',
    line: 6,
    message: /^unexpected end of input: missing `end`$/,
  },
  {
    language: 'dart',
    code: 'void main() {\n  final x = [1, 2;\n  print(x);\n}\n',
    line: 2,
    message: /`\[` opened at line 2, column 13 is never closed/,
  },
  { language: 'zig', code: 'pub fn main() void {\n    const x = 1\n}\n', line: 2, message: /^missing `;`$/ },
  { language: 'html', code: '<div class="a">\n  <p class="b"\n</div>\n', line: 2, message: /^missing `>`$/ },
  {
    language: 'css',
    code: '.a {\n  color: red;\n\n.b { color: blue; }\n',
    line: 4,
    message: /^unexpected end of input: missing `}`$/,
  },
  { language: 'json', code: '{\n  "a": 1,\n  "b": [1, 2\n}\n', line: 3, message: /^missing `]`$/ },
  {
    language: 'yaml',
    code: 'a: [1, 2\nb: 3\n',
    line: 1,
    message: /`\[` opened at line 1, column 4 is never closed/,
  },
  { language: 'xml', code: '<a>\n  <b>text</c>\n</a>\n', line: 1, message: /^unexpected / },
  { language: 'hcl', code: 'resource "a" "b" {\n  x = \n}\n', line: 2, message: /^unexpected `x`$/ },
  { language: 'nix', code: '{ a = 1; b = ; }\n', line: 1, message: /^missing / },
  {
    language: 'perl',
    code: 'my $x = (1 + 2;\nprint $x;\n',
    line: 1,
    message: /`\(` opened at line 1, column 9 is never closed/,
  },
  {
    language: 'r',
    code: 'f <- function(x) {\n  x + \n',
    line: 1,
    message: /^unexpected end of input: `\{` opened at line 1, column 18 is never closed$/,
  },
  {
    language: 'clojure',
    code: '(defn f [x]\n  (+ x 1)\n',
    line: 1,
    message: /^unexpected end of input: `\(` opened at line 1, column 1 is never closed$/,
  },
  {
    language: 'elm',
    code: 'module Main exposing (..)\n\nf x =\n    (x + 1\n',
    line: 4,
    message: /`\(` opened at line 4, column 5 is never closed/,
  },
  { language: 'gleam', code: 'pub fn f(x) {\n  x +\n}\n', line: 2, message: /^unexpected `\+`$/ },
]

describe('broken code gets the right diagnostic', () => {
  it.each(cases)(
    '$language',
    async ({ language, code, line, message }) => {
      using parsed = await parseCode(code, { language })
      expect(parsed.valid).toBe(false)
      const [first] = parsed.diagnostics
      expect(first, 'at least one diagnostic').toBeDefined()
      expect(first?.message).toMatch(message)
      expect(first?.line).toBe(line)
      expect(first?.sourceLine).toBe(code.split('\n')[line - 1])
      for (const d of parsed.diagnostics) {
        expect(d.startIndex).toBeLessThanOrEqual(d.endIndex)
        expect(d.line).toBeLessThanOrEqual(d.endLine)
        expect(d.column).toBeGreaterThanOrEqual(1)
      }
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('markdown has no invalid input, so it never reports a diagnostic', async () => {
    using parsed = await parseCode('# title\n```\nunclosed fence\n* [broken](link\n<div>\n', {
      language: 'markdown',
    })
    expect(parsed.diagnostics).toEqual([])
  })
})

import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCode } from './helpers'

// Valid code that earlier grammar builds flagged (issue 13, "Zero false positives on valid code"):
// each snippet is valid (checked here with perl -c, xmllint, javac 25's parser and R's parse(); the
// Swift ones are Swift 5.9 if/switch expressions), and a diagnostic on it would send a model to
// "fix" correct code.
const examples: Record<string, string[]> = {
  perl: [
    'require 5.006;\n',
    'sub Foo::bar { return 1 }\n',
    '__PACKAGE__->can("x");\n',
    'my $s = "abc";\nmy $c = substr $s, 1, 1 if length $s;\n',
    'use v5.36;\nsub add ($x, $y = 2) { return $x + $y }\nprint add(1), "\\n";\n',
    'my @a = map { $_ * 2 } grep { $_ } (1, 2);\nprint <<~EOT;\n  done\n  EOT\n',
  ],
  css: [
    '.a * { color: red; }\n',
    'table { border-spacing : 0; }\n',
    'dd:has(+ dd) {}\n',
    'li:nth-child(2 of .active) {}\n',
    '.card { &:hover { color: red; } }\n',
    '@layer base { p { margin: 0; } }\n',
  ],
  xml: [
    '<a>x[1]</a>\n',
    '<?xml version="1.0"?>\n<!DOCTYPE a [ <!ENTITY e "x"> ]>\n<a b="1">&e; ]] [x]</a>\n',
  ],
  swift: [
    'let c = 1\nlet t = switch c { case 1: "one" default: "many" }\n',
    'let f = true\nlet x = if f { 1 } else { 2 }\n',
  ],
  java: [
    'class A { void f(Object o) { if (o instanceof Point(int x, _)) {} } }\n',
    'class A { void f() { try { g(); } catch (Exception _) {} } }\n',
    'class A { int f(Object o) { return switch (o) { case Point(var x, _) -> x; default -> 0; }; } }\n',
    'class A { void f(java.util.Map<String, Integer> m) { m.forEach((_, v) -> g(v)); } }\n',
  ],
  r: ['f <- function(c, x) {\n  if (c)\n    FALSE\n  else\n    (x)\n}\n', 'g <- \\(x) x |> sqrt()\n'],
  go: [
    'package p\n\nfunc Map[T, U any](xs []T, f func(T) U) []U {\n\tvar out []U\n\tfor _, x := range xs {\n\t\tout = append(out, f(x))\n\t}\n\treturn out\n}\n',
  ],
}

describe('valid code from the issue gets zero diagnostics', () => {
  const cases = Object.entries(examples).flatMap(([language, codes]) =>
    codes.map((code) => [language, code] as const),
  )
  it.each(cases)('%s: %j', async (language, code) => {
    using parsed = await parseCode(code, { language })
    expect(parsed.diagnostics).toEqual([])
  })

  it('keeps the Swift symbols after an if expression', async () => {
    const code = 'let x = if true { 1 } else { 2 }\nfunc after() -> Int { x }\nstruct Later {}\n'
    using parsed = await parseCode(code, { language: 'swift' })
    expect(parsed.diagnostics).toEqual([])
    const names = parsed.symbols().definitions.map((definition) => definition.name)
    expect(names).toEqual(expect.arrayContaining(['after', 'Later']))
  })
})

// Small samples of real files (see fixtures/corpora/SOURCES.md); the full sweep is
// bench/parser/corpus-sweep.ts.
const corpora = new URL('./fixtures/corpora/', import.meta.url)
const samples = readdirSync(corpora, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(new URL(`${dir.name}/`, corpora))
      .sort()
      .map((file) => [dir.name, file] as const),
  )

describe('real files accepted by their language tool get zero diagnostics', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(8)
  })

  it.each(samples)('%s: %s', async (language, file) => {
    const code = readFileSync(new URL(`${language}/${file}`, corpora), 'utf8')
    using parsed = await parseCode(code, { language })
    expect(parsed.diagnostics).toEqual([])
  })
})

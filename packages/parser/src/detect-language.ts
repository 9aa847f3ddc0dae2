import {
  findLanguage,
  languageForExtension,
  languageForFilename,
  languageForInterpreter,
} from './languages/language-registry'

/**
 * Finds the language of a file, or `undefined` when nothing matches. Tried in order:
 *
 * 1. an exact file name (`Dockerfile`-style: `Gemfile`, `.bashrc`);
 * 2. the longest matching extension, case-insensitively (`.d.ts` → `.ts`); a `.h` header is
 *    C unless `content` is given and reads as C++ (class, namespace, template, `::`, access specifiers...);
 * 3. a language id or alias given instead of a file name, or a markdown fence info string
 *    (`ts`, `c++`, `py title="x.py"`, `{.python}`);
 * 4. the `#!` line of `content`, when given (`#!/usr/bin/env python3`, `#!/bin/sh`).
 *
 * @param filename - A path or a bare file name (directories are ignored), or a fence info string.
 * @param content - The file's text, used for the shebang when the name says nothing, and to tell a
 *   C++ `.h` header from a C one.
 * @returns The language id (`typescript`, `cpp`), as accepted by `parseCode`.
 */
export function detectLanguage(filename: string, content?: string): string | undefined {
  const base = basename(filename)
  if (base !== '') {
    const exact = languageForFilename(base)
    if (exact !== undefined) return exact
    const lower = base.toLowerCase()
    let dot = lower.indexOf('.', 1)
    while (dot !== -1) {
      const found = languageForExtension(lower.slice(dot))
      if (found !== undefined) return found === 'c' && lower.endsWith('.h') ? headerLanguage(content) : found
      dot = lower.indexOf('.', dot + 1)
    }
    if (lower.startsWith('.')) {
      const found = languageForExtension(lower)
      if (found !== undefined) return found
    }
  }
  const fenced = languageFromFenceInfo(filename)
  if (fenced !== undefined) return fenced
  return content === undefined ? undefined : languageFromShebang(content)
}

/**
 * The language named by a markdown fence info string (the text after ```` ``` ````), or
 * `undefined`. Accepts `ts`, `TypeScript`, `py title="a.py"`, `{.python .numberLines}`,
 * `language-rust`, `js:app.js` and `file.tsx` style info strings.
 */
export function languageFromFenceInfo(info: string): string | undefined {
  const word = /^[\s{]*\.?([^\s{},:=]+)/.exec(info)?.[1]
  if (word === undefined) return undefined
  const name = word.replace(/^language-/i, '')
  const direct = findLanguage(name)
  if (direct !== undefined) return direct.id
  if (name.includes('.')) {
    const base = basename(name)
    const extension = base.slice(base.lastIndexOf('.')).toLowerCase()
    return languageForFilename(base) ?? languageForExtension(extension)
  }
  return undefined
}

/** The language named by the `#!` line at the start of `content`, or `undefined`. */
export function languageFromShebang(content: string): string | undefined {
  if (!content.startsWith('#!')) return undefined
  const end = content.indexOf('\n')
  const line = content.slice(2, end === -1 ? Math.min(content.length, 256) : Math.min(end, 256)).trim()
  const words = line.split(/\s+/)
  let interpreter = basename(words[0] ?? '')
  if (interpreter === 'env') {
    // #!/usr/bin/env -S node --flags, #!/usr/bin/env python3
    interpreter = basename(words.slice(1).find((word) => !word.startsWith('-') && !word.includes('=')) ?? '')
  }
  return interpreter === '' ? undefined : languageForInterpreter(interpreter)
}

function basename(path: string): string {
  const trimmed = path.trim()
  const slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  return slash === -1 ? trimmed : trimmed.slice(slash + 1)
}

/** A `.h` header's language: `cpp` when its content reads as C++, else `c`. */
function headerLanguage(content: string | undefined): string {
  return content !== undefined && looksLikeCpp(content) ? 'cpp' : 'c'
}

/** How much of a header {@link looksLikeCpp} reads: C++ shows itself early, and this keeps it cheap. */
const HEADER_SCAN_CHARS = 256 * 1024

/**
 * Constructs that exist in C++ but not in C (C23 included: `constexpr`, `nullptr`, `bool`,
 * `static_assert` and `[[attributes]]` are C too, so they do not count). Matched on code with
 * comments, strings and `__cplusplus` blocks removed.
 */
const CPP_ONLY: readonly RegExp[] = [
  /(?<!@)\bclass\s+(?:[A-Z_a-z]\w*\s+)*?[A-Z_a-z]\w*\s*(?:final\s*)?[:{;]/, // class Widget {, class API X : Y (not @class)
  /\bnamespace\s+[A-Z_a-z][\w:]*\s*(?:\{|=\s*[A-Z_a-z:])|\bnamespace\s*\{/, // namespace a {, namespace {, namespace fs = std::...
  /\busing\s+namespace\s+[A-Z_a-z:]/,
  /\btemplate\s*<\s*(?:>|class\b|typename\b|[A-Z_a-z][\w:]*\s+[A-Z_a-z]\w*\s*[,>=])/,
  /^\s*(?:public|private|protected)\s*:(?!:)/m,
  /(?<![:[\w])[A-Z_a-z]\w*::~?[A-Z_a-z]/, // std::string, Widget::~Widget (not a C23 [[gnu::attr]])
  /\b(?:virtual|typename|mutable|friend)\s+[~A-Z_a-z]/,
  /\bexplicit\s+[A-Z_a-z]\w*\s*\(/,
  /\bdecltype\s*\(/,
  /\)\s*(?:const\s*)?noexcept\b/,
  /\boperator\s*(?:[-+*/%^&|~!<>=]{1,3}|\(\s*\)|\[\s*\]|new\b|delete\b|->)\s*\(/, // operator==(, operator()(
  /^\s*#\s*include\s*<[\w/+-]+>/m, // <string>, <vector>, <tr1/cstdio>: C's own headers all end in .h
]

/**
 * True when a header's text reads as C++ rather than C: after removing comments, string and
 * character literals, and every `#ifdef __cplusplus` block (where C headers keep their C++
 * compatibility lines, `extern "C" {`, and sometimes C++ helpers), one of the constructs only
 * C++ has is left: `class X {`, `namespace`, `template <`, an access specifier, `A::b`,
 * `virtual`, `operator+(`, `#include <vector>`... Deterministic and linear in the first 256 KB.
 */
export function looksLikeCpp(content: string): boolean {
  const code = withoutCplusplusBlocks(withoutCommentsAndLiterals(content.slice(0, HEADER_SCAN_CHARS)))
  return CPP_ONLY.some((pattern) => pattern.test(code))
}

/** `code` with comments blanked and string/character literals emptied (line breaks kept). */
function withoutCommentsAndLiterals(code: string): string {
  return code.replace(
    /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\[\s\S])*"|'(?:[^'\\\n]|\\[\s\S])*'/g,
    (match) => (match.startsWith('/') ? match.replace(/[^\n]/g, ' ') : match[0] === '"' ? '""' : "''"),
  )
}

/**
 * `code` without the lines of any preprocessor conditional that tests whether `__cplusplus` is
 * defined (all of its branches, nested conditionals included).
 */
function withoutCplusplusBlocks(code: string): string {
  if (!code.includes('__cplusplus')) return code
  const kept: string[] = []
  /** One entry per open conditional: true when it tests __cplusplus. */
  const open: boolean[] = []
  let depth = 0
  for (const line of code.split('\n')) {
    const directive = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)/.exec(line)
    if (directive === null) {
      if (depth === 0) kept.push(line)
      continue
    }
    const [, keyword = '', rest = ''] = directive
    if (keyword === 'if' || keyword === 'ifdef' || keyword === 'ifndef') {
      const tests = testsForCplusplus(keyword, rest)
      open.push(tests)
      if (tests) depth += 1
    } else if (keyword === 'elif' && open.at(-1) === false && testsForCplusplus(keyword, rest)) {
      open[open.length - 1] = true
      depth += 1
    } else if (keyword === 'endif' && open.pop() === true) {
      depth -= 1
    }
  }
  return kept.join('\n')
}

/**
 * True for a conditional that asks whether the code is compiled as C++ (`#ifdef __cplusplus`,
 * `#if defined(__cplusplus)`): what C headers wrap their C++ compatibility lines in. A test of
 * its value alone (`#if __cplusplus >= 201103L`) is how C++ headers pick a standard version.
 */
function testsForCplusplus(keyword: string, condition: string): boolean {
  if (keyword === 'ifdef' || keyword === 'ifndef') return /^\s*__cplusplus\b/.test(condition)
  return /\bdefined\s*\(?\s*__cplusplus\b/.test(condition)
}

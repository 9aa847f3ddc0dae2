import { describe, expect, it } from 'vitest'
import { looksLikeCpp } from '../src/detect-language'
import {
  detectLanguage,
  languageFromFenceInfo,
  languageFromShebang,
  listLanguages,
  parseCode,
} from '../src/index'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

describe('detectLanguage', () => {
  it.each([
    ['src/app.ts', 'typescript'],
    ['types/index.d.ts', 'typescript'],
    ['App.TSX', 'tsx'],
    ['server.mjs', 'javascript'],
    ['C:\\work\\main.py', 'python'],
    ['main.go', 'go'],
    ['lib.rs', 'rust'],
    ['Main.java', 'java'],
    ['util.h', 'c'],
    ['util.hpp', 'cpp'],
    ['Program.cs', 'csharp'],
    ['app.rb', 'ruby'],
    ['index.php', 'php'],
    ['build.gradle.kts', 'kotlin'],
    ['App.swift', 'swift'],
    ['build.sbt', 'scala'],
    ['install.sh', 'bash'],
    ['init.lua', 'lua'],
    ['Main.hs', 'haskell'],
    ['mix.exs', 'elixir'],
    ['main.dart', 'dart'],
    ['build.zig', 'zig'],
    ['index.html', 'html'],
    ['site.css', 'css'],
    ['package.json', 'json'],
    ['ci.yml', 'yaml'],
    ['README.md', 'markdown'],
    ['main.tf', 'hcl'],
  ])('%s → %s by extension', (filename, expected) => {
    expect(detectLanguage(filename)).toBe(expected)
  })

  it('matches exact file names before extensions, case-sensitively', () => {
    expect(detectLanguage('Gemfile')).toBe('ruby')
    expect(detectLanguage('project/Rakefile')).toBe('ruby')
    expect(detectLanguage('.bashrc')).toBe('bash')
    expect(detectLanguage('.eslintrc')).toBe('json')
    expect(detectLanguage('gemfile')).toBeUndefined()
  })

  it('reads the shebang when the name says nothing', () => {
    expect(detectLanguage('bin/tool', '#!/usr/bin/env python3\nprint(1)\n')).toBe('python')
    expect(detectLanguage('bin/tool', '#!/bin/sh\necho hi\n')).toBe('bash')
    expect(detectLanguage('bin/tool', '#!/usr/bin/env -S node --no-warnings\n')).toBe('javascript')
    expect(detectLanguage('bin/tool', '#!/usr/local/bin/python3.12\n')).toBe('python')
    expect(detectLanguage('bin/tool', '#!/usr/bin/ruby -w\n')).toBe('ruby')
    expect(detectLanguage('bin/tool', 'no shebang here\n')).toBeUndefined()
    expect(detectLanguage('bin/tool', '#!/usr/bin/env unknown-interp\n')).toBeUndefined()
    expect(detectLanguage('bin/tool')).toBeUndefined()
  })

  it('the name wins over the shebang', () => {
    expect(detectLanguage('script.rb', '#!/usr/bin/env python3\n')).toBe('ruby')
  })

  it('accepts a language id, alias or fence info string in place of a file name', () => {
    expect(detectLanguage('ts')).toBe('typescript')
    expect(detectLanguage('c++')).toBe('cpp')
    expect(detectLanguage('py title="a.py"')).toBe('python')
  })
})

describe('languageFromFenceInfo', () => {
  it.each([
    ['ts', 'typescript'],
    ['TypeScript', 'typescript'],
    ['ts title="x.ts"', 'typescript'],
    ['py', 'python'],
    ['python3', 'python'],
    ['sh', 'bash'],
    ['shell', 'bash'],
    ['console-script', 'bash'],
    ['zsh', 'bash'],
    ['c++', 'cpp'],
    ['cs', 'csharp'],
    ['c#', 'csharp'],
    ['yml', 'yaml'],
    ['jsx', 'javascript'],
    ['golang', 'go'],
    ['rs', 'rust'],
    ['kt', 'kotlin'],
    ['{.python .numberLines}', 'python'],
    ['language-rust', 'rust'],
    ['js:app.js', 'javascript'],
    ['src/main.rs', 'rust'],
    ['Dockerfile', undefined],
    ['text', undefined],
    ['', undefined],
    ['   ', undefined],
  ])('%j → %s', (info, expected) => {
    expect(languageFromFenceInfo(info)).toBe(expected)
  })
})

describe('languageFromShebang', () => {
  it('only looks at a #! first line', () => {
    expect(languageFromShebang('#!/usr/bin/env bash')).toBe('bash')
    expect(languageFromShebang('\n#!/usr/bin/env bash')).toBeUndefined()
    expect(languageFromShebang('#!')).toBeUndefined()
  })
})

describe('listLanguages', () => {
  it('lists at least the 26 required languages, each with a grammar and a way to detect it', () => {
    const languages = listLanguages()
    const ids = languages.map((language) => language.id)
    for (const id of [
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
      'html',
      'css',
      'json',
      'yaml',
      'markdown',
    ]) {
      expect(ids).toContain(id)
    }
    expect(new Set(ids).size).toBe(ids.length)
    for (const language of languages) {
      expect(language.id).toBe(language.id.toLowerCase())
      expect(language.extensions.length).toBeGreaterThan(0)
      expect(language.grammarName).not.toBe('')
      for (const extension of language.extensions) expect(detectLanguage(`file${extension}`)).toBeDefined()
    }
  })
})

const WIDGET_H = `#pragma once
#include <string>

class Widget {
public:
  explicit Widget(std::string name);
  int size() const;
private:
  std::string name_;
};
`

/** A C header as real libraries write them: C++ compatibility lines inside __cplusplus blocks. */
const C_HEADER = `#ifndef UTIL_H
#define UTIL_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* a class of errors; see namespace docs */
typedef struct util_buf { char *data; size_t len; } util_buf;
int util_append(util_buf *buf, const char *text);
const char *util_message = "std::string class Foo {";

#if defined(__cplusplus)
template <typename T> inline T util_max(T a, T b) { return a > b ? a : b; }
#endif
#ifdef __cplusplus
}
#endif
#endif
`

describe('detectLanguage: C or C++ for .h headers, by content', () => {
  it(
    'reads a C++ class in widget.h as C++, and parses it with no diagnostics',
    async () => {
      expect(detectLanguage('include/widget.h', WIDGET_H)).toBe('cpp')
      using parsed = await parseCode(WIDGET_H, { filename: 'include/widget.h' })
      expect(parsed.language).toBe('cpp')
      expect(parsed.diagnostics).toEqual([])
      expect(parsed.symbols().definitions.map((d) => d.name)).toContain('Widget')
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'keeps real C headers C, including their __cplusplus blocks, comments and strings',
    async () => {
      expect(detectLanguage('util.h', C_HEADER)).toBe('c')
      using parsed = await parseCode(C_HEADER, { filename: 'src/util.h' })
      expect(parsed.language).toBe('c')
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('is C without content, and for .c files whatever they hold', () => {
    expect(detectLanguage('util.h')).toBe('c')
    expect(detectLanguage('UTIL.H', WIDGET_H)).toBe('cpp')
    expect(detectLanguage('util.c', WIDGET_H)).toBe('c')
    expect(detectLanguage('util.hpp', 'int x;')).toBe('cpp')
  })

  it.each([
    ['class Widget;', true],
    ['class EXPORT Widget : public Base {', true],
    ['class Widget final {', true],
    ['namespace app {', true],
    ['namespace {', true],
    ['namespace fs = std::filesystem;', true],
    ['using namespace std;', true],
    ['template <typename T> struct Box;', true],
    ['template<class T>', true],
    ['template <size_t N> struct Buf;', true],
    ['template <>', true],
    ['struct S {\n  public:\n  int x;\n};', true],
    ['void Widget::resize(int n);', true],
    ['Widget::~Widget();', true],
    ['std::vector<int> v;', true],
    ['virtual void draw() = 0;', true],
    ['typedef typename T::value_type V;', true],
    ['mutable int cache;', true],
    ['friend struct Peer;', true],
    ['explicit Box(int n);', true],
    ['auto f() -> decltype(x);', true],
    ['void swap(S &other) noexcept;', true],
    ['bool operator==(const S &a, const S &b);', true],
    ['S &operator()(int i);', true],
    ['#include <vector>', true],
    ['#include <tr1/cstdio>', true],
    ['#if __cplusplus >= 201103L\nclass Moveable {};\n#endif', true],
    // C, including C23 and C code that uses C++ keywords as names
    ['#include <stdio.h>\nint main(void);', false],
    ['struct class_info { int class_id; };', false],
    ['PyObject *new, *this; int class; void *template;', false],
    ['int operator = 1; op->operator = 2;', false],
    ['int namespace = 0;', false],
    ['if (template < 3) return;', false],
    ['[[gnu::always_inline]] inline int f(void);', false],
    [
      '[[nodiscard]] int g(void); constexpr int N = 3; static_assert(N == 3); bool b = true; void *p = nullptr;',
      false,
    ],
    ['@class NSString;\n@interface Foo : NSObject\n@end', false],
    ['// class Widget { public: };\n/* std::string */ int x;', false],
    ['const char *s = "namespace a { class B {}; }";', false],
    ["char c = ':'; int private_count;", false],
    ['#ifdef __cplusplus\nnamespace wrap { class W {}; }\n#else\nint w;\n#endif', false],
    ['#ifndef __cplusplus\ntypedef int bool;\n#endif', false],
    ['', false],
  ])('%j reads as C++: %s', (code, expected) => {
    expect(looksLikeCpp(code)).toBe(expected)
  })
})

import { describe, expect, it } from 'vitest'
import { detectLanguage, languageFromFenceInfo, languageFromShebang, listLanguages } from '../src/index'

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

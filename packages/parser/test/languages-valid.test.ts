import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { detectLanguage, listLanguages, parseCode } from '../src/index'

// One realistic, valid file per built-in language, written with modern syntax and checked
// where a reference parser exists here (tsc, node --check, CPython 3.13 compile, gcc, g++,
// rustc, perl -c, bash -n, JSON.parse). A diagnostic on any of them is a false positive.
const dir = new URL('./fixtures/languages/', import.meta.url)
const fixtures = readdirSync(dir).sort()

describe('valid code parses with zero diagnostics', () => {
  it('has a fixture for every built-in language', () => {
    const covered = new Set(fixtures.map((file) => detectLanguage(file)))
    const missing = listLanguages()
      .filter((language) => !language.custom)
      .map((language) => language.id)
      .filter((id) => !covered.has(id))
    expect(missing).toEqual([])
  })

  it.each(fixtures)('%s', async (file) => {
    const code = readFileSync(new URL(file, dir), 'utf8')
    expect(code.split('\n').length).toBeGreaterThanOrEqual(30)
    using parsed = await parseCode(code, { filename: file })
    expect(parsed.language).toBe(file.slice(0, file.lastIndexOf('.')))
    expect(parsed.diagnostics).toEqual([])
    expect(parsed.valid).toBe(true)
  })

  it.each(fixtures)('%s with Windows line endings and a byte-order mark', async (file) => {
    const code = `\uFEFF${readFileSync(new URL(file, dir), 'utf8').replace(/\n/g, '\r\n')}`
    using parsed = await parseCode(code, { filename: file })
    expect(parsed.diagnostics).toEqual([])
  })
})

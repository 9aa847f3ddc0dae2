import { describe, expect, it } from 'vitest'
import {
  BinaryContentError,
  DisposedError,
  InputTooLargeError,
  InvalidArgumentError,
  InvalidUtf8Error,
  ParsedCode,
  ParserError,
  ParseTimeoutError,
  parseCode,
  UnknownLanguageError,
} from '../src/index'
import { FIRST_USE_TIMEOUT_MS, WORKER_TIMEOUT_MS } from './timeouts'

describe('parseCode', () => {
  it(
    'parses by language id or alias and by file name',
    async () => {
      using byId = await parseCode('x = 1\n', { language: 'python' })
      using byAlias = await parseCode('x = 1\n', { language: 'PY' })
      using byName = await parseCode('x = 1\n', { filename: 'src/app/main.py' })
      using byShebang = await parseCode('#!/usr/bin/env python3\nx = 1\n', { filename: 'bin/tool' })
      expect([byId.language, byAlias.language, byName.language, byShebang.language]).toEqual([
        'python',
        'python',
        'python',
        'python',
      ])
      expect(byId).toBeInstanceOf(ParsedCode)
      expect(byId.code).toBe('x = 1\n')
      expect(byId.tree.rootNode.type).toBe('module')
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('accepts UTF-8 bytes and rejects invalid UTF-8 with a typed error', async () => {
    using parsed = await parseCode(new TextEncoder().encode('const s = "é😀"\n'), { language: 'javascript' })
    expect(parsed.code).toBe('const s = "é😀"\n')
    expect(parsed.valid).toBe(true)
    const error = await parseCode(Uint8Array.from([0x63, 0x6f, 0xc3, 0x28]), {
      language: 'javascript',
    }).catch((e) => e)
    expect(InvalidUtf8Error.isInstance(error)).toBe(true)
    expect(error.code).toBe('invalid_utf8')
    expect(error.message).toMatch(/not valid UTF-8/)
  })

  it('rejects binary content (NUL bytes)', async () => {
    const error = await parseCode('abc\0def', { language: 'python' }).catch((e) => e)
    expect(BinaryContentError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ code: 'binary_content', index: 3 })
  })

  it('rejects an unknown language, naming how to see the supported ones', async () => {
    const byId = await parseCode('x', { language: 'cobol' }).catch((e) => e)
    expect(UnknownLanguageError.isInstance(byId)).toBe(true)
    expect(byId).toMatchObject({ code: 'unknown_language', requested: 'cobol' })
    expect(byId.message).toMatch(/listLanguages\(\)/)
    const byName = await parseCode('x', { filename: 'notes.unknownext' }).catch((e) => e)
    expect(byName).toMatchObject({ code: 'unknown_language', requested: 'notes.unknownext' })
    const neither = await parseCode('x', {} as never).catch((e) => e)
    expect(UnknownLanguageError.isInstance(neither)).toBe(true)
  })

  it('rejects a non-string, non-bytes input with a typed error', async () => {
    await expect(parseCode(42 as never, { language: 'python' })).rejects.toSatisfy(
      InvalidArgumentError.isInstance,
    )
  })
})

describe('diagnostics', () => {
  it('are 1-based, count columns in UTF-16 units, and give the source line without its line break', async () => {
    using parsed = await parseCode('s = "é😀"\r\nx = (1 +\r\n', { language: 'python' })
    expect(parsed.diagnostics).toHaveLength(1)
    const [d] = parsed.diagnostics
    expect(d).toMatchObject({
      severity: 'error',
      kind: 'error',
      line: 2,
      column: 5,
      endLine: 2,
      endColumn: 9,
      sourceLine: 'x = (1 +',
      sourceLineColumn: 1,
    })
    // the position is the one the message names: the unclosed bracket, not the start of the ERROR
    expect(d?.message).toMatch(/`\(` opened at line 2, column 5 is never closed/)
    expect(parsed.code.slice(d?.startIndex, d?.endIndex)).toBe('(1 +')
    using emoji = await parseCode('const s = "é😀"; let x = (1 + 2;\n', { language: 'typescript' })
    expect(emoji.diagnostics).toEqual([
      {
        severity: 'error',
        kind: 'missing',
        message: 'missing `)`',
        line: 1,
        column: 32,
        endLine: 1,
        endColumn: 32,
        startIndex: 31,
        endIndex: 31,
        sourceLine: 'const s = "é😀"; let x = (1 + 2;',
        sourceLineColumn: 1,
      },
    ])
  })

  it('report an unexpected token and a stray closing bracket', async () => {
    using extra = await parseCode('function f() {\n  return 1\n}}\n', { language: 'javascript' })
    expect(extra.diagnostics.map((d) => [d.message, d.line, d.column, d.endColumn])).toEqual([
      ['unexpected `}`', 3, 2, 3],
    ])
  })

  it('are empty for empty and blank input', async () => {
    using empty = await parseCode('', { language: 'typescript' })
    using blank = await parseCode('  \n\t\n', { language: 'python' })
    expect([empty.diagnostics, blank.diagnostics]).toEqual([[], []])
  })
})

describe('limits', () => {
  it('rejects input over maxBytes before parsing, counting UTF-8 bytes', async () => {
    const big = await parseCode('x'.repeat(101), { language: 'python', maxBytes: 100 }).catch((e) => e)
    expect(InputTooLargeError.isInstance(big)).toBe(true)
    expect(big).toMatchObject({ code: 'input_too_large', bytes: 101, maxBytes: 100 })
    // 40 code units but 120 UTF-8 bytes
    const wide = await parseCode('€'.repeat(40), { language: 'python', maxBytes: 100 }).catch((e) => e)
    expect(wide).toMatchObject({ code: 'input_too_large', bytes: 120 })
    const bytes = await parseCode(new Uint8Array(101).fill(0x61), {
      language: 'python',
      maxBytes: 100,
    }).catch((e) => e)
    expect(bytes).toMatchObject({ code: 'input_too_large', bytes: 101 })
    using fits = await parseCode('€'.repeat(33), { language: 'python', maxBytes: 100 })
    expect(fits.code.length).toBe(33)
  })

  it('rejects a 10 MB file by default', async () => {
    const error = await parseCode(`x = 1\n${' '.repeat(10_000_000)}`, { language: 'python' }).catch((e) => e)
    expect(error).toMatchObject({ code: 'input_too_large', maxBytes: 10_000_000 })
  })

  it('cancels a parse that runs past its time budget (100,000-deep nesting)', async () => {
    const hostile = `x = ${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const error = await parseCode(hostile, { language: 'python', timeoutMs: 1 }).catch((e) => e)
    expect(ParseTimeoutError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ code: 'parse_timeout', timeoutMs: 1 })
    // The shared parser was reset: the next parse starts fresh and succeeds.
    using after = await parseCode('y = [1]\n', { language: 'python' })
    expect(after.valid).toBe(true)
    expect(after.tree.rootNode.text).toBe('y = [1]\n')
  })

  it('cancels a 10 MB parse within its budget when maxBytes allows the size', async () => {
    const line = 'const value = compute(alpha, [beta, gamma], { delta: 1 });\n'
    const big = line.repeat(Math.ceil(10_000_000 / line.length))
    const error = await parseCode(big, { language: 'javascript', maxBytes: 20_000_000, timeoutMs: 20 }).catch(
      (e) => e,
    )
    expect(error).toMatchObject({ code: 'parse_timeout', timeoutMs: 20 })
  })

  it('parses 100,000-deep nesting when the budget allows, without recursion limits', async () => {
    const deep = `x = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`
    using parsed = await parseCode(deep, { language: 'python', timeoutMs: Number.POSITIVE_INFINITY })
    expect(parsed.diagnostics).toEqual([])
    const unclosed = `x = ${'['.repeat(100_000)}\n`
    using broken = await parseCode(unclosed, { language: 'python' })
    expect(broken.diagnostics.length).toBeGreaterThan(0)
  })
})

describe('isolate: worker', () => {
  it(
    'parses normally after the worker preflight succeeds',
    async () => {
      using parsed = await parseCode('def f(:\n    pass\n', { language: 'python', isolate: 'worker' })
      expect(parsed.diagnostics[0]?.message).toBe('missing `)`')
    },
    WORKER_TIMEOUT_MS,
  )

  it(
    'terminates the worker mid-parse and throws a typed error when the budget runs out',
    async () => {
      // A million levels of nesting take seconds to parse; the budget is a fraction of that.
      const hostile = `x = ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`
      const error = await parseCode(hostile, { language: 'python', isolate: 'worker', timeoutMs: 300 }).catch(
        (e) => e,
      )
      expect(ParseTimeoutError.isInstance(error)).toBe(true)
      expect(error.message).toMatch(/worker was terminated/)
    },
    WORKER_TIMEOUT_MS,
  )
})

describe('dispose', () => {
  it('frees the tree once; afterwards every method throws DisposedError', async () => {
    const parsed = await parseCode('let x = 1\n', { language: 'javascript' })
    expect(parsed.disposed).toBe(false)
    parsed.dispose()
    parsed.dispose()
    parsed[Symbol.dispose]()
    expect(parsed.disposed).toBe(true)
    expect(parsed.language).toBe('javascript')
    expect(parsed.code).toBe('let x = 1\n')
    const calls: (() => unknown)[] = [
      () => parsed.tree,
      () => parsed.diagnostics,
      () => parsed.valid,
      () => parsed.symbols(),
      () => parsed.chunks(),
      () => parsed.applyEdit({ startIndex: 0, oldEndIndex: 0, newText: ' ' }),
    ]
    for (const call of calls) {
      let thrown: unknown
      try {
        call()
      } catch (error) {
        thrown = error
      }
      expect(DisposedError.isInstance(thrown)).toBe(true)
      expect(ParserError.isInstance(thrown)).toBe(true)
      expect((thrown as Error).message).toMatch(/disposed/)
    }
  })

  it('is freed at the end of a `using` block', async () => {
    let escaped: ParsedCode | undefined
    {
      using parsed = await parseCode('a = 1\n', { language: 'python' })
      escaped = parsed
      expect(escaped.disposed).toBe(false)
    }
    expect(escaped.disposed).toBe(true)
  })
})

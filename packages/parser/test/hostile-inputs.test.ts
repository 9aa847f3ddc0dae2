import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  BudgetExceededError,
  type CodeChunk,
  DEFAULT_MAX_DIAGNOSTICS,
  type Diagnostic,
  InvalidArgumentError,
  listLanguages,
  type ParsedCode,
  ParserError,
  parseCode,
} from './helpers'
import { HOSTILE_TIMEOUT_MS } from './timeouts'

/**
 * Each operation on hostile input ends in a result or a typed `ParserError`: a parse timeout or
 * a budget that ran out are answers, a `RangeError` (stack overflow), a hang or a crash are not.
 * No test here asserts a duration: the budgets themselves are the bound, expressed as errors.
 */
type Outcome<T> = { ok: true; value: T } | { ok: false; error: ParserError }

function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() }
  } catch (error) {
    if (!ParserError.isInstance(error)) throw error
    return { ok: false, error }
  }
}

async function attemptParse(input: string | Uint8Array, language: string): Promise<Outcome<ParsedCode>> {
  try {
    return { ok: true, value: await parseCode(input, { language }) }
  } catch (error) {
    if (!ParserError.isInstance(error)) throw error
    return { ok: false, error }
  }
}

/** Bytes 1-255 in a fixed pseudo-random order: binary-looking, but no NUL. */
function noise(length: number): string {
  let state = 12345
  let text = ''
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    text += String.fromCharCode(1 + (state % 255))
  }
  return text
}

interface HostileInput {
  name: string
  language: string
  input: () => string | Uint8Array
  /** The parse must fail with this code (binary, invalid UTF-8). */
  rejectedWith?: string
}

const hostile: HostileInput[] = [
  {
    name: 'brackets nested 10,000 deep',
    language: 'javascript',
    input: () => `x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\n`,
  },
  {
    name: 'blocks nested 10,000 deep, one per line',
    language: 'javascript',
    input: () => `${'function f() {\n'.repeat(10_000)}${'}\n'.repeat(10_000)}`,
  },
  {
    name: 'lists nested 10,000 deep',
    language: 'python',
    input: () => `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
  },
  {
    name: 'Ruby blocks nested 5,000 deep',
    language: 'ruby',
    input: () => `${'def f\n'.repeat(5_000)}${'end\n'.repeat(5_000)}`,
  },
  { name: '200,000 unclosed brackets', language: 'javascript', input: () => '('.repeat(200_000) },
  { name: '200,000 stray closing brackets', language: 'json', input: () => ']'.repeat(200_000) },
  { name: '80,000 errors on one line', language: 'javascript', input: () => '};'.repeat(80_000) },
  { name: '40,000 errors on one line', language: 'c', input: () => 'int x = ;'.repeat(40_000) },
  { name: 'one 2 MB line', language: 'javascript', input: () => `var a=${'1+'.repeat(1_000_000)}1;` },
  { name: 'one 1 MB string', language: 'python', input: () => `x = "${'a'.repeat(1_000_000)}"\n` },
  { name: 'binary-looking text without NUL', language: 'c', input: () => noise(200_000) },
  { name: 'lone surrogates', language: 'typescript', input: () => `const s = "${'\ud800'.repeat(50_000)}"` },
  {
    name: 'binary bytes',
    language: 'c',
    // valid UTF-8 (ASCII), but with NUL bytes: an image or an object file read as text
    input: () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 128),
    rejectedWith: 'binary_content',
  },
  {
    name: 'invalid UTF-8',
    language: 'python',
    input: () => new Uint8Array([0x78, 0x20, 0x3d, 0x20, 0xff, 0xfe, 0x28, 0xc3]),
    rejectedWith: 'invalid_utf8',
  },
]

function checkDiagnostics(parsed: ParsedCode, diagnostics: readonly Diagnostic[]): void {
  expect(diagnostics.length).toBeLessThanOrEqual(DEFAULT_MAX_DIAGNOSTICS)
  // capped and cut: the whole list serialises, and stays small however long the line
  const json = JSON.stringify(diagnostics)
  expect(json.length).toBeLessThan(DEFAULT_MAX_DIAGNOSTICS * 2_000)
  for (const d of diagnostics) {
    expect(d.sourceLine.length).toBeLessThanOrEqual(240)
    expect(d.column).toBeGreaterThanOrEqual(d.sourceLineColumn)
    expect(d.startIndex).toBeLessThanOrEqual(d.endIndex)
  }
  expect(parsed.droppedDiagnostics).toBeGreaterThanOrEqual(0)
}

function checkChunks(code: string, chunks: CodeChunk[]): void {
  expect(chunks.map((c) => c.text).join('')).toBe(code)
}

describe('hostile inputs: parseCode, diagnostics and chunks return a result or a typed error', () => {
  it.each(hostile)(
    '$name ($language)',
    async ({ language, input, rejectedWith }) => {
      const code = input()
      const parse = await attemptParse(code, language)
      if (rejectedWith !== undefined) {
        expect(parse.ok ? 'parsed' : parse.error.code).toBe(rejectedWith)
        return
      }
      if (!parse.ok) {
        // only a limit may stop the parse, and it says which
        expect(['parse_timeout', 'input_too_large', 'budget_exceeded']).toContain(parse.error.code)
        return
      }
      using parsed = parse.value
      const diagnostics = attempt(() => parsed.diagnostics)
      if (diagnostics.ok) checkDiagnostics(parsed, diagnostics.value)
      else expect(diagnostics.error).toMatchObject({ code: 'budget_exceeded', operation: 'diagnostics' })
      const chunks = attempt(() => parsed.chunks())
      if (chunks.ok) checkChunks(parsed.code, chunks.value)
      else expect(chunks.error).toMatchObject({ code: 'budget_exceeded', operation: 'chunks' })
    },
    HOSTILE_TIMEOUT_MS,
  )

  it(
    'chunks of brackets nested 10,000 deep, in every language, end in chunks or a typed error',
    async () => {
      const code = `${'('.repeat(10_000)}${')'.repeat(10_000)}\n`
      const outcomes: string[] = []
      for (const { id } of listLanguages()) {
        const parse = await attemptParse(code, id)
        if (!parse.ok) {
          outcomes.push(`${id}: ${parse.error.code}`)
          continue
        }
        using parsed = parse.value
        const chunks = attempt(() => parsed.chunks())
        if (chunks.ok) checkChunks(code, chunks.value)
        outcomes.push(`${id}: ${chunks.ok ? `${chunks.value.length} chunks` : chunks.error.code}`)
      }
      // no RangeError escaped (attempt rethrows anything untyped); every language was tried
      expect(outcomes).toHaveLength(listLanguages().length)
    },
    HOSTILE_TIMEOUT_MS,
  )
})

describe('diagnostics are capped, cut and counted', () => {
  const errors = '};'.repeat(5_000)

  it('describe the first maxDiagnostics and count the rest in droppedDiagnostics', async () => {
    using parsed = await parseCode(errors, { language: 'javascript', confirmDiagnostics: false })
    expect(parsed.diagnostics).toHaveLength(DEFAULT_MAX_DIAGNOSTICS)
    expect(parsed.droppedDiagnostics).toBe(5_000 - DEFAULT_MAX_DIAGNOSTICS)
    using few = await parseCode(errors, {
      language: 'javascript',
      maxDiagnostics: 3,
      confirmDiagnostics: false,
    })
    expect(few.diagnostics.map((d) => d.column)).toEqual([1, 3, 5])
    expect(few.droppedDiagnostics).toBe(4_997)
    using all = await parseCode(errors, {
      language: 'javascript',
      maxDiagnostics: Number.POSITIVE_INFINITY,
      confirmDiagnostics: false,
    })
    expect(all.diagnostics).toHaveLength(5_000)
    expect(all.droppedDiagnostics).toBe(0)
    // each carries a window of the 10,000-character line, not the line
    expect(JSON.stringify(all.diagnostics).length).toBeLessThan(5_000 * 600)
  })

  it('cut a long line to a window around the column, which sourceLineColumn locates', async () => {
    const line = `${'a = 1; '.repeat(2_000)}a = (1 +; ${'b = 2; '.repeat(2_000)}`
    using parsed = await parseCode(`x = 1\n${line}\ny = 2\n`, {
      language: 'javascript',
      confirmDiagnostics: false,
    })
    const [d] = parsed.diagnostics
    expect(d).toBeDefined()
    if (d === undefined) return
    expect(d.line).toBe(2)
    expect(d.sourceLine.length).toBe(240)
    expect(d.sourceLineColumn).toBeGreaterThan(1)
    expect(line.slice(d.sourceLineColumn - 1, d.sourceLineColumn - 1 + d.sourceLine.length)).toBe(
      d.sourceLine,
    )
    // the problem is inside the window: a caret goes at column - sourceLineColumn
    const caret = d.column - d.sourceLineColumn
    expect(caret).toBeGreaterThanOrEqual(0)
    expect(caret).toBeLessThan(d.sourceLine.length)
    expect(d.sourceLine.slice(caret)).toBe(
      line.slice(d.column - 1, d.column - 1 + d.sourceLine.length - caret),
    )
  })

  it('are empty with nothing dropped for valid code, and reject a bad maxDiagnostics', async () => {
    using parsed = await parseCode('const a = 1\n', { language: 'javascript' })
    expect([parsed.diagnostics, parsed.droppedDiagnostics]).toEqual([[], 0])
    for (const maxDiagnostics of [-1, 1.5, Number.NaN]) {
      await expect(parseCode('x', { language: 'javascript', maxDiagnostics })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      )
    }
    await expect(parseCode('x', { language: 'javascript', maxSharedMemoryBytes: -1 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    )
  })
})

describe('budgets after the parse end in BudgetExceededError', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  /**
   * From now on, the clock jumps an hour after its first reading (the one that starts the next
   * operation's budget): that budget runs out at its first check.
   */
  function expireBudgets(): void {
    const now = performance.now.bind(performance)
    let readings = 0
    vi.spyOn(performance, 'now').mockImplementation(() => now() + (readings++ === 0 ? 0 : 3_600_000))
  }

  it('diagnostics: thrown, and thrown again on the next read', async () => {
    using parsed = await parseCode('};'.repeat(2_000), { language: 'javascript', confirmDiagnostics: false })
    expireBudgets()
    let first: unknown
    try {
      void parsed.diagnostics
    } catch (error) {
      first = error
    }
    expect(BudgetExceededError.isInstance(first)).toBe(true)
    expect(first).toMatchObject({ code: 'budget_exceeded', operation: 'diagnostics', budgetMs: 5_000 })
    expect(() => parsed.diagnostics).toThrow(first as Error)
  })

  it('chunks: thrown with operation chunks, and budgetMs is checked', async () => {
    using parsed = await parseCode(`x = ${'('.repeat(3_000)}1${')'.repeat(3_000)}\n`, {
      language: 'javascript',
      timeoutMs: 60_000,
    })
    expect(() => parsed.chunks({ budgetMs: 0 })).toThrow(RangeError)
    expireBudgets()
    expect(() => parsed.chunks()).toThrow(
      expect.objectContaining({ code: 'budget_exceeded', operation: 'chunks' }),
    )
  })
})

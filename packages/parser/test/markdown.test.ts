import { describe, expect, it } from 'vitest'
import {
  extractCodeBlocks,
  liveParsedCodeCountForTests,
  UnknownLanguageError,
  validateCodeBlocks,
} from './helpers'
import { FIRST_USE_TIMEOUT_MS, WORKER_TIMEOUT_MS } from './timeouts'

const answer = [
  'Here is the fix:', // 1
  '', // 2
  '```ts title="src/add.ts"', // 3
  'export function add(a: number, b: number): number {', // 4
  '  return a + b', // 5
  '}', // 6
  '```', // 7
  '', // 8
  'And the broken one:', // 9
  '', // 10
  '~~~python', // 11
  'def total(items:', // 12
  '    return sum(items)', // 13
  '~~~', // 14
  '', // 15
  '1. In a list item:', // 16
  '', // 17
  '   ```sh', // 18
  '   echo "hi"', // 19
  '   ```', // 20
  '', // 21
  '````markdown', // 22
  '```js', // 23
  'not closed by the shorter fence', // 24
  '```', // 25
  '````', // 26
  '', // 27
  '```text', // 28
  'plain output', // 29
  '```', // 30
  '', // 31
  '```', // 32
  'x = [1, 2', // 33
  '```', // 34
].join('\n')

describe('extractCodeBlocks', () => {
  it('finds backtick and tilde fences with their info strings, languages and lines', () => {
    const blocks = extractCodeBlocks(answer)
    expect(
      blocks.map((b) => [b.language, b.info, b.startLine, b.endLine, b.codeStartLine, b.closed]),
    ).toEqual([
      ['typescript', 'ts title="src/add.ts"', 3, 7, 4, true],
      ['python', 'python', 11, 14, 12, true],
      ['bash', 'sh', 18, 20, 19, true],
      ['markdown', 'markdown', 22, 26, 23, true],
      [undefined, 'text', 28, 30, 29, true],
      [undefined, '', 32, 34, 33, true],
    ])
    expect(blocks[0]?.code).toBe('export function add(a: number, b: number): number {\n  return a + b\n}')
    expect(blocks[1]?.fence).toBe('~~~')
    expect(blocks[2]?.code).toBe('echo "hi"')
    expect(blocks[3]?.code).toBe('```js\nnot closed by the shorter fence\n```')
  })

  it('runs an unclosed block to the end of the document', () => {
    const [block] = extractCodeBlocks('intro\n```go\npackage main\n\n')
    expect(block).toMatchObject({
      language: 'go',
      closed: false,
      code: 'package main',
      startLine: 2,
      endLine: 5,
    })
  })

  it('handles CRLF line endings and ignores backticks in a backtick fence info string', () => {
    const blocks = extractCodeBlocks('```py\r\nx = 1\r\n```\r\n``` not `a` fence\r\n')
    expect(blocks).toHaveLength(1)
    expect(blocks[0]?.code).toBe('x = 1')
  })

  it('returns nothing for markdown without fences', () => {
    expect(extractCodeBlocks('# Title\n\n    indented code is not extracted\n')).toEqual([])
  })
})

describe('validateCodeBlocks', () => {
  it(
    'validates each block in one call, maps lines back to the markdown, and frees every tree',
    async () => {
      const before = liveParsedCodeCountForTests()
      const results = await validateCodeBlocks(answer)
      expect(liveParsedCodeCountForTests()).toBe(before)
      expect(results.map((r) => r.status)).toEqual([
        'valid',
        'invalid',
        'valid',
        'valid',
        'skipped',
        'skipped',
      ])
      const python = results[1]
      expect(python?.diagnostics[0]).toMatchObject({
        line: 1,
        markdownLine: 12,
        sourceLine: 'def total(items:',
      })
      expect(results[4]?.reason).toMatch(/no grammar for "text"/)
      expect(results[5]?.reason).toMatch(/names no language/)
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('uses defaultLanguage for fences without an info string', async () => {
    const results = await validateCodeBlocks(answer, { defaultLanguage: 'python' })
    expect(results[5]).toMatchObject({ status: 'invalid' })
    expect(results[5]?.diagnostics[0]?.markdownLine).toBe(33)
  })

  it('rejects an unknown defaultLanguage', async () => {
    const error = await validateCodeBlocks(answer, { defaultLanguage: 'klingon' }).catch((e) => e)
    expect(UnknownLanguageError.isInstance(error)).toBe(true)
  })

  it(
    'can isolate each parse in a worker, skipping a block that runs out of time there',
    async () => {
      const hostile = `x = ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`
      const markdown = `\`\`\`py\ny = 1\n\`\`\`\n\`\`\`py\n${hostile}\n\`\`\`\n`
      const results = await validateCodeBlocks(markdown, { isolate: 'worker', timeoutMs: 300 })
      expect(results.map((r) => r.status)).toEqual(['valid', 'skipped'])
      expect(results[1]?.reason).toMatch(/worker was terminated/)
    },
    WORKER_TIMEOUT_MS,
  )

  it('skips a block that breaks a limit instead of failing the whole answer', async () => {
    const results = await validateCodeBlocks('```py\nx = "long enough"\n```\n```py\ny = 1\n```\n', {
      maxBytes: 10,
    })
    expect(results.map((r) => r.status)).toEqual(['skipped', 'valid'])
    expect(results[0]?.reason).toMatch(/over the 10-byte limit/)
  })

  it('caps the diagnostics of a block and says how many were left out', async () => {
    const answer = `\`\`\`js\n${'};'.repeat(150)}\n\`\`\`\n\n\`\`\`js\nconst a = (1\n\`\`\`\n`
    const [many, one] = await validateCodeBlocks(answer, { maxDiagnostics: 20 })
    expect(many?.status).toBe('invalid')
    expect(many?.diagnostics).toHaveLength(20)
    expect(many?.droppedDiagnostics).toBe(130)
    expect(one?.status).toBe('invalid')
    expect(one).not.toHaveProperty('droppedDiagnostics')
  })
})

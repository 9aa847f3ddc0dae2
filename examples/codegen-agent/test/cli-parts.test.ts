import { describe, expect, it } from 'vitest'
import { createJsonReporter } from '../src/cli-events'
import { checkRelativePath, filesFromAnswer, mergeFiles } from '../src/generated-files'
import { DEMO_TASK, parseOptions, UsageError } from '../src/options'
import { createTerminalReporter, shouldColor } from '../src/terminal-reporter'
import { formatProblems } from '../src/validate-files'

describe('parseOptions', () => {
  it('has defaults that run the demo', () => {
    expect(parseOptions([])).toMatchObject({
      task: DEMO_TASK,
      customTask: false,
      out: 'codegen-out',
      stateDir: '.codegen-state',
      maxAttempts: 3,
      json: false,
      offline: false,
      offlineDelayMs: 5,
      color: undefined,
      help: false,
    })
  })

  it('takes the task from --task or the words after the options, and the last of a repeated option', () => {
    expect(parseOptions(['--json', 'a', 'CSV', 'parser']).task).toBe('a CSV parser')
    expect(parseOptions(['-t', 'a CSV parser']).customTask).toBe(true)
    expect(parseOptions(['--out', 'a', '--out', 'b']).out).toBe('b')
    expect(parseOptions(['--no-color']).color).toBe(false)
    expect(parseOptions(['--color']).color).toBe(true)
  })

  it('rejects unknown options, bad numbers and thread ids that are not file-name safe', () => {
    expect(() => parseOptions(['--nope'])).toThrow(UsageError)
    expect(() => parseOptions(['--max-attempts', '0'])).toThrow(
      /--max-attempts must be a whole number from 1 to 20/,
    )
    expect(() => parseOptions(['--offline-delay', 'fast'])).toThrow(/--offline-delay/)
    expect(() => parseOptions(['--thread', '../etc'])).toThrow(/--thread must be/)
  })
})

describe('files from a model answer', () => {
  it('reads the path from the info string or the line before the fence, and skips blocks without one', () => {
    const answer = [
      'Here you go.',
      '```ts src/a.ts',
      'export const a = 1',
      '```',
      '```python path=tools/b.py',
      'print("b")',
      '```',
      '### `src/c.ts`',
      '',
      '```ts',
      'export const c = 3',
      '```',
      'Run it with:',
      '```sh',
      'node a.js',
      '```',
    ].join('\n')
    expect(filesFromAnswer(answer)).toEqual([
      { path: 'src/a.ts', content: 'export const a = 1\n' },
      { path: 'tools/b.py', content: 'print("b")\n' },
      { path: 'src/c.ts', content: 'export const c = 3\n' },
    ])
  })

  it('merges a repair into the files by path', () => {
    const files = [
      { path: 'a.ts', content: 'broken' },
      { path: 'b.ts', content: 'fine' },
    ]
    expect(mergeFiles(files, [{ path: 'a.ts', content: 'fixed' }])).toEqual([
      { path: 'a.ts', content: 'fixed' },
      { path: 'b.ts', content: 'fine' },
    ])
  })

  it('keeps every path inside the output directory', () => {
    expect(checkRelativePath('./src/a.ts')).toEqual({ ok: true, path: 'src/a.ts' })
    expect(checkRelativePath('/etc/passwd')).toMatchObject({ ok: false, reason: 'absolute path' })
    expect(checkRelativePath('C:\\x.ts')).toMatchObject({ ok: false, reason: 'absolute path' })
    expect(checkRelativePath('src/../../x.ts')).toMatchObject({ ok: false })
    expect(checkRelativePath('a\0b')).toMatchObject({ ok: false })
  })
})

describe('output', () => {
  const problem = { path: 'a.ts', line: 2, column: 5, message: 'missing `)`', sourceLine: 'f(1, 2', caret: 4 }

  it('shows problems to the model with the line and a caret', () => {
    expect(formatProblems([problem])).toBe('a.ts:2:5 missing `)`\n    f(1, 2\n        ^')
  })

  it('colours only when asked, or on a terminal without NO_COLOR', () => {
    expect(shouldColor(undefined, { isTTY: true }, {})).toBe(true)
    expect(shouldColor(undefined, { isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(shouldColor(undefined, { isTTY: false }, {})).toBe(false)
    expect(shouldColor(true, { isTTY: false }, { NO_COLOR: '1' })).toBe(true)
    expect(shouldColor(false, { isTTY: true }, {})).toBe(false)
  })

  it('draws steps, streamed tokens and diagnostics as plain text without colour', () => {
    let text = ''
    const reporter = createTerminalReporter(
      (chunk) => {
        text += chunk
      },
      { color: false },
    )
    reporter.report({ type: 'node-start', node: 'write', step: 2 })
    reporter.report({ type: 'token', node: 'write', phase: 'write', delta: 'one\n\ntw' })
    reporter.report({ type: 'token', node: 'write', phase: 'write', delta: 'o' })
    reporter.report({
      type: 'diagnostics',
      attempt: 1,
      problems: [problem],
      unchecked: ['notes.txt'],
      next: 'repair',
    })
    expect(text).toBe(
      [
        '▸ write',
        '  │ one',
        '  │',
        '  │ two',
        '  ✗ a.ts:2:5 missing `)`',
        '      f(1, 2',
        '          ^',
        '  1 problem(s) after attempt 1: sending the diagnostics back to the model',
        '  not checked (no grammar): notes.txt',
        '',
      ].join('\n'),
    )
    expect(text).not.toContain('\u001b[')
  })

  it('prints one JSON object per line with --json', () => {
    const lines: string[] = []
    const reporter = createJsonReporter((line) => lines.push(line))
    reporter.report({ type: 'note', message: 'hi' })
    reporter.report({ type: 'fallback', from: 'a', to: 'b', reason: 'failover', code: 'unavailable' })
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { type: 'note', message: 'hi' },
      { type: 'fallback', from: 'a', to: 'b', reason: 'failover', code: 'unavailable' },
    ])
    expect(lines.every((line) => line.endsWith('}\n'))).toBe(true)
  })
})

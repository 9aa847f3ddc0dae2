import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCode } from '@ql/parser'
import { afterAll, describe, expect, it } from 'vitest'
import { CHILD_TIMEOUT_MS, eventsOf, runCli } from './run-cli'

const TEST_TIMEOUT_MS = 2 * CHILD_TIMEOUT_MS + 10_000
const scratch = mkdtempSync(join(tmpdir(), 'codegen-agent-test-'))

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the offline demo (a child process, real SDKs against the loopback fakes)', () => {
  it(
    'says it is offline, fails over, repairs the syntax error and writes files that parse clean',
    async () => {
      const out = join(scratch, 'full', 'out')
      const run = await runCli(
        ['--json', '--out', out, '--state-dir', join(scratch, 'full', 'state'), '--thread', 'full'],
        { cwd: scratch },
      )
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)

      // the first line says plainly that it runs offline
      const first = JSON.parse(run.stdout.split('\n')[0] ?? '')
      expect(first).toMatchObject({ type: 'mode', offline: true })
      expect(first.message).toMatch(/^OFFLINE: /)

      // failover: the first provider answers 503, the router retries it, then moves on
      const fallbacks = eventsOf(run, 'fallback')
      expect(fallbacks.length).toBeGreaterThan(0)
      expect(fallbacks[0]).toMatchObject({ from: 'openai', to: 'anthropic', code: 'unavailable' })
      expect(eventsOf(run, 'retry').length).toBeGreaterThan(0)

      // repair: the draft has a syntax error, the parser's diagnostic goes back, the repair is clean
      const diagnostics = eventsOf(run, 'diagnostics')
      expect(diagnostics.map((event) => event.problems.length)).toEqual([1, 0])
      expect(diagnostics[0]?.problems[0]).toMatchObject({ path: 'src/slugify.ts', line: 22 })
      expect(diagnostics[0]?.next).toBe('repair')
      const steps = eventsOf(run, 'node-start').map((event) => event.node)
      expect(steps).toEqual(['context', 'plan', 'write', 'validate', 'repair', 'validate', 'save'])
      expect(eventsOf(run, 'token').some((event) => event.phase === 'repair')).toBe(true)

      // the summary: tokens, cost, attempts, fallbacks
      const [summary] = eventsOf(run, 'summary')
      expect(summary).toMatchObject({ status: 'clean', attempts: 2, problemsPerAttempt: [1, 0], calls: 3 })
      expect(summary?.tokens.input).toBeGreaterThan(0)
      expect(summary?.tokens.output).toBeGreaterThan(0)
      expect(summary?.costUsd).toBeGreaterThan(0)
      expect(summary?.fallbacks).toBe(fallbacks.length)

      // every file it wrote parses clean
      expect(summary?.files).toEqual(['src/slugify.ts', 'src/cli.ts', 'src/slugify.test.ts'])
      for (const path of summary?.files ?? []) {
        const parsed = await parseCode(readFileSync(join(out, path), 'utf8'), { filename: path })
        try {
          expect(parsed.diagnostics, path).toEqual([])
        } finally {
          parsed.dispose()
        }
      }
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'stops on SIGINT with exit code 130, and the same --thread resumes without re-running completed steps',
    async () => {
      const dir = join(scratch, 'resume')
      const args = [
        '--json',
        '--out',
        join(dir, 'out'),
        '--state-dir',
        join(dir, 'state'),
        '--thread',
        'resume-me',
      ]
      let interrupted = false
      // slow chunks, so the write step is still streaming when the signal arrives
      const first = await runCli([...args, '--offline-delay', '20'], {
        cwd: scratch,
        onEvent: (event, child) => {
          if (!interrupted && event.type === 'token' && event.phase === 'write') {
            interrupted = true
            child.kill('SIGINT')
          }
        },
      })
      expect(interrupted).toBe(true)
      expect(first.code).toBe(130)
      expect(eventsOf(first, 'interrupted')).toEqual([expect.objectContaining({ threadId: 'resume-me' })])
      expect(eventsOf(first, 'node-end').map((event) => event.node)).toEqual(['context', 'plan'])
      expect(existsSync(join(dir, 'out'))).toBe(false) // nothing written before the save step

      const second = await runCli(args, { cwd: scratch })
      expect(second.code).toBe(0)
      expect(eventsOf(second, 'thread')).toEqual([expect.objectContaining({ resumed: true, step: 2 })])
      const steps = eventsOf(second, 'node-start').map((event) => event.node)
      expect(steps).toEqual(['write', 'validate', 'repair', 'validate', 'save'])
      expect(eventsOf(second, 'token').some((event) => event.phase === 'plan')).toBe(false)
      const [summary] = eventsOf(second, 'summary')
      expect(summary).toMatchObject({ status: 'clean', resumed: true, calls: 3, attempts: 2 })
    },
    TEST_TIMEOUT_MS,
  )
})

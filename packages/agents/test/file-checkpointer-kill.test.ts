import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approvalGraph } from './fixtures/approval-graph'
import { countingGraph, STEPS } from './fixtures/counting-graph'

const root = mkdtempSync(join(tmpdir(), 'ql-agents-kill-'))
const script = join(root, 'counting-graph.mjs')
const approvalScript = join(root, 'approval-graph.mjs')

beforeAll(async () => {
  // the children run the same graphs from source, bundled once (Node 20 cannot run .ts itself)
  for (const [name, outfile] of [
    ['counting-graph.ts', script],
    ['approval-graph.ts', approvalScript],
  ] as const) {
    await build({
      entryPoints: [join(import.meta.dirname, 'fixtures', name)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@ql/source'],
      outfile,
      logLevel: 'silent',
    })
  }
}, 60_000)
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Starts the child and resolves once it printed `step <k>`: it is then inside that step. */
function runUntil(directory: string, threadId: string, hangAt: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script, directory, threadId, String(hangAt)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes(`step ${hangAt}\n`)) resolve(child)
    })
    child.on('exit', (code) =>
      reject(new Error(`the child exited (${code}) before step ${hangAt}:\n${output}`)),
    )
  })
}

function killed(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    child.on('exit', (_code, signal) => resolve(signal))
    child.kill('SIGKILL')
  })
}

describe('file checkpointer under SIGKILL', () => {
  it.each([1, 17, 39])(
    'a run killed in step %i resumes in another process from the last completed step: no step lost, none applied twice',
    async (hangAt) => {
      const directory = join(root, `store-${hangAt}`)
      const child = await runUntil(directory, 'thread', hangAt)
      expect(await killed(child)).toBe('SIGKILL')

      const graph = countingGraph(directory)
      const before = await graph.getState('thread')
      expect(before).toMatchObject({ status: 'stopped', step: hangAt, state: { n: hangAt } })

      const result = await graph.resume('thread')
      expect(result.status).toBe('done')
      expect(result.state.n).toBe(STEPS)
      // every step applied exactly once, in order
      expect(result.state.seen).toEqual(Array.from({ length: STEPS }, (_, step) => step))
      const history = await graph.history('thread')
      expect(history.map((checkpoint) => checkpoint.step)).toEqual(
        Array.from({ length: STEPS + 1 }, (_, k) => k),
      )
      // a write the kill interrupted leaves at most a temporary file, never a segment
      const files = readdirSync(join(directory, 't-thread'))
      expect(files.filter((name) => !name.startsWith('.tmp-') && !/^\d{12}\.jsonl$/.test(name))).toEqual([])
    },
    60_000,
  )
})

describe('interrupt in one process, resume in another', () => {
  it('a run interrupted in a child process is resumed here with the answer', async () => {
    const directory = join(root, 'approval')
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [approvalScript, directory, 'hitl'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let text = ''
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString()
      })
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`child exited ${code}`))))
    })
    const paused = JSON.parse(output) as { status: string; interrupts: { payload: unknown }[] }
    expect(paused.status).toBe('interrupted')
    expect(paused.interrupts[0]?.payload).toEqual({ question: 'ship?' })

    const done = await approvalGraph(directory).resume('hitl', 'yes')
    expect(done.status).toBe('done')
    const [drafted, answered] = done.state.log
    expect(drafted).toMatch(/^drafted by \d+$/)
    expect(drafted).not.toBe(`drafted by ${process.pid}`)
    expect(answered).toBe(`answer yes in ${process.pid}`)
  }, 60_000)
})

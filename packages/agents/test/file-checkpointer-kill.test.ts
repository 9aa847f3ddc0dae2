import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countingGraph, STEPS } from './fixtures/counting-graph'

const root = mkdtempSync(join(tmpdir(), 'ql-agents-kill-'))
const script = join(root, 'counting-graph.mjs')

beforeAll(async () => {
  // the child runs the same graph from source, bundled once (Node 20 cannot run .ts itself)
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures', 'counting-graph.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@ql/source'],
    outfile: script,
    logLevel: 'silent',
  })
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

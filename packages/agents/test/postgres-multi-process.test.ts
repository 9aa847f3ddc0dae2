// Three host processes share one PostgreSQL database: a run killed with SIGKILL mid-step in one
// resumes in another, and two processes racing to resume one thread cannot both write it.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresCheckpointer, type PostgresCheckpointer } from '../src/postgres/index'
import { postgresCountingGraph, STEPS } from './fixtures/postgres-counting-graph'
import { describeWithPostgres, dropSchema, POSTGRES_URL, randomSchema } from './fixtures/postgres-server'

const root = mkdtempSync(join(tmpdir(), 'ql-agents-pg-'))
const script = join(root, 'postgres-counting-graph.mjs')
const schema = randomSchema()
let pool: pg.Pool
let checkpointer: PostgresCheckpointer

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 })
  checkpointer = createPostgresCheckpointer({ pool }, { schema })
  // the children run the graph from source, bundled once (Node 20 cannot run .ts itself)
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures', 'postgres-counting-graph.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@ql/source'],
    // pg is CommonJS: give its require() calls a real require in the ESM bundle
    banner: {
      js: "import { createRequire as __qlRequire } from 'node:module'; const require = __qlRequire(import.meta.url);",
    },
    external: ['pg-native'],
    outfile: script,
    logLevel: 'silent',
  })
}, 120_000)
afterAll(async () => {
  rmSync(root, { recursive: true, force: true })
  if (pool !== undefined) {
    await dropSchema(pool, schema).catch(() => {})
    await pool.end()
  }
})

interface Child {
  process: ChildProcess
  /** Resolves when the child printed `step <k>`. */
  reached(step: number): Promise<void>
  /** Resolves with the child's last line (`result ...` or `error ...`) when it exits. */
  finished: Promise<string>
}

function start(threadId: string, mode: 'run' | 'resume', pauseAt: number, how: 'hang' | 'gate'): Child {
  const child = spawn(
    process.execPath,
    [script, POSTGRES_URL, schema, threadId, mode, String(pauseAt), how],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  let output = ''
  const waiters: { step: number; resolve: () => void }[] = []
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    for (const waiter of waiters) if (new RegExp(`^step ${waiter.step} `, 'm').test(output)) waiter.resolve()
  })
  const finished = new Promise<string>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      const last = output.trim().split('\n').at(-1) ?? ''
      if (signal === 'SIGKILL' || last.startsWith('result ') || last.startsWith('error ')) resolve(last)
      else reject(new Error(`the child exited (${code ?? signal}) without a result:\n${output}`))
    })
  })
  return {
    process: child,
    finished,
    reached: (step) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ step, resolve })
        child.stdout?.emit('data', Buffer.alloc(0))
        finished.then(() => reject(new Error(`the child ended before step ${step}:\n${output}`)), reject)
      }),
  }
}

async function kill(child: Child): Promise<void> {
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.process.on('exit', (_code, signal) => resolve(signal)),
  )
  child.process.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')
}

/** Every step in the thread's log exactly once, in order, and the counter at the end. */
async function expectEveryStepOnce(threadId: string): Promise<void> {
  const graph = postgresCountingGraph(checkpointer)
  const history = await graph.history(threadId)
  expect(history.map((checkpoint) => checkpoint.step)).toEqual(Array.from({ length: STEPS + 1 }, (_, k) => k))
  const state = await graph.getState(threadId)
  expect(state).toMatchObject({ status: 'done', state: { n: STEPS } })
  expect(state?.state.seen).toEqual(Array.from({ length: STEPS }, (_, step) => step))
}

describeWithPostgres('PostgreSQL checkpointer across processes', () => {
  it('a run SIGKILLed mid-step in one process resumes in a second, is killed again, and finishes in a third: no step lost or doubled', async () => {
    const first = start('killed-twice', 'run', 13, 'hang')
    await first.reached(13)
    await kill(first)
    const stopped = await postgresCountingGraph(checkpointer).getState('killed-twice')
    expect(stopped).toMatchObject({ status: 'stopped', step: 13, state: { n: 13 } })

    const second = start('killed-twice', 'resume', 27, 'hang')
    await second.reached(27)
    await kill(second)
    expect(await postgresCountingGraph(checkpointer).getState('killed-twice')).toMatchObject({
      step: 27,
      state: { n: 27 },
    })

    const third = start('killed-twice', 'resume', -1, 'hang')
    const last = await third.finished
    expect(last.startsWith('result ')).toBe(true)
    expect(JSON.parse(last.slice('result '.length))).toMatchObject({ status: 'done', state: { n: STEPS } })
    await expectEveryStepOnce('killed-twice')
  }, 120_000)

  it('two processes racing to resume one thread: exactly one wins, the other gets CheckpointConflictError', async () => {
    const first = start('raced', 'run', 5, 'hang')
    await first.reached(5)
    await kill(first)

    // both resume from the same log and stand inside step 5 before either writes it
    const a = start('raced', 'resume', 5, 'gate')
    const b = start('raced', 'resume', 5, 'gate')
    await Promise.all([a.reached(5), b.reached(5)])
    a.process.stdin?.end('go\n')
    b.process.stdin?.end('go\n')
    const outcomes = await Promise.all([a.finished, b.finished])

    const won = outcomes.filter((line) => line.startsWith('result '))
    const lost = outcomes.filter((line) => line.startsWith('error '))
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(JSON.parse((won[0] as string).slice('result '.length))).toMatchObject({
      status: 'done',
      state: { n: STEPS },
    })
    expect(JSON.parse((lost[0] as string).slice('error '.length))).toMatchObject({
      name: 'CheckpointConflictError',
      code: 'checkpoint_conflict',
    })
    await expectEveryStepOnce('raced')
  }, 120_000)
})

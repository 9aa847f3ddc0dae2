// Checkpoint stores side by side: a 1,000-node chain run on @ql/agents with no checkpointer, the
// in-memory one, the file one (fsync per step) and the PostgreSQL one (a real server over TCP,
// one transaction per step), with the default `sync` durability (each step's checkpoint is written
// before the next step starts) and, for the shared stores, `async`. Rounds are interleaved; each
// figure is the median over rounds. See README.md.
//
//   cd bench && pnpm run bench:stores                 (5 rounds)
//   cd bench && pnpm run bench:stores --quick         (2 rounds)
//   QL_BENCH_POSTGRES_URL=postgres://... pnpm run bench:stores   (default: QL_TEST_POSTGRES_URL, then
//   postgres://postgres@127.0.0.1:5432/test)

import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import {
  type Checkpointer,
  type CheckpointRecord,
  createFileCheckpointer,
  createGraph,
  createMemoryCheckpointer,
  type Durability,
  END,
  START,
} from '@ql/agents'
import { createPostgresCheckpointer, type PostgresCheckpointer } from '@ql/agents/postgres'
import { z } from 'zod/v4'

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' } },
})
const rounds = Number(flags.rounds ?? (flags.quick ? 2 : 5))
const N = 1_000
const postgresUrl =
  process.env.QL_BENCH_POSTGRES_URL ||
  process.env.QL_TEST_POSTGRES_URL ||
  'postgres://postgres@127.0.0.1:5432/test'

/** Times every append: in `sync` durability the step waits for it, so it is the step's overhead. */
function timed(store: Checkpointer): Checkpointer & { latencies: number[] } {
  const latencies: number[] = []
  return {
    latencies,
    read: (id) => store.read(id),
    delete: (id) => store.delete(id),
    async append(id: string, expected: number, records: readonly CheckpointRecord[]) {
      const start = performance.now()
      await store.append(id, expected, records)
      latencies.push(performance.now() - start)
    },
  }
}

function chain(checkpointer: Checkpointer | undefined, durability: Durability) {
  let builder = createGraph({ state: z.object({ n: z.number() }), name: `chain-${N}` })
  for (let i = 0; i < N; i++) {
    builder = builder.addNode(`n${i}`, (state) => ({ n: state.n + 1 }))
    builder = builder.addEdge(i === 0 ? START : `n${i - 1}`, `n${i}`)
  }
  return builder.addEdge(`n${N - 1}`, END).compile({
    stepLimit: N + 10,
    durability,
    ...(checkpointer ? { checkpointer } : {}),
  })
}

interface Case {
  label: string
  durability: Durability
  store: () => Checkpointer | undefined
}

const fileRoot = mkdtempSync(join(tmpdir(), 'ql-bench-stores-'))
const schema = `ql_bench_${randomBytes(4).toString('hex')}`
let postgres: PostgresCheckpointer | undefined
/** The same tables through connections with synchronous_commit=off: commits return before the WAL flush. */
let postgresLazyCommit: PostgresCheckpointer | undefined
let postgresSkipped: string | undefined
try {
  postgres = createPostgresCheckpointer(
    { connectionString: postgresUrl, poolConfig: { max: 4, connectionTimeoutMillis: 5_000 } },
    { schema },
  )
  await postgres.migrate()
  postgresLazyCommit = createPostgresCheckpointer(
    { connectionString: postgresUrl, poolConfig: { max: 4, options: '-c synchronous_commit=off' } },
    { schema },
  )
} catch (error) {
  postgresSkipped = error instanceof Error ? error.message : String(error)
  await postgres?.close()
  postgres = undefined
}

const cases: Case[] = [
  { label: 'none', durability: 'sync', store: () => undefined },
  { label: 'memory', durability: 'sync', store: () => createMemoryCheckpointer() },
  { label: 'file (fsync per step)', durability: 'sync', store: () => createFileCheckpointer(fileRoot) },
  {
    label: 'file (fsync per step), async',
    durability: 'async',
    store: () => createFileCheckpointer(fileRoot),
  },
]
if (postgres !== undefined) {
  const shared = postgres
  cases.push(
    { label: 'PostgreSQL', durability: 'sync', store: () => shared },
    { label: 'PostgreSQL, async', durability: 'async', store: () => shared },
  )
  const lazy = postgresLazyCommit as PostgresCheckpointer
  cases.push({ label: 'PostgreSQL, synchronous_commit=off', durability: 'sync', store: () => lazy })
}

interface Sample {
  msPerStep: number
  writesPerSecond: number
  mean: number
  p50: number
  p99: number
}
const samples = new Map<string, Sample[]>(cases.map((c) => [c.label, []]))
let thread = 0

console.log(
  `${N}-node chain, ${rounds} rounds, Node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
)
if (postgresSkipped !== undefined) console.log(`PostgreSQL skipped: ${postgresSkipped}`)

// one warm-up run each (JIT, the server's plan cache), then the measured rounds
for (const round of [-1, ...Array.from({ length: rounds }, (_, r) => r)]) {
  for (const c of cases) {
    const inner = c.store()
    const store = inner === undefined ? undefined : timed(inner)
    const graph = chain(store, c.durability)
    const threadId = `bench-${process.pid}-${thread++}`
    const start = performance.now()
    const result = await graph.run({ n: 0 }, store ? { threadId } : {})
    const elapsed = performance.now() - start
    if (result.state.n !== N) throw new Error(`${c.label}: the chain counted ${result.state.n}, not ${N}`)
    if (round < 0) continue
    const latencies = [...(store?.latencies ?? [])].sort((a, b) => a - b)
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0
    samples.get(c.label)?.push({
      msPerStep: elapsed / N,
      writesPerSecond: latencies.length / (elapsed / 1000),
      mean: latencies.reduce((sum, x) => sum + x, 0) / Math.max(1, latencies.length),
      p50: at(0.5),
      p99: at(0.99),
    })
    await inner?.delete(threadId)
  }
}

/** The round whose time per step is the median: every column of a row comes from that one round. */
const medianRound = (list: Sample[]) =>
  [...list].sort((a, b) => a.msPerStep - b.msPerStep)[Math.floor(list.length / 2)] as Sample
const baseline = medianRound(samples.get('none') ?? []).msPerStep
console.table(
  cases.map((c) => {
    const s = medianRound(samples.get(c.label) ?? [])
    const none = c.label === 'none'
    return {
      store: c.label,
      durability: c.durability,
      'µs per step': (s.msPerStep * 1000).toFixed(1),
      'vs none': none ? '' : `${(s.msPerStep / baseline).toFixed(1)}×`,
      'checkpoint writes/s': none ? '' : s.writesPerSecond.toFixed(0),
      'write mean ms': none ? '' : s.mean.toFixed(3),
      'write p50 ms': none ? '' : s.p50.toFixed(3),
      'write p99 ms': none ? '' : s.p99.toFixed(3),
    }
  }),
)
console.log('write p50/p99: one checkpoint write (append); with sync durability every step waits for it.')

// the stores alone: appends of one step record, one thread after another, and 8 threads at once
const record = (step: number): CheckpointRecord => ({
  type: 'step',
  step,
  writes: [{ id: `${step}:n:0`, node: 'n', update: { n: step + 1 } }],
  next: [{ id: `${step + 1}:n:0`, node: 'n' }],
  at: Date.now(),
})
async function appendsPerSecond(store: Checkpointer, threads: number, perThread: number): Promise<number> {
  const prefix = `alone-${process.pid}-${thread++}`
  const start = performance.now()
  await Promise.all(
    Array.from({ length: threads }, async (_, t) => {
      for (let i = 0; i < perThread; i++) await store.append(`${prefix}-${t}`, i, [record(i)])
    }),
  )
  const elapsed = performance.now() - start
  for (let t = 0; t < threads; t++) await store.delete(`${prefix}-${t}`)
  return (threads * perThread) / (elapsed / 1000)
}
const alone: Record<string, string>[] = []
const stores: [string, () => Checkpointer][] = [
  ['memory', () => createMemoryCheckpointer()],
  ['file (fsync per step)', () => createFileCheckpointer(fileRoot)],
]
if (postgres !== undefined) {
  const shared = postgres
  stores.push(['PostgreSQL', () => shared])
}
for (const [label, make] of stores) {
  const one: number[] = []
  const eight: number[] = []
  for (let r = 0; r < rounds; r++) {
    one.push(await appendsPerSecond(make(), 1, 500))
    eight.push(await appendsPerSecond(make(), 8, 125))
  }
  const mid = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  alone.push({
    store: label,
    'appends/s, 1 thread': mid(one).toFixed(0),
    'appends/s, 8 threads at once': mid(eight).toFixed(0),
  })
}
console.table(alone)

rmSync(fileRoot, { recursive: true, force: true })
if (postgres !== undefined) {
  await postgres.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await postgres.close()
  await postgresLazyCommit?.close()
}

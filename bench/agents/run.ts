// @ql/agents against LangGraph.js 1.7 and a plain async loop (the floor), side by side in one
// process: a 1,000-node chain (without a checkpointer, with the in-memory one, with the file
// one), a 1,000-way fan-out + fan-in, the chain at 100 / 1,000 / 10,000 nodes (cost per step must
// not grow with the graph), and checkpoint bytes per step. Rounds are interleaved; each figure is
// the median over rounds of CPU time per step (process.cpuUsage: steadier than wall time on a
// busy machine). See README.md.
//
//   cd bench && pnpm run bench:agents            (5 rounds)
//   cd bench && pnpm run bench:agents --quick    (2 rounds, smaller LangGraph runs)

import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  type Checkpointer,
  type CheckpointRecord,
  createFileCheckpointer,
  createMemoryCheckpointer,
} from '@ql/agents'
import {
  langGraphChain,
  langGraphFanOut,
  MemorySaver,
  memorySaverBytes,
  plainChain,
  plainFanOut,
  qlChain,
  qlFanOut,
  type Runner,
} from './graphs'

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' } },
})
const rounds = Number(flags.rounds ?? (flags.quick ? 2 : 5))

interface Case {
  group: string
  label: string
  steps: number
  /** How many runs make one measurement (more for the fast ones, so timer noise does not dominate). */
  runs: number
  expected: number
  make: () => Runner
}

const N = 1_000
let thread = 0
const fileRoot = mkdtempSync(join(tmpdir(), 'ql-bench-agents-'))

function counting(store: Checkpointer): Checkpointer & { bytes: number } {
  const wrapper = {
    bytes: 0,
    read: (id: string) => store.read(id),
    delete: (id: string) => store.delete(id),
    append: (id: string, expected: number, records: readonly CheckpointRecord[]) => {
      for (const record of records) wrapper.bytes += Buffer.byteLength(JSON.stringify(record))
      return store.append(id, expected, records)
    },
  }
  return wrapper
}

const cases: Case[] = [
  { group: `chain ${N}`, label: 'plain loop', steps: N, runs: 200, expected: N, make: () => plainChain(N) },
  { group: `chain ${N}`, label: '@ql/agents', steps: N, runs: 50, expected: N, make: () => qlChain(N) },
  {
    group: `chain ${N}`,
    label: 'LangGraph.js',
    steps: N,
    runs: flags.quick ? 1 : 2,
    expected: N,
    make: () => langGraphChain(N),
  },
  {
    group: `chain ${N} + memory checkpointer`,
    label: '@ql/agents',
    steps: N,
    runs: 10,
    expected: N,
    make: () => qlChain(N, createMemoryCheckpointer()),
  },
  {
    group: `chain ${N} + memory checkpointer`,
    label: 'LangGraph.js',
    steps: N,
    runs: 1,
    expected: N,
    make: () => langGraphChain(flags.quick ? 200 : N, new MemorySaver()),
  },
  {
    group: `chain ${N} + file checkpointer (fsync per step)`,
    label: '@ql/agents',
    steps: 100,
    runs: 1,
    expected: 100,
    make: () => qlChain(100, createFileCheckpointer(join(fileRoot, String(thread++)))),
  },
  {
    group: `fan-out ${N} + fan-in`,
    label: 'plain loop',
    steps: N + 2,
    runs: 200,
    expected: N * (N - 1),
    make: () => plainFanOut(N),
  },
  {
    group: `fan-out ${N} + fan-in`,
    label: '@ql/agents',
    steps: N + 2,
    runs: 20,
    expected: N * (N - 1),
    make: () => qlFanOut(N),
  },
  {
    group: `fan-out ${N} + fan-in`,
    label: 'LangGraph.js',
    steps: N + 2,
    runs: 1,
    expected: N * (N - 1),
    make: () => langGraphFanOut(N),
  },
  ...[100, 1_000, 10_000].map((nodes) => ({
    group: 'graph size (chain)',
    label: `@ql/agents ${nodes.toLocaleString('en')} nodes`,
    steps: nodes,
    runs: Math.max(2, 20_000 / nodes),
    expected: nodes,
    make: () => qlChain(nodes),
  })),
]
// the LangGraph memory-checkpointer chain is shortened in --quick mode
for (const item of cases)
  if (item.group.includes('memory') && item.label === 'LangGraph.js' && flags.quick) {
    item.steps = 200
    item.expected = 200
  }

async function measure(item: Case, runner: Runner): Promise<number> {
  // one warm-up run (JIT, lazy loads), then the timed runs
  const check = await runner(`warm-${thread++}`)
  if (check !== item.expected)
    throw new Error(`${item.group} / ${item.label}: got ${check}, expected ${item.expected}`)
  const before = process.cpuUsage()
  for (let run = 0; run < item.runs; run++) await runner(`t-${thread++}`)
  const used = process.cpuUsage(before)
  return (used.user + used.system) / item.runs / item.steps
}

const samples = new Map<Case, number[]>()
const runners = new Map<Case, Runner>()
for (const item of cases) {
  runners.set(item, item.make())
  samples.set(item, [])
}
console.log(
  `@ql/agents bench: ${rounds} rounds, Node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
for (let round = 0; round < rounds; round++) {
  // interleaved: every case once per round, in a rotating order
  const order = cases.map((_, index) => cases[(index + round) % cases.length] as Case)
  for (const item of order)
    (samples.get(item) as number[]).push(await measure(item, runners.get(item) as Runner))
  process.stderr.write(`round ${round + 1}/${rounds} done\n`)
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
const groups = [...new Set(cases.map((item) => item.group))]
console.log(
  '\nCPU µs per step (median over rounds); ratio = LangGraph.js / @ql/agents, floor = @ql/agents / plain loop\n',
)
console.log('| case | implementation | µs per step | vs LangGraph.js | vs plain loop |')
console.log('|---|---|---:|---:|---:|')
for (const group of groups) {
  const members = cases.filter((item) => item.group === group)
  const ours = members.find((item) => item.label === '@ql/agents')
  const langGraph = members.find((item) => item.label === 'LangGraph.js')
  const plain = members.find((item) => item.label === 'plain loop')
  for (const item of members) {
    const value = median(samples.get(item) as number[])
    const vsLangGraph =
      langGraph && item === ours
        ? `${(median(samples.get(langGraph) as number[]) / value).toFixed(0)}× faster`
        : ''
    const vsPlain =
      plain && item === ours ? `${(value / median(samples.get(plain) as number[])).toFixed(1)}×` : ''
    console.log(`| ${group} | ${item.label} | ${value.toFixed(2)} | ${vsLangGraph} | ${vsPlain} |`)
  }
}

// checkpoint bytes per step, independent of graph size for us; LangGraph's grow with the graph
console.log('\nCheckpoint bytes written per step (a chain whose state is one integer)\n')
console.log('| nodes | @ql/agents (memory) | LangGraph.js MemorySaver |')
console.log('|---:|---:|---:|')
for (const nodes of [100, 1_000]) {
  const store = counting(createMemoryCheckpointer())
  await qlChain(nodes, store)(`bytes-${nodes}`)
  const saver = new MemorySaver()
  const lgNodes = flags.quick ? Math.min(nodes, 200) : nodes
  await langGraphChain(lgNodes, saver)(`bytes-${nodes}`)
  console.log(
    `| ${nodes} | ${(store.bytes / nodes).toFixed(0)} | ${(memorySaverBytes(saver) / lgNodes).toFixed(0)}${lgNodes !== nodes ? ` (at ${lgNodes} nodes)` : ''} |`,
  )
}
rmSync(fileRoot, { recursive: true, force: true })

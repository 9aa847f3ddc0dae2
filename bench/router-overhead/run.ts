// What @ql/router's adapters cost on top of the official SDKs they are built on, side by side
// with the Vercel AI SDK 6, in one process against a loopback server of the bench's own. See
// README.md.
//
//   cd bench && pnpm run bench:router-overhead              (2,000 calls × 5 rounds)
//   cd bench && pnpm run bench:router-overhead --quick      (300 calls × 3 rounds)
//   cd bench && pnpm run bench:router-overhead --profile    (our stream path under the profiler)

import { execFileSync, fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  CLIENT_LABELS,
  CLIENTS,
  type ClientName,
  createVariants,
  MODES,
  type Mode,
  PROVIDERS,
  type Provider,
  type Variant,
} from './clients'
import { latencyRun, median, type RoundResult, throughputRun, verify } from './measure'
import { profileVariants } from './profile'

const here = dirname(fileURLToPath(import.meta.url))
const workspaceRoot = join(here, '..', '..')
const resultsDirectory = join(here, 'results')

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    calls: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string', default: '64' },
    providers: { type: 'string', default: PROVIDERS.join(',') },
    modes: { type: 'string', default: MODES.join(',') },
    profile: { type: 'boolean', default: false },
    'profile-client': { type: 'string', default: 'ours' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})

if (flags.help) {
  console.log(`usage: pnpm run bench:router-overhead [--quick] [--calls N] [--rounds N] [--warmup N]
       [--concurrency N] [--providers openai,anthropic,bedrock] [--modes generate,stream]
       [--out results/latest.json] [--profile [--profile-client ours|raw|ai-sdk]]`)
  process.exit(0)
}

const positive = (name: string, value: string | undefined, fallback: number) => {
  const number = value === undefined ? fallback : Number(value)
  if (!Number.isInteger(number) || number <= 0)
    throw new Error(`--${name} must be a positive integer, got ${value}`)
  return number
}
const calls = positive('calls', flags.calls, flags.quick ? 300 : 2000)
const rounds = positive('rounds', flags.rounds, flags.quick ? 3 : 5)
const warmup = positive('warmup', flags.warmup, Math.min(calls, flags.quick ? 200 : 500))
const concurrency = positive('concurrency', flags.concurrency, 64)
const pick = <T extends string>(name: string, value: string, all: readonly T[]): T[] =>
  value.split(',').map((item) => {
    if (!all.includes(item as T))
      throw new Error(`--${name}: unknown ${JSON.stringify(item)} (one of ${all.join(', ')})`)
    return item as T
  })
const providers = pick('providers', flags.providers, PROVIDERS)
const modes = pick('modes', flags.modes, MODES)
const profileClient = pick('profile-client', flags['profile-client'], CLIENTS)[0] as ClientName

/** The commit measured, and whether the packages' sources differ from it (others' work in progress). */
function describeCheckout(): { commit: string; uncommitted: string[] } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: workspaceRoot, encoding: 'utf8' }).trim()
  try {
    return {
      commit: git('log', '--oneline', '-1'),
      uncommitted: git('status', '--porcelain', '--', 'packages/provider/src', 'packages/router/src')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.slice(3)),
    }
  } catch {
    return { commit: 'unknown (no git)', uncommitted: [] }
  }
}

/** Forks the bench server (bench-server.ts) and resolves with its origin and a way to stop it. */
async function startServer() {
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof') && arg !== '--expose-gc')
  const child = fork(join(here, 'bench-server.ts'), [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code} before listening`)))
    child.once('message', (message) => resolve((message as { port: number }).port))
  })
  child.removeAllListeners('exit')
  return {
    origin: `http://127.0.0.1:${port}`,
    requests: () =>
      new Promise<number>((resolve) => {
        child.once('message', (message) => resolve((message as { requests: number }).requests))
        child.send('count')
      }),
    stop: () => child.kill(),
  }
}

/** One provider × mode with its clients' rounds. */
interface Group {
  provider: Provider
  mode: Mode
  variants: Variant[]
  rounds: Map<ClientName, RoundResult[]>
}

/** Summary of one client in a group: medians over rounds, and per-round ratios to the raw SDK. */
interface ClientSummary {
  client: ClientName
  p50Us: number
  p99Us: number
  /** Median over rounds of (this client's p50 − the raw SDK's p50 in the same round). */
  addedP50Us: number
  /** Median over rounds of (this client's p50 − our adapter's p50 in the same round): what a router adds. */
  overAdapterP50Us: number
  callsPerSecond: number
  /** Median over rounds of this client's throughput / the raw SDK's in the same round. */
  throughputRatio: number
  cpuUsPerCall: number
  /** Median over rounds of this client's CPU per call / the raw SDK's in the same round. */
  cpuRatio: number
  cpuUsPerCallConcurrent: number
}

function summarize(group: Group): ClientSummary[] {
  const raw = group.rounds.get('raw') ?? []
  const adapter = group.rounds.get('ours') ?? []
  return CLIENTS.map((client) => {
    const own = group.rounds.get(client) ?? []
    const perRound = (f: (mine: RoundResult, base: RoundResult) => number) =>
      median(own.map((mine, i) => f(mine, raw[i] as RoundResult)))
    return {
      client,
      p50Us: median(own.map((r) => r.p50Us)),
      p99Us: median(own.map((r) => r.p99Us)),
      addedP50Us: perRound((mine, base) => mine.p50Us - base.p50Us),
      overAdapterP50Us: median(own.map((mine, i) => mine.p50Us - (adapter[i] as RoundResult).p50Us)),
      callsPerSecond: median(own.map((r) => r.callsPerSecond)),
      throughputRatio: perRound((mine, base) => mine.callsPerSecond / base.callsPerSecond),
      cpuUsPerCall: median(own.map((r) => r.cpuUsPerCall)),
      cpuRatio: perRound((mine, base) => mine.cpuUsPerCall / base.cpuUsPerCall),
      cpuUsPerCallConcurrent: median(own.map((r) => r.cpuUsPerCallConcurrent)),
    }
  })
}

function printTable(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)))
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`
  console.log(format(header))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const line of lines) console.log(format(line))
}

const us = (value: number) => `${Math.round(value)} µs`
const signedUs = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(Math.round(value))} µs`
const ratio = (value: number) => `${value.toFixed(2)}×`

/**
 * The issues' bars in one group: our adapter adds ≤ 50 µs p50 to the raw SDK, keeps ≥ 0.95× its
 * throughput and is ahead of the AI SDK; `createRouter` adds ≤ 20 µs p50 to the adapter, and the
 * whole stack (router over adapter) is still ahead of the AI SDK.
 */
function bars(summaries: ClientSummary[]) {
  const find = (client: ClientName) => summaries.find((s) => s.client === client) as ClientSummary
  const ours = find('ours')
  const aiSdk = find('ai-sdk')
  const routers = [find('router-1'), find('router-3')]
  return {
    addedP50: ours.addedP50Us <= 50,
    throughput: ours.throughputRatio >= 0.95,
    aheadOfAiSdk: ours.p50Us < aiSdk.p50Us && ours.callsPerSecond > aiSdk.callsPerSecond,
    routerAddedP50: routers.every((router) => router.overAdapterP50Us <= 20),
    routerAheadOfAiSdk: routers.every(
      (router) => router.p50Us < aiSdk.p50Us && router.callsPerSecond > aiSdk.callsPerSecond,
    ),
  }
}

/**
 * Writes results/latest.json: settings, checkout, and per group the summaries, the bars and every
 * round's raw numbers. Written after every round too (`roundsDone` says how many), so a run cut
 * short still leaves its rounds so far.
 */
function writeResults(run: {
  checkout: ReturnType<typeof describeCheckout>
  loadAverage: { start: number[]; end?: number[] }
  roundsDone: number
  requests?: { server: number; calls: number }
  groups: Group[]
}): string {
  const file = flags.out === undefined ? join(resultsDirectory, 'latest.json') : resolve(flags.out)
  mkdirSync(dirname(file), { recursive: true })
  const results = run.groups.map((group) => {
    const summaries = summarize(group)
    return {
      provider: group.provider,
      mode: group.mode,
      bars: bars(summaries),
      clients: summaries,
      rounds: Object.fromEntries(group.rounds),
    }
  })
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    checkout: run.checkout,
    settings: { calls, rounds, warmup, concurrency, providers, modes },
    roundsDone: run.roundsDone,
    loadAverage: run.loadAverage,
    requests: run.requests,
    results,
  }
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`)
  return file
}

async function main(): Promise<void> {
  ;(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false
  const checkout = describeCheckout()
  const loadStart = loadavg()
  const server = await startServer()
  let callsMade = 0
  try {
    const all = createVariants(server.origin).filter(
      (v) => providers.includes(v.provider) && modes.includes(v.mode),
    )
    for (const variant of all) {
      await verify(variant)
      callsMade++
    }

    if (flags.profile) {
      mkdirSync(resultsDirectory, { recursive: true })
      const targets = all.filter((v) => v.client === profileClient && v.mode === 'stream')
      const summaries = await profileVariants(targets, { calls, warmup, directory: resultsDirectory })
      for (const summary of summaries) {
        console.log(
          `\n${summary.variant}: ${summary.calls} calls at concurrency 1 (${summary.file}); self time in packages/provider+router: ${summary.oursUsPerCall.toFixed(1)} µs per call`,
        )
        console.log('top self time, all frames:')
        printTable(
          ['frame', 'µs/call', '%'],
          summary.top.map((f) => [f.frame, f.usPerCall.toFixed(1), f.percent.toFixed(1)]),
        )
        console.log('top self time, ours (packages/provider, packages/router):')
        printTable(
          ['frame', 'µs/call', '%'],
          summary.ours.map((f) => [f.frame, f.usPerCall.toFixed(1), f.percent.toFixed(1)]),
        )
      }
      writeFileSync(
        join(resultsDirectory, 'profile.json'),
        `${JSON.stringify({ checkout, summaries }, null, 2)}\n`,
      )
      return
    }

    console.log(
      `router overhead bench — Node ${process.version}, ${calls} calls × ${rounds} rounds (warm-up ${warmup}), concurrency 1 and ${concurrency}; load average ${loadStart.map((l) => l.toFixed(1)).join(' ')}`,
    )
    console.log(
      `measuring ${checkout.commit}${checkout.uncommitted.length === 0 ? '' : ` + uncommitted changes in ${checkout.uncommitted.length} file(s) of packages/provider|router/src`}`,
    )

    const groups: Group[] = []
    for (const provider of providers) {
      for (const mode of modes) {
        const variants = CLIENTS.map(
          (client) =>
            all.find((v) => v.provider === provider && v.mode === mode && v.client === client) as Variant,
        )
        groups.push({ provider, mode, variants, rounds: new Map(CLIENTS.map((c) => [c, []])) })
      }
    }

    for (const group of groups) {
      for (const variant of group.variants) {
        await latencyRun(variant, warmup)
        await throughputRun(variant, warmup, concurrency)
        callsMade += 2 * warmup
      }
    }

    for (let round = 0; round < rounds; round++) {
      const started = performance.now()
      for (const group of groups) {
        // interleaved, and rotated each round so no client always runs right after another
        const order = group.variants.map(
          (_, i) => group.variants[(i + round) % group.variants.length] as Variant,
        )
        const results = new Map<ClientName, Partial<RoundResult>>()
        for (const variant of order) results.set(variant.client, await latencyRun(variant, calls))
        for (const variant of order) {
          Object.assign(
            results.get(variant.client) as object,
            await throughputRun(variant, calls, concurrency),
          )
        }
        for (const [client, result] of results) group.rounds.get(client)?.push(result as RoundResult)
        callsMade += 2 * calls * order.length
      }
      writeResults({ checkout, loadAverage: { start: loadStart }, roundsDone: round + 1, groups })
      console.log(
        `round ${round + 1}/${rounds} done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      )
    }

    const requests = await server.requests()
    const loadEnd = loadavg()

    const report = groups.map((group) => {
      const summaries = summarize(group)
      return {
        provider: group.provider,
        mode: group.mode,
        summaries,
        bars: bars(summaries),
        rounds: group.rounds,
      }
    })

    console.log(
      `\nper call: p50 latency at concurrency 1, added p50 over the raw SDK, calls/s at concurrency ${concurrency}, client CPU per call at concurrency 1; medians over ${rounds} rounds of ${calls} calls (ratios and added µs: medians of per-round values)`,
    )
    printTable(
      [
        'provider',
        'mode',
        'client',
        'p50',
        'added p50',
        `calls/s @${concurrency}`,
        '× raw',
        'CPU/call',
        '× raw ',
      ],
      report.flatMap(({ provider, mode, summaries }) =>
        summaries.map((s) => [
          provider,
          mode,
          CLIENT_LABELS[s.client],
          us(s.p50Us),
          s.client === 'raw' ? '' : signedUs(s.addedP50Us),
          Math.round(s.callsPerSecond).toString(),
          ratio(s.throughputRatio),
          us(s.cpuUsPerCall),
          ratio(s.cpuRatio),
        ]),
      ),
    )
    console.log(
      `\nbars for @ql/router (added p50 ≤ 50 µs; throughput ≥ 0.95× raw at concurrency ${concurrency}; ahead of the AI SDK):`,
    )
    for (const { provider, mode, summaries, bars: met } of report) {
      const ours = summaries.find((s) => s.client === 'ours') as ClientSummary
      const mark = (ok: boolean) => (ok ? 'met' : 'NOT met')
      console.log(
        `- ${provider} ${mode}: added p50 ${signedUs(ours.addedP50Us)} ${mark(met.addedP50)}; throughput ${ratio(ours.throughputRatio)} ${mark(met.throughput)}; ahead of AI SDK ${mark(met.aheadOfAiSdk)}`,
      )
    }
    console.log(
      '\nbars for createRouter (adds ≤ 20 µs p50 over the adapter; router + adapter ahead of the AI SDK):',
    )
    for (const { provider, mode, summaries, bars: met } of report) {
      const mark = (ok: boolean) => (ok ? 'met' : 'NOT met')
      const over = (client: ClientName) =>
        signedUs((summaries.find((s) => s.client === client) as ClientSummary).overAdapterP50Us)
      console.log(
        `- ${provider} ${mode}: 1 target ${over('router-1')}, 3 targets ${over('router-3')} ${mark(met.routerAddedP50)}; ahead of AI SDK ${mark(met.routerAheadOfAiSdk)}`,
      )
    }
    const oneRequestPerCall = requests === callsMade
    console.log(
      `\nserver answered ${requests} requests for ${callsMade} calls${oneRequestPerCall ? ' (one request per call)' : ' — MISMATCH: some client retried or sent extra requests'}; load average ${loadEnd.map((l) => l.toFixed(1)).join(' ')} at the end`,
    )

    const file = writeResults({
      checkout,
      loadAverage: { start: loadStart, end: loadEnd },
      roundsDone: rounds,
      requests: { server: requests, calls: callsMade },
      groups,
    })
    console.log(`results: ${file}`)
    if (!oneRequestPerCall) process.exitCode = 1
  } finally {
    server.stop()
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)

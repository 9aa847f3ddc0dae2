// Load test of examples/graphql-gateway: autocannon in this process against the gateway in a
// child process on loopback, backed by the fake providers. See README.md.
//
//   cd bench && pnpm run bench:gateway                       (10 s warm-up, 3 rounds of 20 s)
//   cd bench && pnpm run bench:gateway --quick               (5 s warm-up, 1 round of 10 s)
//   cd bench && pnpm run bench:gateway --backend in-process  (the fakes inside the gateway process)
//   cd bench && pnpm run bench:gateway --workers 2           (two gateway processes, node:cluster)
//   cd bench && pnpm run bench:gateway --profile             (the gateway under --cpu-prof)
//   cd bench && pnpm run bench:gateway --operation usage     (a query without a model call)
//   cd bench && pnpm run bench:gateway --fetch builtin       (the SDKs on Node's built-in fetch)

import { fork } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { generateApiKey } from '../../examples/graphql-gateway/src/api-keys'

const here = dirname(fileURLToPath(import.meta.url))
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    backend: { type: 'string', default: 'separate' },
    workers: { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
    operation: { type: 'string', default: 'generate' },
    fetch: { type: 'string', default: 'node' },
  },
})
const rounds = Number(flags.rounds ?? (flags.quick ? 1 : 3))
const duration = Number(flags.duration ?? (flags.quick ? 10 : 20))
const warmup = Number(flags.warmup ?? (flags.quick ? 5 : 10))
const connections = Number(flags.connections ?? 32)
const workers = Number(flags.workers)
if (flags.backend !== 'separate' && flags.backend !== 'in-process') {
  throw new Error('--backend is separate (a fake provider process) or in-process (the offline fakes)')
}

const execArgv = ['--conditions=@ql/source', '--import', join(here, '../parser/register-ts.mjs')]
const profileDir = join(here, 'results')
if (flags.profile) mkdirSync(profileDir, { recursive: true })

function start(script: string, env: Record<string, string>, profile = false) {
  const child = fork(join(here, script), {
    execArgv: [...execArgv, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)))
    child.on('message', (message: { type: string }) => {
      if (message.type === 'ready') resolve(message)
    })
  })
  return { child, ready }
}

const { key, hash } = generateApiKey('bench')
const pids: { name: string; pid: number }[] = []
let fake: ReturnType<typeof start> | undefined
let fakeURL = ''
if (flags.backend === 'separate') {
  fake = start('fake-provider-process.ts', {})
  const ready = await fake.ready
  fakeURL = ready.baseURL as string
  pids.push({ name: 'fake provider', pid: ready.pid as number })
}
const gateway = start(
  'gateway-server.ts',
  {
    BENCH_KEY_HASH: hash,
    BENCH_WORKERS: String(workers),
    GATEWAY_FETCH: flags.fetch === 'builtin' ? 'builtin' : 'node',
    ...(fakeURL ? { BENCH_FAKE_URL: fakeURL } : {}),
  },
  flags.profile,
)
const ready = await gateway.ready
const endpoint = ready.endpoint as string
for (const pid of ready.pids as number[]) pids.push({ name: 'gateway', pid })

// `generate` is the bar; `usage` (a query that calls no model) shows what the GraphQL layer costs alone
const OPERATIONS: Record<string, { query: string; variables?: unknown; expect: string }> = {
  generate: {
    query:
      'mutation Generate($input: GenerateInput!) { generate(input: $input) { text provider model usage { inputTokens outputTokens costUsd } } }',
    variables: { input: { prompt: 'Write a haiku about load tests.', maxTokens: 64 } },
    expect: '"generate":{"text"',
  },
  usage: { query: 'query Usage { usage { clientId modelCalls } }', expect: '"usage":{"clientId"' },
}
const operation = OPERATIONS[flags.operation]
if (operation === undefined) throw new Error(`--operation is one of ${Object.keys(OPERATIONS).join(', ')}`)
const body = JSON.stringify({ query: operation.query, variables: operation.variables })
const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` }

// the expected answer, byte for byte: every response in the run must equal it
const first = await fetch(endpoint, { method: 'POST', headers, body })
const expected = await first.text()
if (first.status !== 200 || !expected.includes(operation.expect)) {
  throw new Error(`the gateway answered ${first.status}: ${expected}`)
}

interface Round {
  requests: number
  rps: number
  p50: number
  p90: number
  p99: number
  max: number
  errors: number
  errorRate: number
  gatewayCpuUs: number
  fakeCpuUs: number
  loadBefore: string
  loadAfter: string
}

/** CPU time (user + system) of a process so far, in µs, from /proc. */
function cpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  // after "pid (comm) ": state is field 0; utime 11, stime 12 (clock ticks, 100 per second)
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}
const cpuOf = (name: string) => pids.filter((p) => p.name === name).reduce((sum, p) => sum + cpuUs(p.pid), 0)

const load = (seconds: number) =>
  autocannon({
    url: endpoint,
    method: 'POST',
    headers,
    body,
    connections,
    duration: seconds,
    expectBody: expected,
    timeout: 10,
  })

const load1 = () => loadavg()[0]?.toFixed(2) ?? '?'
console.log(
  `${flags.operation}: gateway (${workers} process${workers > 1 ? 'es' : ''}, fakes ${flags.backend === 'separate' ? 'in their own process' : 'in the gateway process'}, ${flags.fetch === 'builtin' ? 'built-in fetch' : 'node:http fetch'}) at ${endpoint}: ${connections} connections, warm-up ${warmup} s, ${rounds} round(s) of ${duration} s; ${cpus().length} cores, load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
)
await load(warmup)
const results: Round[] = []
for (let round = 1; round <= rounds; round++) {
  const loadBefore = load1()
  const gatewayBefore = cpuOf('gateway')
  const fakeBefore = cpuOf('fake provider')
  const result = await load(duration)
  const errors = result.errors + result.timeouts + result.non2xx + result.mismatches
  const total = result.requests.total
  const r: Round = {
    requests: total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors,
    errorRate: total === 0 ? 1 : errors / total,
    gatewayCpuUs: total === 0 ? 0 : (cpuOf('gateway') - gatewayBefore) / total,
    fakeCpuUs: total === 0 ? 0 : (cpuOf('fake provider') - fakeBefore) / total,
    loadBefore,
    loadAfter: load1(),
  }
  results.push(r)
  console.log(
    `round ${round}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}/${r.requests}, gateway CPU ${r.gatewayCpuUs.toFixed(0)} µs/request, load ${r.loadBefore} → ${r.loadAfter}`,
  )
}

const stopped = (child: ReturnType<typeof start>['child']) =>
  new Promise((resolve) => child.once('exit', resolve))
gateway.child.send({ type: 'stop' })
await stopped(gateway.child)
if (fake) {
  fake.child.send({ type: 'stop' })
  await stopped(fake.child)
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
const rps = median(results.map((r) => r.rps))
const p99 = median(results.map((r) => r.p99))
const errorRate = Math.max(...results.map((r) => r.errorRate))
console.log('')
console.log(
  '| round | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | gateway CPU/request | fake CPU/request | load average (1 min) before → after |',
)
console.log('|---|---|---|---|---|---|---|---|---|---|')
for (const [i, r] of results.entries()) {
  console.log(
    `| ${i + 1} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.errors} of ${r.requests} | ${r.gatewayCpuUs.toFixed(0)} µs | ${fake ? `${r.fakeCpuUs.toFixed(0)} µs` : '(in gateway)'} | ${r.loadBefore} → ${r.loadAfter} |`,
  )
}
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')
console.log('')
console.log(`median req/s ${rps.toFixed(0)} (bar >= 1,000: ${verdict(rps >= 1000)})`)
console.log(`median p99 ${p99} ms (bar < 100 ms: ${verdict(p99 < 100)})`)
console.log(`worst error rate ${(errorRate * 100).toFixed(3)}% (bar < 0.1%: ${verdict(errorRate < 0.001)})`)
if (flags.profile) {
  const profiles = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))
  console.log(`profiles (summarise with node gateway/profile-summary.mjs FILE): ${profiles.join(', ')}`)
}

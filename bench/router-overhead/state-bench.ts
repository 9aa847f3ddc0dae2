// What the router's per-target state costs per call: target ordering, the rate limiter, reading
// rate-limit headers, route conditions and the in-memory state store, in microseconds per call,
// each against the 20 µs p50 the router issue allows the whole router, and the limiter side by
// side with a naive sliding-window log (filter the log on every call).
//
//   cd bench && node --expose-gc --conditions=@ql/source --import ./parser/register-ts.mjs router-overhead/state-bench.ts
//   (add --quick for a short run)

import type { ChatRequest } from '@ql/provider'
import { createMemoryRouterState } from '../../packages/router/src/router/state/create-memory-router-state'
import { matchesRoute } from '../../packages/router/src/router/state/match-route'
import { readRateLimitHeaders } from '../../packages/router/src/router/state/read-rate-limit-headers'
import type { TargetStateSnapshot } from '../../packages/router/src/router/state/router-state-store'
import type { BuiltInStrategy, StrategyContext } from '../../packages/router/src/router/state/strategies'
import { orderTargets } from '../../packages/router/src/router/state/strategies'
import { TargetLimiter } from '../../packages/router/src/router/state/target-limiter'
import type { TargetView } from '../../packages/router/src/router/state/target-view'

const quick = process.argv.includes('--quick')
const ITERATIONS = quick ? 20_000 : 200_000
const ROUNDS = quick ? 3 : 7
const BUDGET_US = 20
const gc = (globalThis as { gc?: () => void }).gc

let sink = 0

/** Median over rounds of the mean time per call, in µs. */
function measure(fn: (i: number) => unknown, iterations = ITERATIONS): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) sink ^= fn(i) === undefined ? 0 : 1
  const rounds: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    gc?.()
    const start = performance.now()
    for (let i = 0; i < iterations; i++) sink ^= fn(i) === undefined ? 0 : 1
    rounds.push(((performance.now() - start) * 1000) / iterations)
  }
  rounds.sort((a, b) => a - b)
  return rounds[Math.floor(rounds.length / 2)] as number
}

const rows: { name: string; us: number; note?: string }[] = []
function row(name: string, us: number, note?: string) {
  rows.push(note === undefined ? { name, us } : { name, us, note })
  const share = ((us / BUDGET_US) * 100).toFixed(2)
  console.log(
    `${name.padEnd(58)} ${us.toFixed(3).padStart(8)} µs  ${share.padStart(6)}% of ${BUDGET_US} µs${note ? `  ${note}` : ''}`,
  )
}

const request: ChatRequest = {
  messages: [{ role: 'user', content: 'hi' }],
  metadata: { tags: 'eu,batch', tier: 'batch' },
}
const context: StrategyContext = { request, metadata: undefined, attempt: 1 }

function views(count: number): TargetView[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `t${i}`,
    weight: 1 + (i % 3),
    priority: i % 2,
    inFlight: (i * 7) % 5,
    latencyMs: i % 4 === 0 ? undefined : 100 + ((i * 37) % 400),
    costPerMTokens: i % 5 === 0 ? undefined : 0.5 + ((i * 13) % 20),
    tags: ['eu'],
  }))
}

console.log(`node ${process.version}, ${ITERATIONS} calls × ${ROUNDS} rounds, median of rounds\n`)

// orderTargets
for (const count of [3, 10]) {
  const targets = views(count)
  row(
    `Array.slice of ${count} views (floor: any ordering copies)`,
    measure(() => targets.slice()),
  )
  for (const strategy of [
    'priority',
    'weighted',
    'least-latency',
    'least-busy',
    'lowest-cost',
  ] as BuiltInStrategy[]) {
    row(
      `orderTargets ${strategy}, ${count} targets`,
      measure(() => orderTargets(strategy, targets, context)),
    )
  }
  const fn = (list: readonly TargetView[]) => list.map((target) => target.id).reverse()
  row(
    `orderTargets function (returns ids), ${count} targets`,
    measure(() => orderTargets(fn, targets, context)),
  )
}

// TargetLimiter
{
  const limiter = new TargetLimiter(undefined)
  row(
    'tryAcquire + release, no limits',
    measure(() => (limiter.tryAcquire(100) as { ok: true; lease: { release(): void } }).lease.release()),
  )
}
{
  // steady state: a call every 60 ms on a fake clock, so the sliding window holds 1,000 calls
  let time = 0
  const limiter = new TargetLimiter({ rpm: 5000, tpm: 10_000_000, maxConcurrency: 64 }, () => time)
  const us = measure(() => {
    time += 60
    const result = limiter.tryAcquire(1000)
    if (result.ok) result.lease.release(900)
    return result
  })
  row('tryAcquire + release(actual), rpm+tpm+concurrency, 1,000 in window', us)

  // the naive reference: a log of timestamps filtered on every call
  let naiveTime = 0
  let log: { time: number; tokens: number }[] = []
  const naive = (tokens: number) => {
    log = log.filter((entry) => entry.time > naiveTime - 60_000)
    const used = log.reduce((sum, entry) => sum + entry.tokens, 0)
    if (log.length >= 5000 || used + tokens > 10_000_000) return false
    log.push({ time: naiveTime, tokens })
    return true
  }
  const naiveUs = measure(() => {
    naiveTime += 60
    return naive(1000)
  }, ITERATIONS / 10)
  row(
    '  naive sliding log (filter + sum per call), same load',
    naiveUs,
    `ours ${(naiveUs / us).toFixed(0)}× faster`,
  )
}
{
  let time = 0
  const limiter = new TargetLimiter({ rpm: 10 }, () => time)
  for (let i = 0; i < 10; i++) limiter.tryAcquire(1)
  row(
    'tryAcquire refused (rpm full, says when)',
    measure(() => limiter.tryAcquire(1)),
  )
  time += 1
}

// readRateLimitHeaders / observeHeaders on a realistic response
const openaiHeaders: Record<string, string> = {
  date: 'Mon, 26 May 2025 05:00:04 GMT',
  'content-type': 'application/json',
  'transfer-encoding': 'chunked',
  connection: 'keep-alive',
  'access-control-expose-headers': 'X-Request-ID',
  'openai-organization': 'org',
  'openai-processing-ms': '1032',
  'openai-version': '2020-10-01',
  'strict-transport-security': 'max-age=15552000; includeSubDomains; preload',
  'x-ratelimit-limit-requests': '5000',
  'x-ratelimit-limit-tokens': '160000',
  'x-ratelimit-remaining-requests': '4999',
  'x-ratelimit-remaining-tokens': '159976',
  'x-ratelimit-reset-requests': '12ms',
  'x-ratelimit-reset-tokens': '9ms',
  'x-request-id': 'req_deaa3616cbd15d33b4db96b3ba74d2b4',
  'cf-cache-status': 'DYNAMIC',
  server: 'cloudflare',
  'cf-ray': '8c135d3eeec4a97a-SYD',
  'alt-svc': 'h3=":443"; ma=86400',
}
const anthropicHeaders: Record<string, string> = {
  date: 'Mon, 26 May 2025 05:00:04 GMT',
  'content-type': 'application/json',
  'request-id': 'req_011CQ',
  'anthropic-organization-id': 'org',
  'anthropic-ratelimit-requests-limit': '4000',
  'anthropic-ratelimit-requests-remaining': '3999',
  'anthropic-ratelimit-requests-reset': '2025-05-26T05:00:05Z',
  'anthropic-ratelimit-input-tokens-limit': '400000',
  'anthropic-ratelimit-input-tokens-remaining': '399000',
  'anthropic-ratelimit-input-tokens-reset': '2025-05-26T05:00:05Z',
  'anthropic-ratelimit-output-tokens-limit': '80000',
  'anthropic-ratelimit-output-tokens-remaining': '79000',
  'anthropic-ratelimit-output-tokens-reset': '2025-05-26T05:00:05Z',
  'anthropic-ratelimit-tokens-limit': '480000',
  'anthropic-ratelimit-tokens-remaining': '478000',
  'anthropic-ratelimit-tokens-reset': '2025-05-26T05:00:05Z',
  via: '1.1 google',
  'cf-cache-status': 'DYNAMIC',
  server: 'cloudflare',
}
const headerNow = Date.parse('2025-05-26T05:00:04Z')
row(
  'readRateLimitHeaders, OpenAI response (20 headers)',
  measure(() => readRateLimitHeaders(openaiHeaders, headerNow)),
)
row(
  'readRateLimitHeaders, Anthropic response (19 headers)',
  measure(() => readRateLimitHeaders(anthropicHeaders, headerNow)),
)
row(
  'readRateLimitHeaders, no rate-limit headers (8 headers)',
  measure(() =>
    readRateLimitHeaders(
      { date: 'x', 'content-type': 'y', server: 'z', via: 'v', a: '1', b: '2', c: '3', d: '4' },
      headerNow,
    ),
  ),
)
{
  const limiter = new TargetLimiter({ rpm: 1_000_000 }, () => headerNow)
  row(
    'TargetLimiter.observeHeaders, OpenAI response',
    measure(() => limiter.observeHeaders(openaiHeaders)),
  )
}

// matchesRoute
row(
  'matchesRoute, no condition',
  measure(() => matchesRoute(undefined, request)),
)
row(
  'matchesRoute, metadata condition',
  measure(() => matchesRoute({ metadata: { tier: 'batch' } }, request)),
)
row(
  'matchesRoute, tags condition (comma-separated tags)',
  measure(() => matchesRoute({ tags: ['eu'] }, request)),
)

// the in-memory store
{
  const store = createMemoryRouterState()
  for (const id of ['t0', 't1', 't2']) {
    store.recordLatency(id, 'ttft', 100)
    store.extendCooldown(id, Date.now() - 1)
  }
  const ids = ['t0', 't1', 't2']
  row(
    'memory store readTargets, 3 targets',
    measure(() => store.readTargets(ids)),
  )
  row(
    'memory store recordLatency',
    measure((i) => store.recordLatency('t1', 'ttft', 100 + (i & 63))),
  )
  row(
    'memory store extendCooldown',
    measure((i) => store.extendCooldown('t2', Date.now() + 1000 + (i & 1023))),
  )
}

// one routing decision as the router would make it: 3 targets
{
  const store = createMemoryRouterState()
  const limiters = [0, 1, 2].map(() => new TargetLimiter({ rpm: 1_000_000, maxConcurrency: 1000 }))
  const base = views(3)
  const ids = base.map((target) => target.id)
  const us = measure(() => {
    const states = store.readTargets(ids) as TargetStateSnapshot[]
    const eligible: TargetView[] = []
    for (let i = 0; i < 3; i++) {
      const state = states[i]
      if (state?.cooldownUntil !== undefined || !matchesRoute(undefined, request)) continue
      const target = base[i] as TargetView
      eligible.push({ ...target, inFlight: limiters[i]?.inFlight ?? 0, latencyMs: state?.ttftMs })
    }
    const ordered = orderTargets('least-latency', eligible, context)
    const index = Number((ordered[0] as TargetView).id.slice(1))
    const result = (limiters[index] as TargetLimiter).tryAcquire(500)
    if (result.ok) {
      limiters[index]?.observeHeaders(openaiHeaders)
      store.recordLatency(ids[index] as string, 'ttft', 120)
      result.lease.release(480)
    }
    return result
  })
  row('one routing decision: read, build views, order, acquire, headers, release', us)
}

if (sink === 42) console.log('')

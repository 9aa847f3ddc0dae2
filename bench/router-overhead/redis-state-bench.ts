// Router decision overhead with the Redis state store vs the in-memory one: a model that answers
// at once, behind routers of three targets that differ only in `state`, called one call at a time
// and 32 at a time. Each row reports the time per call (p50 and p99 µs, sequential), the added
// time over the model alone, and calls per second with 32 in flight.
//
//   cd bench && node --expose-gc --conditions=@ql/source --import ./parser/register-ts.mjs router-overhead/redis-state-bench.ts [calls]
//   (Redis: QL_TEST_REDIS_URL or redis://127.0.0.1:6379; every key goes under a random prefix, deleted at the end)

import { randomUUID } from 'node:crypto'
import { type ChatModel, type ChatRequest, type ChatResponse, createChatResponse } from '@ql/provider'
import { createMemoryRouterState, createRouter, type RouterStateStore } from '@ql/router'
import { createRedisRouterState, type RedisRouterState } from '@ql/router/redis'

const url = process.env.QL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const calls = Number(process.argv[2] ?? 5_000)

const response: ChatResponse = createChatResponse({
  content: [{ type: 'text', text: 'Two, three and five.' }],
  finishReason: 'stop',
  usage: { inputTokens: 20, outputTokens: 8 },
  provider: 'openai',
  modelId: 'gpt-4o-mini',
})
const instant = (): ChatModel => ({
  specificationVersion: 'v1',
  provider: 'openai',
  modelId: 'gpt-4o-mini',
  generate: async () => response,
  stream: () => {
    throw new Error('not used')
  },
})
const request: ChatRequest = { messages: [{ role: 'user', content: 'Name the three smallest primes.' }] }

const redisStores: RedisRouterState[] = []
async function redis(): Promise<RedisRouterState> {
  const store = createRedisRouterState({ url }, { prefix: `ql-bench:${randomUUID()}:` })
  redisStores.push(store)
  await store.ready()
  return store
}

type Limits = { rpm?: number; tpm?: number }
function router(state: RouterStateStore | undefined, limits?: Limits): ChatModel {
  return createRouter({
    targets: ['a', 'b', 'c'].map((id) => ({
      id,
      model: instant(),
      ...(limits === undefined ? {} : { limits }),
    })),
    ...(state === undefined ? {} : { state }),
  })
}

async function sequential(model: ChatModel): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(1_000, calls); i++) await model.generate(request)
  const samples: number[] = []
  for (let i = 0; i < calls; i++) {
    const started = performance.now()
    await model.generate(request)
    samples.push((performance.now() - started) * 1000)
  }
  samples.sort((a, b) => a - b)
  return {
    p50: samples[Math.floor(samples.length * 0.5)] as number,
    p99: samples[Math.floor(samples.length * 0.99)] as number,
  }
}

async function concurrent(model: ChatModel, inFlight = 32): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < calls) await model.generate(request)
    }),
  )
  return calls / ((performance.now() - started) / 1000)
}

const big = 1_000_000_000
const rows: [string, () => Promise<ChatModel>][] = [
  ['model alone', async () => instant()],
  ['router, no store', async () => router(undefined)],
  ['router, memory store', async () => router(createMemoryRouterState())],
  ['router, Redis store', async () => router(await redis())],
  [
    'router, memory store, rpm+tpm limits',
    async () => router(createMemoryRouterState(), { rpm: big, tpm: big }),
  ],
  ['router, Redis store, rpm limit', async () => router(await redis(), { rpm: big })],
  ['router, Redis store, rpm+tpm limits', async () => router(await redis(), { rpm: big, tpm: big })],
]

// the floor a networked store cannot beat: one Redis round trip (PING) on this machine
const ping = await redis()
const pingSamples: number[] = []
for (let i = 0; i < calls; i++) {
  const started = performance.now()
  await ping.getCooldown('x')
  pingSamples.push((performance.now() - started) * 1000)
}
pingSamples.sort((a, b) => a - b)

const lines = [
  `router decision overhead, 3 targets, ${calls} calls per row (Node ${process.version}, Redis ${url.replace(/\/\/[^@/]*@/, '//***@')})`,
  `one Redis round trip (HGET through the store): p50 ${pingSamples[Math.floor(calls / 2)]?.toFixed(1)} µs`,
  '',
  '| client | p50 µs | p99 µs | added over the model (p50) | vs memory store | calls/s, 32 in flight |',
  '|---|---:|---:|---:|---:|---:|',
]
let base = 0
let memory = 0
for (const [name, make] of rows) {
  const model = await make()
  const { p50, p99 } = await sequential(model)
  const rate = await concurrent(model)
  if (name === 'model alone') base = p50
  if (name === 'router, memory store') memory = p50 - base
  const added = p50 - base
  const ratio = name.includes('Redis') && memory > 0 ? `${(added / memory).toFixed(1)}×` : ''
  lines.push(
    `| ${name} | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${name === 'model alone' ? '' : added.toFixed(1)} | ${ratio} | ${Math.round(rate)} |`,
  )
}
console.log(lines.join('\n'))

for (const store of redisStores) {
  await store.clear()
  await store.close()
}

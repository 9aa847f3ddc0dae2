// What createRouter itself costs per call, with no network: a model that answers at once, called
// directly and through routers (1 target; 3 targets with breakers), for generate and stream.
//
//   cd bench && node --conditions=@ql/source --import ./parser/register-ts.mjs router-overhead/router-micro.ts

import {
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  createChatResponse,
  createChatStream,
} from '@ql/provider'
import { createRouter } from '@ql/router'

const response: ChatResponse = createChatResponse({
  content: [{ type: 'text', text: 'Two, three and five.' }],
  finishReason: 'stop',
  usage: { inputTokens: 20, outputTokens: 8 },
  provider: 'openai',
  modelId: 'gpt-4o-mini',
})

function instantModel(): ChatModel {
  return {
    specificationVersion: 'v1',
    provider: 'openai',
    modelId: 'gpt-4o-mini',
    generate: async () => response,
    stream: () =>
      createChatStream({
        provider: 'openai',
        modelId: 'gpt-4o-mini',
        start: async function* () {
          for (const word of ['Two', ', three', ' and', ' five.'])
            yield { type: 'text-delta' as const, delta: word }
          yield { type: 'usage' as const, usage: { inputTokens: 20, outputTokens: 8 } }
          yield { type: 'finish' as const, finishReason: 'stop' as const }
        },
      }),
  }
}

const request: ChatRequest = { messages: [{ role: 'user', content: 'Name the three smallest primes.' }] }
const clients: Record<string, ChatModel> = {
  model: instantModel(),
  'router, 1 target': createRouter({ targets: [{ id: 'only', model: instantModel() }] }),
  'router, 3 targets': createRouter({
    targets: [
      { id: 'a', model: instantModel() },
      { id: 'b', model: instantModel() },
      { id: 'c', model: instantModel() },
    ],
  }),
  'router, 3 targets, no telemetry': createRouter({
    targets: [
      { id: 'a', model: instantModel() },
      { id: 'b', model: instantModel() },
      { id: 'c', model: instantModel() },
    ],
    telemetry: false,
  }),
}

async function measure(call: () => Promise<unknown>, calls: number): Promise<number> {
  for (let i = 0; i < 2000; i++) await call()
  const samples: number[] = []
  for (let i = 0; i < calls; i++) {
    const started = performance.now()
    await call()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return (samples[Math.floor(samples.length / 2)] as number) * 1000
}

const calls = Number(process.argv[2] ?? 20_000)
const rows: string[][] = []
for (const mode of ['generate', 'stream'] as const) {
  const base = { value: 0 }
  for (const [name, model] of Object.entries(clients)) {
    const call =
      mode === 'generate'
        ? () => model.generate(request)
        : async () => {
            for await (const _ of model.stream(request)) {
              // drain
            }
          }
    const p50 = await measure(call, calls)
    if (name === 'model') base.value = p50
    rows.push([
      mode,
      name,
      `${p50.toFixed(1)} µs`,
      name === 'model' ? '' : `+${(p50 - base.value).toFixed(1)} µs`,
    ])
  }
}
console.log(
  `p50 per call over ${calls} calls, no network (load ${(await import('node:os')).loadavg()[0]?.toFixed(1)})`,
)
for (const row of rows) console.log(`| ${row.join(' | ')} |`)

// What counting a request's tokens costs @ql/router: the import, the first count (which loads
// the encoding), and µs per request for typical requests, exact BPE (countRequestTokens, cold
// and from its text cache) next to the character estimate (estimateRequestTokens), with the
// raw tokenizers (gpt-tokenizer, js-tiktoken when installed) on the same text for the ratio.
//
//   cd bench && node --expose-gc --conditions=@ql/source --import ./parser/register-ts.mjs \
//     router-overhead/tokens-bench.ts [--iterations 2000] [--tiktoken-from DIR]
//
// --tiktoken-from: a directory where js-tiktoken is installed (not a dependency), to compare.
// Each figure is the median of 5 rounds; the machine's load average is printed with them.
// Columns: "new texts" = every text unseen (nothing from the count cache); "re-sent" = the same
// conversation parsed afresh from JSON each call with a new last message (a chat backend).

import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { ChatRequest, Message } from '@ql/provider'

const here = dirname(fileURLToPath(import.meta.url))
const tokensDirectory = join(here, '..', '..', 'packages', 'router', 'src', 'router', 'tokens')
const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '2000' },
    child: { type: 'string' },
    'tiktoken-from': { type: 'string' },
  },
})
const iterations = Number(values.iterations)

// --- import cost, in fresh processes --------------------------------------------------------
const routerRequire = createRequire(join(here, '..', '..', 'packages', 'router', 'package.json'))
const loadedEncodings = () =>
  Object.keys(routerRequire.cache).filter((id) => id.includes('gpt-tokenizer')).length

if (values.child === 'import') {
  // under the TypeScript loader: importing the modules must not load a rank table; counting must
  await import(join(tokensDirectory, 'count-tokens.ts'))
  await import(join(tokensDirectory, 'estimate-request-tokens.ts'))
  const afterImport = loadedEncodings()
  const { countRequestTokens } = await import(join(tokensDirectory, 'count-tokens.ts'))
  countRequestTokens(
    { messages: [{ role: 'user', content: 'hello' }] },
    { provider: 'openai', modelId: 'gpt-4o' },
  )
  console.log(JSON.stringify({ afterImport, afterCount: loadedEncodings() }))
  process.exit(0)
}
/** Plain Node, built JavaScript: what the first count adds (gpt-tokenizer's o200k rank table). */
const DEPS_PROBE = `
import { createRequire } from 'node:module'
const routerRequire = createRequire(${JSON.stringify(join(here, '..', '..', 'packages', 'router', 'package.json'))})
const start = performance.now()
routerRequire('gpt-tokenizer/encoding/o200k_base').countTokens('hello world')
routerRequire('gpt-tokenizer/functionCalling')
const counted = performance.now()
console.log(JSON.stringify({ firstCountMs: counted - start, heapMB: process.memoryUsage().heapUsed / 1e6 }))
`

function child(kind: 'import' | 'deps'): Record<string, number> {
  const args =
    kind === 'import'
      ? [
          '--conditions=@ql/source',
          '--import',
          join(here, '..', 'parser', 'register-ts.mjs'),
          fileURLToPath(import.meta.url),
          '--child',
          kind,
        ]
      : ['--input-type=module', '-e', DEPS_PROBE]
  const out = execFileSync(process.execPath, args, { cwd: join(here, '..'), encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').pop() ?? '{}')
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}, node ${process.version}`,
)
const loads = child('import')
console.log(
  `gpt-tokenizer modules loaded: ${loads.afterImport} after importing the tokens modules, ${loads.afterCount} after the first count`,
)
const deps = Array.from({ length: 5 }, () => child('deps'))
console.log(
  `first count (loads o200k and the tool renderer): ${median(deps.map((r) => r.firstCountMs ?? 0)).toFixed(0)} ms, heap after ${median(deps.map((r) => r.heapMB ?? 0)).toFixed(0)} MB`,
)

// --- per-request cost ---------------------------------------------------------------------
const { countRequestTokens } = await import(join(tokensDirectory, 'count-tokens.ts'))
const { estimateRequestTokens } = await import(join(tokensDirectory, 'estimate-request-tokens.ts'))

const paragraph =
  'The router sends each call to the first healthy target, retries with backoff when a target ' +
  'fails for a reason that may pass, and falls over to the next one when it does not. '
const code = 'export function add(a: number, b: number): number {\n  return a + b\n}\n'

/** A fresh copy of a text, as a server gets it from JSON on every call (no object reuse). */
const fresh = (text: string) => JSON.parse(JSON.stringify(text)) as string

const requests: Record<string, (i: number) => ChatRequest> = {
  // one short question (~60 tokens)
  'short chat': (i) => ({
    system: 'You are a helpful assistant.',
    messages: [{ role: 'user', content: `Question ${i}: what is the capital of France, and why?` }],
  }),
  // a 10-turn conversation of ~1.5k tokens, with a new last message every call
  'chat, 10 turns': (i) => ({
    system: fresh(paragraph.repeat(3)),
    messages: [
      ...Array.from(
        { length: 10 },
        (_, turn): Message => ({
          role: turn % 2 === 0 ? 'user' : 'assistant',
          content: fresh(paragraph.repeat(2) + code.repeat(turn % 3)),
        }),
      ),
      { role: 'user', content: `and one more thing, number ${i}?` },
    ],
  }),
  // an agent turn: 3 tools, a tool call and its result (~700 tokens)
  'agent turn, 3 tools': (i) => ({
    system: 'You are a coding agent.',
    tools: ['read_file', 'write_file', 'run_tests'].map((name) => ({
      name,
      description: `${name.replace('_', ' ')} in the workspace`,
      inputSchema: {
        type: 'object',
        properties: { path: { type: 'string', description: 'A path relative to the workspace root' } },
        required: ['path'],
      },
    })),
    messages: [
      { role: 'user', content: `Fix the failing test number ${i}.` },
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'c1', toolName: 'read_file', input: { path: 'src/add.ts' } },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', output: fresh(code.repeat(30)) }] },
    ],
  }),
}

const ROUNDS = 5
const WARMUP = 200

/** Median µs per call over 5 rounds; `fn` gets a call number that never repeats across rounds. */
function timeUs(fn: (n: number) => unknown): number {
  let n = 0
  for (let i = 0; i < Math.min(WARMUP, iterations); i++) fn(n++)
  const rounds: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.()
    const start = performance.now()
    for (let i = 0; i < iterations; i++) fn(n++)
    rounds.push(((performance.now() - start) * 1000) / iterations)
  }
  return median(rounds)
}
const calls = () => Math.min(WARMUP, iterations) + ROUNDS * iterations

const model = { provider: 'openai', modelId: 'gpt-4o' }
const gptTokenizer = routerRequire('gpt-tokenizer/encoding/o200k_base') as {
  countTokens(text: string): number
}
let jsTiktoken: { encode(text: string): number[] } | undefined
if (values['tiktoken-from'] !== undefined) {
  // not a dependency: point at a directory where it is installed (npm i js-tiktoken) to compare
  const tiktokenRequire = createRequire(join(values['tiktoken-from'], 'package.json'))
  const { Tiktoken } = tiktokenRequire('js-tiktoken/lite')
  const ranks = tiktokenRequire('js-tiktoken/ranks/o200k_base')
  jsTiktoken = new Tiktoken(ranks.default ?? ranks)
}

console.log(
  '\nrequest                 tokens  count, new texts  count, re-sent  estimate   raw gpt-tokenizer  raw js-tiktoken',
)
const textOf = (request: ChatRequest) =>
  [
    request.system ?? '',
    ...request.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))),
  ].join('\n')
/** Every text made new (a number in front), so nothing is served from the count cache. */
const unique = (request: ChatRequest, n: number): ChatRequest => ({
  ...request,
  system: `${n} ${request.system ?? ''}`,
  messages: request.messages.map((m) =>
    typeof m.content === 'string' ? ({ ...m, content: `${n} ${m.content}` } as Message) : m,
  ),
})

for (const [name, make] of Object.entries(requests)) {
  const tokens = countRequestTokens(make(0), model).tokens
  const coldRequests = Array.from({ length: calls() }, (_, n) => unique(make(n), n))
  const cold = timeUs((n) => countRequestTokens(coldRequests[n] as ChatRequest, model))
  // the same conversation re-sent each call as fresh strings (parsed from JSON), with a new last
  // message: its earlier texts are cache hits
  const warmRequests = Array.from({ length: 100 }, (_, n) => make(n))
  const withNewLast = (request: ChatRequest, n: number): ChatRequest => ({
    ...request,
    messages: [...request.messages.slice(0, -1), { role: 'user', content: `one more thing, number ${n}?` }],
  })
  const cached = timeUs((n) =>
    countRequestTokens(withNewLast(warmRequests[n % 100] as ChatRequest, n), model),
  )
  const estimate = timeUs((n) => estimateRequestTokens(warmRequests[n % 100] as ChatRequest))
  const texts = coldRequests.map((r) => `x${textOf(r)}`)
  const raw = timeUs((n) => gptTokenizer.countTokens(texts[n] ?? ''))
  const tiktoken =
    jsTiktoken === undefined ? Number.NaN : timeUs((n) => jsTiktoken?.encode(texts[n] ?? '').length)
  console.log(
    `${name.padEnd(22)} ${String(tokens).padStart(7)}  ${cold.toFixed(1).padStart(13)} µs  ${cached.toFixed(1).padStart(10)} µs  ${estimate.toFixed(2).padStart(6)} µs  ${raw.toFixed(1).padStart(14)} µs  ${Number.isNaN(tiktoken) ? '(not installed)' : `${tiktoken.toFixed(1).padStart(11)} µs`}`,
  )
}

// Repository maps against a real tokenizer: maps of real code bases cut to a budget by the
// default counter (`estimateTokens`) and by characters / 4, counted by OpenAI's o200k and cl100k
// BPE tokenizers (gpt-tokenizer, a devDependency of @ql/parser). A map must never be over its
// budget in real tokens; how much of the budget it uses shows what the margin costs.
//
//   cd bench && node --conditions=@ql/source --import ./parser/register-ts.mjs parser/repo-map-tokens.ts
//   BENCH_BUDGETS=1024,4096 (default)

import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { buildRepoMap } from '@ql/parser'

const require = createRequire(import.meta.url)
// the tokenizer is @ql/parser's devDependency: resolve it from there
const parserRequire = createRequire(join(dirname(require.resolve('@ql/parser/package.json')), 'package.json'))
const { encode: o200k } = parserRequire('gpt-tokenizer/cjs/encoding/o200k_base') as {
  encode: (text: string) => number[]
}
const { encode: cl100k } = parserRequire('gpt-tokenizer/cjs/encoding/cl100k_base') as {
  encode: (text: string) => number[]
}
const budgets = (process.env.BENCH_BUDGETS ?? '1024,4096').split(',').map(Number)

function packageRoot(name: string): string {
  let directory = dirname(require.resolve(name))
  while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory)
  return directory
}

const pnpm = join(dirname(require.resolve('@ql/parser/package.json')), '..', '..', 'node_modules', '.pnpm')
const candidates: [string, string][] = [
  ['zod src/v4/core (TS)', join(packageRoot('zod'), 'src/v4/core')],
  ['openai src (TS)', join(packageRoot('openai'), 'src')],
  ['eventemitter3 (JS)', join(pnpm, 'eventemitter3@5.0.4/node_modules/eventemitter3')],
  ['opossum lib (JS)', join(pnpm, 'opossum@9.0.0/node_modules/opossum/lib')],
  ['python email', '/usr/lib/python3.11/email'],
  ['python asyncio', '/usr/lib/python3.11/asyncio'],
  ['go net/http', '/usr/lib/go/src/net/http'],
  ['openssl headers (C)', '/usr/include/openssl'],
  ['ruby net', '/usr/lib/ruby/3.1.0/net'],
  ['php Composer', '/usr/share/php/Composer'],
]
const repositories = candidates.filter(([, root]) => existsSync(root))
const quarter = (text: string) => Math.ceil(text.length / 4)

console.log('| repository | budget | counter | entries | counted | o200k | cl100k | real / budget |')
console.log('|---|---|---|---|---|---|---|---|')
let worst = 0
let least = Number.POSITIVE_INFINITY
let worstQuarter = 0
for (const [name, root] of repositories) {
  for (const maxTokens of budgets) {
    for (const [label, countTokens] of [
      ['default', undefined],
      ['chars/4', quarter],
    ] as const) {
      const map = await buildRepoMap({ root }, { maxTokens, ...(countTokens ? { countTokens } : {}) })
      const a = o200k(map.text).length
      const b = cl100k(map.text).length
      const ratio = Math.max(a, b) / maxTokens
      if (label === 'default') {
        worst = Math.max(worst, ratio)
        least = Math.min(least, ratio)
      } else worstQuarter = Math.max(worstQuarter, ratio)
      console.log(
        `| ${name} | ${maxTokens} | ${label} | ${map.entries.length} | ${map.tokens} | ${a} | ${b} | ${ratio.toFixed(2)} |`,
      )
    }
  }
}
console.log(
  `\ndefault counter: real tokens / budget ${least.toFixed(2)}–${worst.toFixed(2)} (bar <= 1.00: ${worst <= 1 ? 'met' : 'NOT met'}); chars/4: up to ${worstQuarter.toFixed(2)}`,
)

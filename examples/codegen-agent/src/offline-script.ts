import type { FakeStep } from '@ql/router/testing'
import type { Phase } from './codegen-graph'

// The answers the offline demo's healthy fake provider gives to the demo task (DEMO_TASK): a plan,
// a first draft with a syntax error in src/slugify.ts (a missing `)`), and its repair.

const PLAN = `1. src/slugify.ts: \`slugify(title, options)\` removes accents, lower-cases, splits on anything that is not a letter or a digit, joins the words with a separator and cuts at a word boundary.
2. src/cli.ts: the command-line entry point, \`slugify <title>\` prints the slug.
3. src/slugify.test.ts: node:test cases for punctuation, accents, the separator and the length cap.
The CLI and the tests import slugify from src/slugify.ts; nothing else is shared.`

const slugify = (condition: string) => `/** Options of {@link slugify}. */
export interface SlugifyOptions {
  /** Between words. Default \`-\`. */
  separator?: string
  /** The longest slug; it is cut at a word boundary. Default 80. */
  maxLength?: number
}

/** Turns a title into a URL slug: \`Crème Brûlée, 2nd edition!\` becomes \`creme-brulee-2nd-edition\`. */
export function slugify(title: string, options: SlugifyOptions = {}): string {
  const separator = options.separator ?? '-'
  const maxLength = options.maxLength ?? 80
  const words = title
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
  let slug = ''
  for (const word of words) {
    const next = slug === '' ? word : \`\${slug}\${separator}\${word}\`
    ${condition}
    slug = next
  }
  return slug
}
`

const CLI = `#!/usr/bin/env node
import { slugify } from './slugify.js'

const title = process.argv.slice(2).join(' ')
if (title === '') {
  console.error('usage: slugify <title>')
  process.exit(2)
}
console.log(slugify(title))
`

const TESTS = `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { slugify } from './slugify.js'

test('punctuation and case', () => {
  assert.equal(slugify('Hello, World!'), 'hello-world')
})

test('accents', () => {
  assert.equal(slugify('Crème Brûlée'), 'creme-brulee')
})

test('separator and length cap', () => {
  assert.equal(slugify('one two three', { separator: '_' }), 'one_two_three')
  assert.equal(slugify('one two three', { maxLength: 8 }), 'one-two')
})
`

const fence = (path: string, code: string) => `\`\`\`ts ${path}\n${code}\`\`\``

const DRAFT = `Here are the three files.

${fence('src/slugify.ts', slugify('if (next.length > maxLength break'))}

${fence('src/cli.ts', CLI)}

${fence('src/slugify.test.ts', TESTS)}
`

const REPAIR = `The \`if\` condition in the loop was missing its closing parenthesis.

${fence('src/slugify.ts', slugify('if (next.length > maxLength) break'))}
`

/** The healthy fake's answer to each phase, with token counts like a real model's. */
export function scriptedAnswer(phase: Phase, chunkDelayMs: number): FakeStep {
  const common = { chunkSize: 6, chunkDelayMs }
  switch (phase) {
    case 'plan':
      return { ...common, text: PLAN, usage: { inputTokens: 212, outputTokens: 118 } }
    case 'write':
      return { ...common, text: DRAFT, usage: { inputTokens: 438, outputTokens: 512 } }
    case 'repair':
      return { ...common, text: REPAIR, usage: { inputTokens: 731, outputTokens: 284 } }
  }
}

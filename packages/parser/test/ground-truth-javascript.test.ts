import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCode } from '../src/parse-code'
import { type Score, scoreDefinitions, totalScore } from './fixtures/ground-truth/score-definitions'
import { typescriptDefinitions } from './fixtures/ground-truth/typescript-definitions'

/**
 * Symbols checked against the TypeScript compiler's parser (in JavaScript mode) on JavaScript
 * none of us wrote: the runtime of web-tree-sitter and `ignore`, and two of TypeScript's own
 * entry scripts, from node_modules.
 */
const require = createRequire(import.meta.url)
const files = [
  require.resolve('web-tree-sitter'),
  require.resolve('ignore'),
  join(dirname(require.resolve('typescript')), '_tsserver.js'),
  join(dirname(require.resolve('typescript')), '_typingsInstaller.js'),
]

describe('JavaScript symbols vs the TypeScript compiler (ground truth)', () => {
  it('finds functions, methods and classes with >= 99% precision and recall', {
    timeout: 60_000,
  }, async () => {
    const scores: Score[] = []
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
      using parsed = await parseCode(code, { language: 'javascript' })
      const found = parsed
        .symbols()
        .definitions.filter((d) => d.kind === 'function' || d.kind === 'method' || d.kind === 'class')
        .map((d) => `${d.kind} ${d.name} ${d.nameRange.startLine}`)
      scores.push(scoreDefinitions(typescriptDefinitions(file, code), found))
    }
    const total = totalScore(scores)
    console.log(
      `ground truth javascript: ${files.length} files, ${total.truth} definitions; precision ${(total.precision * 100).toFixed(2)}%, recall ${(total.recall * 100).toFixed(2)}%`,
    )
    expect(total.truth).toBeGreaterThan(300)
    expect(total.precision, `extra: ${total.extra.join(', ')}`).toBeGreaterThanOrEqual(0.99)
    expect(total.recall, `missed: ${total.missed.join(', ')}`).toBeGreaterThanOrEqual(0.99)
  })
})

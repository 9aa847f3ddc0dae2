import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCode } from '../src/parse-code'
import { type Score, scoreDefinitions, totalScore } from './fixtures/ground-truth/score-definitions'
import { typescriptDefinitions } from './fixtures/ground-truth/typescript-definitions'

/**
 * Symbols checked against the TypeScript compiler's parser on code none of us wrote: the
 * compiler's own declaration files and zod's TypeScript sources from node_modules.
 */
const require = createRequire(import.meta.url)
const typescriptLib = dirname(require.resolve('typescript'))
const zodSource = (() => {
  try {
    const providerRequire = createRequire(new URL('../../provider/package.json', import.meta.url))
    return join(dirname(providerRequire.resolve('zod')), 'src')
  } catch {
    return undefined
  }
})()

const files = [
  ...['lib.es5.d.ts', 'lib.es2015.core.d.ts', 'lib.dom.d.ts', 'typescript.d.ts'].map((f) =>
    join(typescriptLib, f),
  ),
  ...(zodSource === undefined
    ? []
    : [
        'v3/types.ts',
        'v4/core/schemas.ts',
        'v4/core/api.ts',
        'v4/core/util.ts',
        'v4/core/checks.ts',
        'v4/core/errors.ts',
        'v4/core/to-json-schema.ts',
        'v4/core/parse.ts',
        'v4/classic/schemas.ts',
        'v4/mini/schemas.ts',
      ].map((f) => join(zodSource, f))),
].filter((f) => existsSync(f))

describe('symbols vs the TypeScript compiler (ground truth)', () => {
  it('finds functions, methods and classes with >= 99% precision and recall', {
    timeout: 60_000,
  }, async () => {
    expect(files.length).toBeGreaterThanOrEqual(4)
    const scores: Score[] = []
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
      using parsed = await parseCode(code, { language: 'typescript' })
      const found = parsed
        .symbols()
        .definitions.filter((d) => d.kind === 'function' || d.kind === 'method' || d.kind === 'class')
        .map((d) => `${d.kind} ${d.name} ${d.nameRange.startLine}`)
      scores.push(scoreDefinitions(typescriptDefinitions(file, code), found))
    }
    const total = totalScore(scores)
    console.log(
      `ground truth typescript: ${files.length} files, ${total.truth} definitions; precision ${(total.precision * 100).toFixed(2)}%, recall ${(total.recall * 100).toFixed(2)}%`,
    )
    expect(total.truth).toBeGreaterThan(5000)
    expect(total.precision, `extra: ${total.extra.join(', ')}`).toBeGreaterThanOrEqual(0.99)
    expect(total.recall, `missed: ${total.missed.join(', ')}`).toBeGreaterThanOrEqual(0.99)
  })
})

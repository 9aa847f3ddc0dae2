import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRepoMap } from '../src/repo-map/build-repo-map'
import type { RepoFile } from '../src/repo-map/repo-map'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

const library: RepoFile[] = [
  {
    path: 'src/money.ts',
    content: 'export function formatPrice(cents: number) {\n  return cents / 100\n}\n',
  },
  {
    path: 'src/cart.ts',
    content:
      "import { formatPrice } from './money'\nexport function cartTotal() {\n  return formatPrice(1)\n}\n",
  },
]

/** Hostile inputs: each used to stall symbol extraction for seconds to minutes. */
const hostile: RepoFile[] = [
  { path: 'src/brackets.js', content: '('.repeat(80_000) },
  {
    path: 'src/nested.js',
    content: `${'function f() {\n'.repeat(20_000)}${'}\n'.repeat(20_000)}`,
  },
]

describe('buildRepoMap budgets', () => {
  it(
    'maps the rest of a repository with hostile files, skipping each with its reason',
    async () => {
      const map = await buildRepoMap({ files: [...library, ...hostile] }, { maxTokens: 500 })
      expect(map.files.map((file) => file.path).sort()).toEqual(['src/cart.ts', 'src/money.ts'])
      expect(map.entries.map((entry) => entry.name)).toEqual(['formatPrice', 'cartTotal'])
      expect(map.skipped).toEqual([
        { path: 'src/brackets.js', reason: 'too-deep', detail: 'brackets nested 80000 deep (at most 2000)' },
        { path: 'src/nested.js', reason: 'too-deep', detail: 'brackets nested 20000 deep (at most 2000)' },
      ])
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it(
    'skips a file that runs past its own budget and maps the others',
    async () => {
      // 350 KB of valid JavaScript: parsing it takes far longer than a millisecond anywhere
      const big: RepoFile = {
        path: 'src/big.js',
        content: Array.from(
          { length: 40_000 },
          (_, i) => `function generated${i}(a) { return a + ${i} }\n`,
        ).join(''),
      }
      const map = await buildRepoMap(
        { files: [big] },
        { maxTokens: 500, fileBudgetMs: 1, maxFileBytes: 10_000_000 },
      )
      expect(map.entries).toEqual([])
      expect(map.skipped).toEqual([
        { path: 'src/big.js', reason: 'budget-exceeded', detail: expect.any(String) },
      ])
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('skips what it has not reached when the whole build runs out of time, and still returns a map', async () => {
    const map = await buildRepoMap({ files: library }, { maxTokens: 500, budgetMs: Number.MIN_VALUE })
    expect(map.entries).toEqual([])
    expect(map.text).toBe('')
    expect(map.skipped).toEqual(
      library.map(({ path }) => ({
        path,
        reason: 'budget-exceeded',
        detail: "the build's budget ran out before this file was mapped",
      })),
    )

    const root = await mkdtemp(join(tmpdir(), 'ql-repo-map-budget-'))
    try {
      await mkdir(join(root, 'src'))
      await writeFile(join(root, 'src/a.ts'), 'export const a = 1\n')
      const walked = await buildRepoMap({ root }, { maxTokens: 500, budgetMs: Number.MIN_VALUE })
      expect(walked.skipped).toEqual([
        expect.objectContaining({ path: 'src/a.ts', reason: 'budget-exceeded' }),
      ])
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('rejects budgets that are not positive numbers', async () => {
    await expect(buildRepoMap({ files: library }, { maxTokens: 100, budgetMs: 0 })).rejects.toThrow(
      /budgetMs must be a positive number/,
    )
    await expect(
      buildRepoMap({ files: library }, { maxTokens: 100, fileBudgetMs: Number.NaN }),
    ).rejects.toThrow(RangeError)
  })
})

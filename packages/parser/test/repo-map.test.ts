import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { estimateTokens } from '../src/chunks/estimate-tokens'
import { liveParsedCodeCount } from '../src/parsed-code'
import { buildRepoMap, defaultRepoMapWorkers } from '../src/repo-map/build-repo-map'
import { pageRank } from '../src/repo-map/page-rank'
import type { RepoFile, RepoMapProgress } from '../src/repo-map/repo-map'
import { walkRepository } from '../src/repo-map/walk-repository'
import { FIRST_USE_TIMEOUT_MS, WORKER_TIMEOUT_MS } from './timeouts'

/** A small shop: `money.ts` is used by everything, `report.py` by nothing. */
const shop: RepoFile[] = [
  {
    path: 'src/money.ts',
    content: `/** Formats cents. */
export function formatPrice(cents: number): string {
  return (cents / 100).toFixed(2)
}

export class Currency {
  convertAmount(cents: number, rate: number): number {
    return Math.round(cents * rate)
  }
}
`,
  },
  {
    path: 'src/cart.ts',
    content: `import { formatPrice, Currency } from './money'

export class ShoppingCart {
  private items: number[] = []

  addItem(cents: number): void {
    this.items.push(cents)
  }

  totalLabel(): string {
    return formatPrice(this.items.reduce((a, b) => a + b, 0))
  }
}

export function checkoutCart(cart: ShoppingCart, currency: Currency): string {
  currency.convertAmount(1, 2)
  return cart.totalLabel()
}
`,
  },
  {
    path: 'src/invoice.ts',
    content: `import { formatPrice } from './money'
import { ShoppingCart, checkoutCart } from './cart'

export function renderInvoice(cart: ShoppingCart): string {
  return formatPrice(1) + formatPrice(2) + checkoutCart(cart, undefined as never)
}
`,
  },
  {
    path: 'tools/report.py',
    content: `def summarize_orders(orders):
    return len(orders)


class ReportWriter:
    def write_report(self, path):
        return summarize_orders([])
`,
  },
  { path: 'README.md', content: '# Shop\n' },
  { path: 'data/prices.json', content: '{"a": 1}\n' },
  { path: 'assets/logo.bin', content: 'PNG\u0000\u0001' },
]

describe('buildRepoMap', () => {
  it(
    'ranks what everything uses first and renders it Aider-style within the budget',
    async () => {
      const before = liveParsedCodeCount()
      const map = await buildRepoMap({ files: shop }, { maxTokens: 400 })
      expect(liveParsedCodeCount()).toBe(before)
      expect(map.entries[0]).toMatchObject({
        path: 'src/money.ts',
        name: 'formatPrice',
        kind: 'function',
        line: 2,
      })
      expect(map.files[0]?.path).toBe('src/money.ts')
      expect(map.files.map((f) => f.path).sort()).toEqual([
        'src/cart.ts',
        'src/invoice.ts',
        'src/money.ts',
        'tools/report.py',
      ])
      expect(map.tokens).toBeLessThanOrEqual(400)
      expect(map.tokens).toBe(estimateTokens(map.text))
      expect(
        map.text.startsWith('src/money.ts:\n⋮\n│export function formatPrice(cents: number): string\n⋮\n'),
      ).toBe(true)
      // a method is shown under the signature of its class
      expect(map.text).toContain(
        '│export class Currency\n│  convertAmount(cents: number, rate: number): number\n',
      )
      expect(map.text).toContain('⋮')
      const ranks = map.entries.map((e) => e.rank)
      expect([...ranks].sort((a, b) => b - a)).toEqual(ranks)
      expect(map.skipped).toEqual(
        expect.arrayContaining([
          { path: 'README.md', reason: 'no-symbols' },
          { path: 'data/prices.json', reason: 'no-symbols' },
          { path: 'assets/logo.bin', reason: 'binary' },
        ]),
      )
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('shows fewer entries for a smaller budget, always the best ones, and none when nothing fits', async () => {
    const large = await buildRepoMap({ files: shop }, { maxTokens: 1000 })
    const small = await buildRepoMap({ files: shop }, { maxTokens: 40 })
    expect(small.entries.length).toBeGreaterThan(0)
    expect(small.entries.length).toBeLessThan(large.entries.length)
    expect(small.tokens).toBeLessThanOrEqual(40)
    expect(large.entries.slice(0, small.entries.length).map((e) => e.name)).toEqual(
      small.entries.map((e) => e.name),
    )
    const none = await buildRepoMap({ files: shop }, { maxTokens: 3 })
    expect(none.entries).toEqual([])
    expect(none.text).toBe('')
  })

  it('personalises the ranking toward focus files and identifiers', async () => {
    const plain = await buildRepoMap({ files: shop }, { maxTokens: 1000 })
    const rankOf = (map: typeof plain, name: string) => map.entries.find((e) => e.name === name)?.rank ?? 0
    const positionOf = (map: typeof plain, name: string) => map.entries.findIndex((e) => e.name === name)

    const focusedFile = await buildRepoMap({ files: shop }, { maxTokens: 1000, focus: ['tools/report.py'] })
    expect(positionOf(focusedFile, 'summarize_orders')).toBeLessThan(positionOf(plain, 'summarize_orders'))
    expect(focusedFile.files[0]?.path).toBe('tools/report.py')

    const focusedName = await buildRepoMap(
      { files: shop },
      { maxTokens: 1000, focus: { identifiers: ['addItem'] } },
    )
    expect(rankOf(focusedName, 'addItem')).toBeGreaterThan(rankOf(plain, 'addItem'))
    expect(positionOf(focusedName, 'addItem')).toBeLessThan(positionOf(plain, 'addItem'))

    // an array mixes both: a path is a file, anything else an identifier
    const mixed = await buildRepoMap(
      { files: shop },
      { maxTokens: 1000, focus: ['report.py', 'summarize_orders'] },
    )
    expect(mixed.files[0]?.path).toBe('tools/report.py')
    expect(rankOf(mixed, 'summarize_orders')).toBeGreaterThan(rankOf(focusedFile, 'summarize_orders'))
  })

  it('uses the given token counter and rejects a bad budget or an aborted signal', async () => {
    const lines = (text: string) => text.split('\n').length
    const map = await buildRepoMap({ files: shop }, { maxTokens: 6, countTokens: lines })
    expect(map.tokens).toBe(lines(map.text))
    expect(map.tokens).toBeLessThanOrEqual(6)
    await expect(buildRepoMap({ files: shop }, { maxTokens: 0 })).rejects.toThrow(RangeError)
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(
      buildRepoMap({ files: shop }, { maxTokens: 100, signal: controller.signal }),
    ).rejects.toThrow('stop')
  })

  it(
    'gives the same map on worker threads, or in this thread when workers cannot start',
    async () => {
      // > 2 MB of source, so a worker pool is tried; from source without a TypeScript loader the
      // workers fail to start and the files are mapped here: either way the map is the same
      const files: RepoFile[] = Array.from({ length: 120 }, (_, i) => ({
        path: `pkg/module_${i}.py`,
        content: `${Array.from({ length: 300 }, (_, j) => `def helper_${i}_${j}(value):\n    return shared_helper(value) + ${j}\n`).join('\n')}`,
      }))
      files.push({ path: 'pkg/shared.py', content: 'def shared_helper(value):\n    return value\n' })
      const inThread = await buildRepoMap({ files }, { maxTokens: 300, workers: 1 })
      const progress: RepoMapProgress[] = []
      const pooled = await buildRepoMap(
        { files },
        { maxTokens: 300, workers: 2, onProgress: (step) => progress.push(step) },
      )
      expect(pooled).toEqual(inThread)
      // parsing counts up to every file (per batch on workers, per file here), then ranking
      const parsing = progress.filter((step) => step.phase === 'parsing')
      expect(parsing.every((step) => step.total === files.length)).toBe(true)
      expect(parsing.map((step) => step.done)).toEqual(
        [...parsing.map((step) => step.done)].sort((a, b) => a - b),
      )
      expect(parsing.at(-1)?.done).toBe(files.length)
      expect(progress.at(-1)).toEqual({ phase: 'ranking', done: 0 })
      // a failing progress callback fails the build, on workers as in this thread
      const failing = buildRepoMap(
        { files },
        {
          maxTokens: 300,
          workers: 2,
          onProgress: (step) => {
            if (step.phase === 'parsing' && step.done > 0) throw new Error('display gone')
          },
        },
      )
      await expect(failing).rejects.toThrow('display gone')
      expect(inThread.entries[0]).toMatchObject({ path: 'pkg/shared.py', name: 'shared_helper' })
    },
    WORKER_TIMEOUT_MS,
  )

  it('skips files over maxFileBytes and files whose language is unknown', async () => {
    const map = await buildRepoMap(
      { files: [...shop, { path: 'notes.txt', content: 'hello' }] },
      { maxTokens: 500, maxFileBytes: 200 },
    )
    expect(map.skipped).toEqual(
      expect.arrayContaining([
        { path: 'src/cart.ts', reason: 'too-large' },
        { path: 'notes.txt', reason: 'unknown-language' },
      ]),
    )
    expect(map.files.map((f) => f.path)).not.toContain('src/cart.ts')
  })
})

describe('buildRepoMap({ root }) and walkRepository', () => {
  let root: string

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ql-repo-map-'))
    const write = async (path: string, content: string) => {
      await mkdir(join(root, path, '..'), { recursive: true })
      await writeFile(join(root, path), content)
    }
    await write('.gitignore', 'build/\n*.gen.ts\n!keep.gen.ts\n')
    await write(
      'src/app.ts',
      "import { helper } from './lib/helper'\nexport function main() { return helper() }\n",
    )
    await write('src/lib/helper.ts', 'export function helper() { return 1 }\n')
    await write('src/lib/.gitignore', 'secret.ts\n')
    await write('src/lib/secret.ts', 'export const TOKEN = 1\n')
    await write('src/types.gen.ts', 'export type Generated = 1\n')
    await write('src/keep.gen.ts', 'export type Kept = 1\n')
    await write('build/out.js', 'function built() {}\n')
    await write('bin/run', '#!/usr/bin/env python3\ndef run():\n    pass\n')
    await write('bin/data', 'no shebang here\n')
    await write('.git/config', '[core]\n')
    await write('.git/info/exclude', 'local-notes.ts\n')
    await write('local-notes.ts', 'export const NOTE = 1\n')
  })

  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('walks the tree honouring every .gitignore, in a stable order', async () => {
    const paths: string[] = []
    for await (const path of walkRepository(root)) paths.push(path)
    expect(paths).toEqual([
      '.gitignore',
      'bin/data',
      'bin/run',
      'src/app.ts',
      'src/keep.gen.ts',
      'src/lib/.gitignore',
      'src/lib/helper.ts',
    ])
    const extra: string[] = []
    for await (const path of walkRepository(root, { ignore: ['bin/'] })) extra.push(path)
    expect(extra).not.toContain('bin/run')
  })

  it(
    'maps a directory, detecting languages by name and #! line',
    async () => {
      const map = await buildRepoMap({ root }, { maxTokens: 500 })
      expect(map.files.map((f) => f.path).sort()).toEqual([
        'bin/run',
        'src/app.ts',
        'src/keep.gen.ts',
        'src/lib/helper.ts',
      ])
      expect(map.entries.map((e) => e.name)).toEqual(
        expect.arrayContaining(['helper', 'main', 'run', 'Kept']),
      )
      expect(map.entries[0]?.name).toBe('helper')
      expect(map.skipped).toEqual(expect.arrayContaining([{ path: 'bin/data', reason: 'unknown-language' }]))
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('stops when the signal aborts', async () => {
    await expect(buildRepoMap({ root }, { maxTokens: 500, signal: AbortSignal.abort() })).rejects.toThrow()
  })

  it(
    'reports progress: each file listed while reading, each file parsed of the total, then ranking',
    async () => {
      const progress: RepoMapProgress[] = []
      const map = await buildRepoMap({ root }, { maxTokens: 500, onProgress: (step) => progress.push(step) })
      let listed = 0
      for await (const _ of walkRepository(root)) listed++
      expect(progress.filter((step) => step.phase === 'reading')).toEqual(
        Array.from({ length: listed }, (_, i) => ({ phase: 'reading', done: i + 1 })),
      )
      expect(progress.filter((step) => step.phase === 'parsing')).toEqual(
        Array.from({ length: map.files.length + 1 }, (_, i) => ({
          phase: 'parsing',
          done: i,
          total: map.files.length,
        })),
      )
      expect(progress.at(-1)).toEqual({ phase: 'ranking', done: 0 })
      await expect(
        buildRepoMap(
          { root },
          {
            maxTokens: 500,
            onProgress: () => {
              throw new Error('display gone')
            },
          },
        ),
      ).rejects.toThrow('display gone')
    },
    FIRST_USE_TIMEOUT_MS,
  )
})

describe('defaultRepoMapWorkers', () => {
  it('keeps the map in this thread on 2 cores and for less than 8 MB, as measured', () => {
    expect(defaultRepoMapWorkers(2_800_000, 2)).toBe(1)
    expect(defaultRepoMapWorkers(50_000_000, 2)).toBe(1)
    expect(defaultRepoMapWorkers(7_000_000, 16)).toBe(1)
    expect(defaultRepoMapWorkers(8_000_000, 3)).toBe(2)
    expect(defaultRepoMapWorkers(50_000_000, 16)).toBe(4)
  })
})

describe('pageRank', () => {
  it('sums to 1, follows weights and honours personalisation', () => {
    const ranks = pageRank(3, [
      { from: 0, to: 1, weight: 1 },
      { from: 2, to: 1, weight: 1 },
      { from: 1, to: 0, weight: 1 },
    ])
    expect(ranks.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    expect(ranks[1]).toBeGreaterThan(ranks[0] as number)
    expect(ranks[0]).toBeGreaterThan(ranks[2] as number)

    const personal = pageRank(3, [{ from: 0, to: 1, weight: 1 }], { personalization: [0, 0, 1] })
    expect(personal[2]).toBeGreaterThan(personal[0] as number)
    expect(personal.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    expect(pageRank(0, [])).toEqual([])
    // a zero personalisation falls back to uniform jumps
    expect(pageRank(2, [], { personalization: [0, 0] })).toEqual([0.5, 0.5])
  })
})

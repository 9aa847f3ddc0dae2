import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRepoMap } from '../src/repo-map/build-repo-map'
import type { RepoFile, RepoMap } from '../src/repo-map/repo-map'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

const names = (map: RepoMap) => [...new Set(map.entries.map((entry) => entry.name))]

describe('buildRepoMap ranks references by what they can reach', () => {
  it('does not let a built-in method a file defines collect every call of the built-in', async () => {
    const callers: RepoFile[] = Array.from({ length: 8 }, (_, i) => ({
      path: `src/model-${i}.ts`,
      content: `import { createStore } from './store'
export function defineModel${i}(target: object) {
  Object.defineProperty(target, 'id', { value: ${i} })
  Object.defineProperty(target, 'name', { value: 'm' })
  return createStore(target).toString()
}
`,
    }))
    const files: RepoFile[] = [
      {
        path: 'src/proxy.ts',
        content: `export const handler = {
  defineProperty(target: object, key: string) { return Reflect.defineProperty(target, key, {}) },
  toString() { return 'handler' },
}
`,
      },
      {
        path: 'src/store.ts',
        content: 'export function createStore(target: object) {\n  return { target }\n}\n',
      },
      ...callers,
    ]
    const map = await buildRepoMap({ files }, { maxTokens: 2000 })
    expect(map.entries[0]).toMatchObject({ path: 'src/store.ts', name: 'createStore' })
    const ranked = names(map)
    expect(ranked.indexOf('defineProperty')).toBeGreaterThan(ranked.indexOf('createStore'))
    expect(map.files[0]?.path).toBe('src/store.ts')
  })

  it('credits the definition a file imports, not one elsewhere with the same name', async () => {
    const files: RepoFile[] = [
      {
        path: 'lib/a/format.ts',
        content: 'export function formatValue(v: number) {\n  return String(v)\n}\n',
      },
      {
        path: 'lib/b/format.ts',
        content: 'export function formatValue(v: number) {\n  return v.toFixed(2)\n}\n',
      },
      ...Array.from({ length: 3 }, (_, i) => ({
        path: `app/view-${i}.ts`,
        content: `import { formatValue } from '../lib/b/format'\nexport const view${i} = () => formatValue(${i})\n`,
      })),
      {
        path: 'app/python_user.py',
        content: 'from .helpers import tidy_value\n\ndef run():\n    return tidy_value(1)\n',
      },
      { path: 'app/helpers.py', content: 'def tidy_value(v):\n    return v\n' },
      { path: 'other/helpers.py', content: 'def tidy_value(v):\n    return -v\n' },
    ]
    const map = await buildRepoMap({ files }, { maxTokens: 2000 })
    const rank = (path: string, name: string) =>
      map.entries.find((entry) => entry.path === path && entry.name === name)?.rank ?? 0
    expect(rank('lib/b/format.ts', 'formatValue')).toBeGreaterThan(
      10 * rank('lib/a/format.ts', 'formatValue'),
    )
    expect(rank('app/helpers.py', 'tidy_value')).toBeGreaterThan(10 * rank('other/helpers.py', 'tidy_value'))
  })

  it('puts what a focus file uses before what it defines itself', async () => {
    const files: RepoFile[] = [
      { path: 'src/money.ts', content: 'export function formatPrice(c: number) {\n  return c / 100\n}\n' },
      {
        path: 'src/cart.ts',
        content:
          "import { formatPrice } from './money'\nexport class ShoppingCart {\n  totalLabel() {\n    return formatPrice(1)\n  }\n}\n",
      },
      {
        path: 'src/invoice.ts',
        content: `import { ShoppingCart } from './cart'
import { formatPrice } from './money'
export function renderInvoice(cart: ShoppingCart) { return formatPrice(2) + cart.totalLabel() }
export function invoiceNumber() { return 1 }
export function invoiceDate() { return 2 }
`,
      },
    ]
    const map = await buildRepoMap({ files }, { maxTokens: 2000, focus: ['src/invoice.ts'] })
    const ranked = names(map)
    for (const own of ['renderInvoice', 'invoiceNumber', 'invoiceDate'])
      for (const used of ['ShoppingCart', 'formatPrice', 'totalLabel'])
        expect(ranked.indexOf(own), `${own} after ${used}`).toBeGreaterThan(ranked.indexOf(used))
    // still the most relevant file: the ranking is personalised toward it
    expect(map.files[0]?.path).toBe('src/invoice.ts')
  })

  it(
    'ranks zod’s core the way its reader would: its API first, no name collisions on top',
    async () => {
      const require = createRequire(new URL('../../provider/package.json', import.meta.url))
      const root = join(dirname(require.resolve('zod/package.json')), 'src/v4/core')
      const map = await buildRepoMap({ root }, { maxTokens: 4000 })
      const top = names(map).slice(0, 15)
      // the Proxy trap `defineProperty` in util.ts used to be #1, by every `Object.defineProperty`
      expect(top).not.toContain('defineProperty')
      expect(top).not.toContain('toString')
      expect(top).toContain('safeParse')
      expect(top).toContain('$ZodConfig')
      expect(map.files.slice(0, 5).map((file) => file.path)).toEqual(
        expect.arrayContaining(['core.ts', 'util.ts']),
      )
    },
    FIRST_USE_TIMEOUT_MS * 2,
  )
})

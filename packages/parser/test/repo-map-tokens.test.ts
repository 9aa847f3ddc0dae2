import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base'
import { encode as o200k } from 'gpt-tokenizer/encoding/o200k_base'
import { describe, expect, it } from 'vitest'
import { estimateTokens } from '../src/chunks/estimate-tokens'
import { buildRepoMap } from '../src/repo-map/build-repo-map'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

/** A package installed in the workspace (as a dependency of `from`), by its directory. */
function packageDir(name: string, from: string): string {
  const require = createRequire(new URL(`../../${from}/package.json`, import.meta.url))
  return dirname(require.resolve(`${name}/package.json`))
}

/** Real tokens: the larger count of OpenAI's two current tokenizers. */
const realTokens = (text: string) => Math.max(o200k(text).length, cl100k(text).length)

/** Real code nobody here wrote: TypeScript, JavaScript and (where the machine has it) Python. */
const repositories: { name: string; root: string }[] = [
  { name: 'zod v4 core (TypeScript)', root: join(packageDir('zod', 'packages/provider'), 'src/v4/core') },
  { name: 'eventemitter3 (JavaScript)', root: packageDir('eventemitter3', 'packages/router') },
  { name: 'opossum (JavaScript)', root: join(packageDir('opossum', 'packages/router'), 'lib') },
  ...['/usr/lib/python3.11/email', '/usr/lib/python3/email']
    .filter((root) => existsSync(root))
    .slice(0, 1)
    .map((root) => ({ name: 'Python email package', root })),
]

describe('the default token counter', () => {
  it('counts the map glyphs and code the way byte-pair tokenizers do, never fewer on real maps', () => {
    expect(estimateTokens('')).toBe(0)
    expect(estimateTokens('⋮')).toBe(realTokens('⋮'))
    expect(estimateTokens('x = 1\n')).toBeGreaterThanOrEqual(realTokens('x = 1\n'))
    // a hash or base64 costs far more than characters / 4
    const hash = 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'
    expect(estimateTokens(hash)).toBeGreaterThanOrEqual(realTokens(hash))
    const cjk = '这是一个中文注释'
    expect(estimateTokens(cjk)).toBeGreaterThanOrEqual(realTokens(cjk))
    const emoji = 'ok 😀🎉'
    expect(estimateTokens(emoji)).toBeGreaterThanOrEqual(realTokens(emoji))
  })

  it.each(repositories)(
    'keeps maps of $name within the budget in real tokenizer tokens',
    async ({ root }) => {
      const all = (await buildRepoMap({ root }, { maxTokens: 1_000_000 })).entries.length
      for (const maxTokens of [128, 2048]) {
        const map = await buildRepoMap({ root }, { maxTokens })
        expect(map.entries.length).toBeGreaterThan(0)
        expect(map.tokens).toBeLessThanOrEqual(maxTokens)
        const real = realTokens(map.text)
        expect(real, `${root} at ${maxTokens}`).toBeLessThanOrEqual(maxTokens)
        // conservative, not wasteful: a map that had to leave entries out uses most of its budget
        if (maxTokens >= 1024 && map.entries.length < all) expect(real / maxTokens).toBeGreaterThan(0.65)
      }
    },
    FIRST_USE_TIMEOUT_MS * 2,
  )
})

/**
 * The packages accept zod `^3.25.76 || ^4.0.0` as a peer. zod 3.25+ ships the zod 4 API under
 * `zod/v4` and zod 4 keeps that subpath, so every file a package publishes imports zod from
 * `zod/v4`: a bare `'zod'` would load zod 3's classic API for a zod 3 user. The consumer smoke test
 * proves the packed packages on zod 3; this catches the import where it is written.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

const ZOD_SPECIFIER = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](zod(?:\/[^'"]*)?)['"]/g

describe('zod imports in published sources', () => {
  const files = readdirSync(join(root, 'packages')).flatMap((name) => {
    try {
      return sources(join(root, 'packages', name, 'src'))
    } catch {
      return []
    }
  })

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(20)
  })

  it("imports zod only as 'zod/v4'", () => {
    const wrong = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(ZOD_SPECIFIER)]
        .filter((match) => match[1] !== 'zod/v4')
        .map((match) => `${relative(root, file)}: '${match[1]}'`),
    )
    expect(wrong, "import { z } from 'zod/v4' (zod 3.25+ and zod 4 both have it)").toEqual([])
  })
})

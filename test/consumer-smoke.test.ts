/**
 * The consumer smoke test: pack every public package, install the tarballs into a fresh project
 * outside the workspace with npm, and import every entry point from ESM and from CJS. It catches a
 * broken `exports` map, a missing file in `files`, or a dependency that only the workspace has,
 * before a user does.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

interface PackageJson {
  name: string
  private?: boolean
  exports: Record<string, unknown>
}

const root = resolve(import.meta.dirname, '..')
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir) }))
  .filter(({ dir }) => existsSync(join(dir, 'package.json')))
  .map(({ dir }) => ({
    dir,
    json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson,
  }))
  .filter(({ json }) => json.private !== true)

let project = ''

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  })
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ql-consumer-'))
  const tarballs = join(project, 'tarballs')
  for (const { dir, json } of packages) {
    if (!existsSync(join(dir, 'dist'))) throw new Error(`${json.name} is not built: run \`pnpm build\` first`)
    run('pnpm', ['pack', '--pack-destination', tarballs], dir)
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ql-consumer', private: true }))
  const files = readdirSync(tarballs).map((file) => join(tarballs, file))
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...files],
    project,
  )
})

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true })
})

function exportNames(source: string, file: string): string[] {
  writeFileSync(join(project, file), source)
  const output = run('node', [file], project)
  return (JSON.parse(output.trim().split('\n').at(-1) ?? '[]') as string[]).filter(
    (name) => name !== 'default' && name !== '__esModule',
  )
}

describe.each(packages.map((p) => [p.json.name, p] as const))(
  '%s from the packed tarball',
  (name, { json }) => {
    const entries = Object.keys(json.exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`))

    it.each(entries)('%s imports from ESM and CJS with the same exports', (specifier) => {
      const safe = specifier.replace(/[^a-z0-9]/gi, '_')
      const esm = exportNames(
        `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()))`,
        `${safe}.mjs`,
      )
      const cjs = exportNames(
        `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()))`,
        `${safe}.cjs`,
      )
      expect(esm.length).toBeGreaterThan(0)
      expect(cjs).toEqual(esm)
    })
  },
)

describe('@ql/provider as a consumer uses it', () => {
  it('recognises errors across its ESM and CJS copies, and runs the mock model', () => {
    writeFileSync(
      join(project, 'provider-use.mjs'),
      `
import { createRequire } from 'node:module'
import { RateLimitedError, validateChatRequest } from '@ql/provider'
import { createMockChatModel } from '@ql/provider/testing'
const cjs = createRequire(import.meta.url)('@ql/provider')
const model = createMockChatModel({ script: [{ text: 'hello' }, { error: new cjs.RateLimitedError({ message: 'x' }) }] })
const request = validateChatRequest({ messages: [{ role: 'user', content: 'hi' }] })
const text = (await model.stream(request).response).text
const error = await model.generate(request).catch((e) => e)
console.log(JSON.stringify({ text, esmSeesCjs: RateLimitedError.isInstance(error), instanceOf: error instanceof RateLimitedError }))
`,
    )
    const result = JSON.parse(run('node', ['provider-use.mjs'], project).trim())
    expect(result).toEqual({ text: 'hello', esmSeesCjs: true, instanceOf: false })
  })
})

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

/**
 * Optional peer dependencies a consumer installs beside a package to use all of its entry points,
 * pinned to the versions the workspace tests against.
 */
function optionalPeers(dir: string): string[] {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    peerDependenciesMeta?: Record<string, { optional?: boolean }>
    devDependencies?: Record<string, string>
  }
  return Object.entries(json.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional === true)
    .map(([name]) => `${name}@${json.devDependencies?.[name] ?? 'latest'}`)
}

let project = ''
let tarballs = ''
const onlyProjects: string[] = []

/** The environment of a consumer: without the NODE_PATH that pnpm's bin shims point into the workspace. */
const consumerEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_PATH'))

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    env: consumerEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  })
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ql-consumer-'))
  tarballs = join(project, 'tarballs')
  for (const { dir, json } of packages) {
    if (!existsSync(join(dir, 'dist'))) throw new Error(`${json.name} is not built: run \`pnpm build\` first`)
    run('pnpm', ['pack', '--pack-destination', tarballs], dir)
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ql-consumer', private: true }))
  const files = readdirSync(tarballs).map((file) => join(tarballs, file))
  const peers = packages.flatMap(({ dir }) => optionalPeers(dir))
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...files, ...peers],
    project,
  )
})

afterAll(() => {
  for (const dir of [project, ...onlyProjects]) if (dir !== '') rmSync(dir, { recursive: true, force: true })
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

const router = packages.find((p) => p.json.name === '@ql/router')

describe.runIf(router?.json.exports['./openai'] !== undefined)(
  '@ql/router/openai in a project that has only openai installed',
  () => {
    it('imports from ESM and CJS and makes a model, with no Anthropic or AWS package present', () => {
      // a sibling of the main project, so Node cannot find the other SDKs by walking up
      const only = mkdtempSync(join(tmpdir(), 'ql-openai-only-'))
      onlyProjects.push(only)
      writeFileSync(join(only, 'package.json'), JSON.stringify({ name: 'openai-only', private: true }))
      const mine = readdirSync(tarballs)
        .filter((file) => file.startsWith('ql-provider-') || file.startsWith('ql-router-'))
        .map((file) => join(tarballs, file))
      const openai = optionalPeers(router?.dir ?? '').filter((peer) => peer.startsWith('openai@'))
      run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...mine, ...openai],
        only,
      )
      writeFileSync(
        join(only, 'check.mjs'),
        `
import { createRequire } from 'node:module'
import { createOpenAI } from '@ql/router/openai'
const require = createRequire(import.meta.url)
const cjs = require('@ql/router/openai')
const model = createOpenAI({ apiKey: 'test-key' }).chat('gpt-4o-mini')
const missing = ['@anthropic-ai/sdk', '@aws-sdk/client-bedrock-runtime'].filter((name) => {
  try { require.resolve(name); return false } catch { return true }
})
console.log(JSON.stringify({ provider: model.provider, modelId: model.modelId, cjs: typeof cjs.createOpenAI, missing }))
`,
      )
      const result = JSON.parse(run('node', ['check.mjs'], only).trim())
      expect(result).toEqual({
        provider: 'openai',
        modelId: 'gpt-4o-mini',
        cjs: 'function',
        missing: ['@anthropic-ai/sdk', '@aws-sdk/client-bedrock-runtime'],
      })
    })
  },
)

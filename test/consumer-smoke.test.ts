/**
 * The consumer smoke test: pack every public package once, install the tarballs with npm into
 * fresh projects outside the workspace (two installs at once: everything with every optional
 * peer; @ql/router with only `openai`, on zod 3.25.76), and use them as a consumer
 * would: every entry point from ESM and from CJS, an OpenAI-only install that gets no Anthropic,
 * AWS or Smithy package, and zod 3's `zod/v4`. It catches a broken `exports` map, a missing file
 * in `files`, or a dependency that only the workspace has, before a user does.
 */
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt } from './ensure-built'

interface PackageJson {
  name: string
  private?: boolean
  exports: Record<string, unknown>
}

const execFileAsync = promisify(execFile)
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

const router = packages.find((p) => p.json.name === '@ql/router')

let project = ''
let tarballs = ''
const projects: string[] = []

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

async function runAsync(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync(command, args, { cwd, env: consumerEnv, timeout: 240_000 })
  return stdout
}

/** A fresh project outside the workspace (a sibling of the others, so Node cannot walk up into one). */
function newProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  projects.push(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: prefix.replace(/-$/, ''), private: true }))
  return dir
}

function npmInstall(dir: string, specs: string[]): Promise<string> {
  return runAsync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs],
    dir,
  )
}

function tarball(name: string): string {
  const file = readdirSync(tarballs).find((candidate) =>
    candidate.startsWith(`${name.replace('@', '').replace('/', '-')}-`),
  )
  if (file === undefined) throw new Error(`no tarball for ${name}`)
  return join(tarballs, file)
}

/** The zod 3 release that first ships zod 4 under `zod/v4` in the shape @ql uses: the low end of our peer range. */
const ZOD_3 = 'zod@3.25.76'

/**
 * The two installs run at once: every package with every optional peer (and zod 4, the newest
 * zod npm picks for the peer); @ql/provider and @ql/router with only `openai` and zod 3.25.76,
 * which proves both that an OpenAI-only install needs nothing else and that zod 3 works. Each
 * suite below waits for its own.
 */
let installs: Record<'full' | 'openaiOnly', Promise<string>>
let openaiOnly = ''
const timings: string[] = []

beforeAll(async () => {
  project = newProject('ql-consumer-')
  tarballs = join(project, 'tarballs')
  const t0 = performance.now()
  await ensureBuilt()
  const built = performance.now()
  await Promise.all(
    packages.map(({ dir }) => runAsync('pnpm', ['pack', '--pack-destination', tarballs], dir)),
  )
  const packed = performance.now()
  const all = readdirSync(tarballs).map((file) => join(tarballs, file))
  const peers = packages.flatMap(({ dir }) => optionalPeers(dir))
  const openai = optionalPeers(router?.dir ?? '').filter((peer) => peer.startsWith('openai@'))
  const routerTarballs = ['@ql/provider', '@ql/router'].map(tarball)
  openaiOnly = newProject('ql-openai-only-zod3-')
  const took = (since: number) => `${Math.round(performance.now() - since)} ms`
  installs = {
    full: npmInstall(project, [...all, ...peers]).finally(() => timings.push(`full install ${took(packed)}`)),
    openaiOnly: npmInstall(openaiOnly, [...routerTarballs, ...openai, ZOD_3]).finally(() =>
      timings.push(`openai-only/zod 3 install ${took(packed)}`),
    ),
  }
  timings.push(`waited for the build ${Math.round(built - t0)} ms`, `pack ${Math.round(packed - built)} ms`)
  // each suite awaits its own install; keep a failure from being reported as unhandled meanwhile
  for (const install of Object.values(installs)) install.catch(() => {})
  await installs.full
})

afterAll(() => {
  // where this file's time goes, for the suite's timing notes
  console.info(`consumer smoke: ${timings.join(', ')}`)
  for (const dir of projects) rmSync(dir, { recursive: true, force: true })
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

describe.runIf(router?.json.exports['./openai'] !== undefined)(
  `@ql/router/openai in a project that has only openai and ${ZOD_3} installed`,
  () => {
    beforeAll(() => installs.openaiOnly)

    it('imports from ESM and CJS and makes a model, with no Anthropic, AWS or Smithy package present', () => {
      writeFileSync(
        join(openaiOnly, 'check.mjs'),
        `
import { createRequire } from 'node:module'
import { createOpenAI } from '@ql/router/openai'
const require = createRequire(import.meta.url)
const cjs = require('@ql/router/openai')
const model = createOpenAI({ apiKey: 'test-key' }).chat('gpt-4o-mini')
const missing = ['@anthropic-ai/sdk', '@aws-sdk/client-bedrock-runtime', '@smithy/eventstream-codec', '@smithy/util-utf8'].filter((name) => {
  try { require.resolve(name); return false } catch { return true }
})
console.log(JSON.stringify({ provider: model.provider, modelId: model.modelId, cjs: typeof cjs.createOpenAI, missing }))
`,
      )
      const result = JSON.parse(run('node', ['check.mjs'], openaiOnly).trim())
      expect(result).toEqual({
        provider: 'openai',
        modelId: 'gpt-4o-mini',
        cjs: 'function',
        missing: [
          '@anthropic-ai/sdk',
          '@aws-sdk/client-bedrock-runtime',
          '@smithy/eventstream-codec',
          '@smithy/util-utf8',
        ],
      })
      const installed = readdirSync(join(openaiOnly, 'node_modules'))
      expect(
        installed.filter((name) => ['@smithy', '@aws-sdk', '@aws-crypto', '@anthropic-ai'].includes(name)),
      ).toEqual([])
    })

    it('runs the OpenAI and the Bedrock fakes from @ql/router/testing without any AWS package', () => {
      writeFileSync(
        join(openaiOnly, 'fakes.mjs'),
        `
import http2 from 'node:http2'
import { createOpenAI } from '@ql/router/openai'
import { startFakeProvider } from '@ql/router/testing'
const openai = await startFakeProvider({ protocol: 'openai', script: [{ text: 'hi from the fake' }] })
const text = (await createOpenAI({ apiKey: 'k', baseURL: openai.baseURL }).chat('gpt-4o-mini').generate({ messages: [{ role: 'user', content: 'hi' }] })).text
await openai.close()
// the Bedrock fake's event-stream frames, read with plain HTTP/2 (no AWS SDK here)
const bedrock = await startFakeProvider({ protocol: 'bedrock', script: [{ text: 'hello' }] })
const session = http2.connect(bedrock.baseURL)
const request = session.request({ ':method': 'POST', ':path': '/model/m/converse-stream', 'content-type': 'application/json' })
request.end(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
const chunks = []
for await (const chunk of request) chunks.push(chunk)
session.close()
await bedrock.close()
const body = Buffer.concat(chunks)
console.log(JSON.stringify({ text, frames: body.length > 0 && body.includes('contentBlockDelta'), firstFrameLength: body.readUInt32BE(0) <= body.length }))
`,
      )
      const result = JSON.parse(run('node', ['fakes.mjs'], openaiOnly).trim())
      expect(result).toEqual({ text: 'hi from the fake', frames: true, firstFrameLength: true })
    })
  },
)

describe.runIf(router?.json.exports['./openai'] !== undefined)(
  `@ql/provider and @ql/router on ${ZOD_3} (the same project)`,
  () => {
    beforeAll(() => installs.openaiOnly)

    it('installs with zod 3 as the only zod, validates a request, turns a zod/v4 schema into JSON Schema and calls a model', () => {
      writeFileSync(
        join(openaiOnly, 'zod3.mjs'),
        `
import { readFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { z } from 'zod/v4'
import { InvalidRequestError, toJsonSchema, validateChatRequest } from '@ql/provider'
import { createOpenAI } from '@ql/router/openai'
import { startFakeProvider } from '@ql/router/testing'
const require = createRequire(import.meta.url)
const zodVersion = JSON.parse(readFileSync('node_modules/zod/package.json', 'utf8')).version
const nestedZod = ['@ql/provider', '@ql/router'].filter((name) => existsSync('node_modules/' + name + '/node_modules/zod'))

const weather = z.object({ city: z.string().describe('City name') })
const request = validateChatRequest({
  messages: [{ role: 'user', content: 'Weather in Oslo?' }],
  tools: [{ name: 'weather', description: 'Current weather', inputSchema: weather }],
})
const invalid = (() => { try { validateChatRequest({ messages: [] }); return 'accepted' } catch (e) { return InvalidRequestError.isInstance(e) ? e.code : String(e) } })()
const schema = toJsonSchema(weather)
const cjsSchema = require('@ql/provider').toJsonSchema(require('zod/v4').z.object({ n: z.number() }))

const fake = await startFakeProvider({ protocol: 'openai', script: [{ toolCalls: [{ id: 'call_1', name: 'weather', input: { city: 'Oslo' } }] }] })
const response = await createOpenAI({ apiKey: 'k', baseURL: fake.baseURL }).chat('gpt-4o-mini').generate(request)
const sent = fake.requests[0].body.tools[0].function.parameters
await fake.close()
console.log(JSON.stringify({
  zodVersion, nestedZod, invalid,
  schemaType: schema.type, city: schema.properties.city, required: schema.required,
  cjsRequired: cjsSchema.required,
  sentCity: sent.properties.city,
  toolCalls: response.toolCalls.map(({ name, input }) => ({ name, input })),
}))
`,
      )
      const result = JSON.parse(run('node', ['zod3.mjs'], openaiOnly).trim())
      expect(result).toEqual({
        zodVersion: ZOD_3.slice('zod@'.length),
        nestedZod: [],
        invalid: 'invalid_request',
        schemaType: 'object',
        city: { type: 'string', description: 'City name' },
        required: ['city'],
        cjsRequired: ['n'],
        sentCity: { type: 'string', description: 'City name' },
        toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }],
      })
    })

    it('typechecks zod/v4 schemas against the packed types, and rejects a classic zod 3 schema with a typed error', () => {
      writeFileSync(
        join(openaiOnly, 'zod3-types.ts'),
        `
import { z } from 'zod/v4'
import { type ChatRequest, toJsonSchema, validateChatRequest } from '@ql/provider'
import { createOpenAI } from '@ql/router/openai'
const weather = z.object({ city: z.string() })
const request: ChatRequest = {
  messages: [{ role: 'user', content: 'Weather in Oslo?' }],
  tools: [{ name: 'weather', inputSchema: weather }],
  responseFormat: { type: 'json', schema: weather },
}
validateChatRequest(request)
export const schema = toJsonSchema(weather)
export const model = createOpenAI({ apiKey: 'k' }).chat('gpt-4o-mini')
`,
      )
      // the workspace's TypeScript, resolving every import from the consumer project
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
      const types = join(root, 'node_modules', '@types')
      run(
        'node',
        [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022'].concat([
          '--exactOptionalPropertyTypes',
          '--typeRoots',
          types,
          '--types',
          'node',
          'zod3-types.ts',
        ]),
        openaiOnly,
      )
      writeFileSync(
        join(openaiOnly, 'zod3-classic.mjs'),
        `
import { z } from 'zod'
import { InvalidRequestError, validateChatRequest } from '@ql/provider'
try {
  validateChatRequest({ messages: [{ role: 'user', content: 'x' }], tools: [{ name: 'w', inputSchema: z.object({ a: z.string() }) }] })
  console.log(JSON.stringify('accepted'))
} catch (error) {
  console.log(JSON.stringify(InvalidRequestError.isInstance(error) ? error.code : String(error)))
}
`,
      )
      expect(JSON.parse(run('node', ['zod3-classic.mjs'], openaiOnly).trim())).toBe('invalid_request')
    })
  },
)

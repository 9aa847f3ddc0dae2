/**
 * Every ```ts / ```js block in every README (the root, packages/*, examples/, bench/) and in
 * docs/ compiles and runs as written on Node 20, the way a user who copies it would run it.
 *
 * - All blocks are typechecked in ONE TypeScript program, each as its own module, with the
 *   compiler options `tsc --init` writes (TypeScript 5.9: `module: nodenext`, `target: esnext`,
 *   `strict`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`, ...) plus `types: ["node"]`,
 *   against the built workspace packages (their `exports` and `.d.ts`, as a consumer sees them).
 *   The packages are built once per run by `ensure-built.ts`.
 * - Every emitted file must parse on this Node (`node --check`): `target: esnext` keeps syntax
 *   such as `using` that Node 20 cannot run, so a README that uses it fails here.
 * - Every block is then run with `node`, with the provider SDKs pointed at loopback fakes through
 *   their own environment variables (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`,
 *   `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, `OLLAMA_BASE_URL`, test keys and credentials), and must
 *   exit with 0.
 *
 * Markers, an HTML comment on the line right before the opening fence (a reason is required):
 * - `<!-- readme-test: no-run (reason) -->`: typechecked and syntax-checked, not run (it needs
 *   something the loopback fakes cannot give, e.g. a real AWS account or a long-running loop).
 * - `<!-- readme-test: skip (reason) -->`: neither typechecked nor run (an excerpt that cannot
 *   stand alone, such as a type signature). Use it rarely: prefer a block that runs.
 * See CONTRIBUTING.md.
 */
import { execFile } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt } from './ensure-built'

const execFileAsync = promisify(execFile)

/** The part of `@ql/router/testing` used here, loaded from the build like the blocks' imports. */
interface FakeProvider {
  baseURL: string
  close(): Promise<void>
}
type StartFakeProvider = (options: {
  protocol: 'openai' | 'anthropic' | 'bedrock'
  script: { text: string; usage: { inputTokens: number; outputTokens: number } }[]
}) => Promise<FakeProvider>
const root = resolve(import.meta.dirname, '..')

/** The options `tsc --init` (TypeScript 5.9) writes, with Node's types added. */
const TSC_INIT_OPTIONS = {
  module: 'nodenext',
  target: 'esnext',
  types: ['node'],
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  strict: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUncheckedSideEffectImports: true,
  moduleDetection: 'force',
  skipLibCheck: true,
}

/** Packages a block may import, linked into the scratch project from the workspace: every @ql package, and these. */
const LINKED_PACKAGES = [
  ...readdirSync(join(root, 'packages')).map((dir) => `@ql/${dir}`),
  'zod',
  'openai',
  '@anthropic-ai/sdk',
  '@aws-sdk/client-bedrock-runtime',
]

const TS_LANGUAGES = new Set(['ts', 'typescript', 'mts'])
const JS_LANGUAGES = new Set(['js', 'javascript', 'mjs'])
const MARKER = /^<!--\s*readme-test:\s*(no-run|skip)\s*\((.+)\)\s*-->$/
const BAD_MARKER = /<!--\s*readme-test/

interface CodeBlock {
  /** `packages/provider/README.md:42`: the line of the opening fence. */
  name: string
  markdown: string
  /** 1-based line in the markdown file of the block's first code line. */
  codeStartLine: number
  extension: 'ts' | 'js'
  code: string
  mode: 'run' | 'no-run' | 'skip'
  file: string
}

function markdownFiles(): string[] {
  const found = ['README.md']
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist' && path !== join('docs', 'api')) walk(path)
      } else if (entry.name === 'README.md' || (dir.startsWith('docs') && entry.name.endsWith('.md'))) {
        found.push(path)
      }
    }
  }
  for (const dir of ['packages', 'examples', 'bench', 'docs']) if (existsSync(join(root, dir))) walk(dir)
  return found.sort()
}

/** Fenced blocks (``` or ~~~, possibly indented in a list) with their marker, CommonMark-style. */
function extractBlocks(markdown: string): CodeBlock[] {
  const lines = readFileSync(join(root, markdown), 'utf8').split('\n')
  const blocks: CodeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i] ?? '')
    if (open === null) continue
    const [, indent = '', fence = '', info = ''] = open
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`)
    let end = i + 1
    while (end < lines.length && !close.test(lines[end] ?? '')) end++
    const language = info.toLowerCase()
    const previous = (lines[i - 1] ?? '').trim()
    const marker = MARKER.exec(previous)
    if (marker === null && BAD_MARKER.test(previous)) {
      throw new Error(
        `${markdown}:${i}: malformed marker ${previous}: write <!-- readme-test: no-run (reason) -->`,
      )
    }
    const extension = TS_LANGUAGES.has(language) ? 'ts' : JS_LANGUAGES.has(language) ? 'js' : undefined
    if (extension !== undefined) {
      const code = lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
        .join('\n')
      blocks.push({
        name: `${markdown}:${i + 1}`,
        markdown,
        codeStartLine: i + 2,
        extension,
        code: `${code}\n`,
        mode: (marker?.[1] as 'no-run' | 'skip' | undefined) ?? 'run',
        file: '',
      })
    }
    i = end
  }
  return blocks
}

const blocks = markdownFiles().flatMap(extractBlocks)
const checked = blocks.filter((block) => block.mode !== 'skip')

let project = ''
const fakes: FakeProvider[] = []
const typeErrors = new Map<CodeBlock, string[]>()
const runs = new Map<CodeBlock, { ok: boolean; output: string }>()

function link(name: string): void {
  const from = [
    join(root, 'packages', name.replace('@ql/', '')),
    ...readdirSync(join(root, 'packages')).map((dir) => join(root, 'packages', dir, 'node_modules', name)),
  ].find(
    (candidate) =>
      (name.startsWith('@ql/') ? candidate.startsWith(join(root, 'packages')) : true) &&
      existsSync(join(candidate, 'package.json')),
  )
  if (from === undefined) throw new Error(`${name} is not installed in any workspace package`)
  const to = join(project, 'node_modules', name)
  mkdirSync(dirname(to), { recursive: true })
  symlinkSync(realpathSync(from), to, 'dir')
}

function typecheck(): void {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    { ...TSC_INIT_OPTIONS, outDir: join(project, 'out'), rootDir: project },
    project,
  )
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0]?.messageText ?? '', '\n'))
  const program = ts.createProgram({ rootNames: checked.map((block) => block.file), options })
  const byFile = new Map(checked.map((block) => [block.file, block]))
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics]
  for (const diagnostic of diagnostics) {
    const block = diagnostic.file === undefined ? undefined : byFile.get(diagnostic.file.fileName)
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    if (block === undefined || diagnostic.file === undefined) {
      throw new Error(`TypeScript: ${message}`)
    }
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    const errors = typeErrors.get(block) ?? []
    errors.push(
      `${block.markdown}:${block.codeStartLine + line}:${character + 1} TS${diagnostic.code}: ${message}`,
    )
    typeErrors.set(block, errors)
  }
}

function emitted(block: CodeBlock): string {
  return join(project, 'out', relative(project, block.file).replace(/\.ts$/, '.js'))
}

async function node(args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('node', args, { cwd: project, env, timeout: 30_000 })
    return { ok: true, output: stdout + stderr }
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string }
    return { ok: false, output: `${failure.message}\n${failure.stdout ?? ''}${failure.stderr ?? ''}` }
  }
}

async function runAll(env: NodeJS.ProcessEnv): Promise<void> {
  const queue = checked.filter((block) => !typeErrors.has(block))
  const worker = async () => {
    for (let block = queue.shift(); block !== undefined; block = queue.shift()) {
      // a run parses the file too; a block that is not run is only parsed (`node --check`)
      runs.set(block, await node(block.mode === 'run' ? [emitted(block)] : ['--check', emitted(block)], env))
    }
  }
  await Promise.all([worker(), worker(), worker()])
}

/** Enough answers for every block; each has text, a tool call would need a tool the block defines. */
function answers() {
  return Array.from({ length: 200 }, () => ({ text: 'Oslo', usage: { inputTokens: 12, outputTokens: 1 } }))
}

beforeAll(async () => {
  await ensureBuilt()
  mkdirSync(join(root, '.tmp'), { recursive: true })
  project = mkdtempSync(join(root, '.tmp', 'readme-blocks-'))
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'readme-blocks', private: true, type: 'module' }),
  )
  for (const name of LINKED_PACKAGES) link(name)
  checked.forEach((block, index) => {
    const slug = block.markdown.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
    block.file = join(project, `${slug}-${block.codeStartLine}-${index}.${block.extension}`)
    writeFileSync(block.file, block.code)
  })
  const started = performance.now()
  typecheck()
  const typechecked = performance.now()

  const testing = join(root, 'packages', 'router', 'dist', 'testing', 'index.js')
  const { startFakeProvider } = (await import(pathToFileURL(testing).href)) as {
    startFakeProvider: StartFakeProvider
  }
  const [openai, anthropic, bedrock] = await Promise.all(
    (['openai', 'anthropic', 'bedrock'] as const).map((protocol) =>
      startFakeProvider({ protocol, script: answers() }),
    ),
  )
  fakes.push(openai!, anthropic!, bedrock!)
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    OPENAI_API_KEY: 'test-openai-key',
    OPENAI_BASE_URL: openai!.baseURL,
    OLLAMA_BASE_URL: openai!.baseURL,
    ANTHROPIC_API_KEY: 'test-anthropic-key',
    ANTHROPIC_BASE_URL: anthropic!.baseURL,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock!.baseURL,
  }
  await runAll(env)
  // where this file's time goes, for the suite's timing notes
  console.info(
    `README blocks: ${checked.length} typechecked in ${Math.round(typechecked - started)} ms, ` +
      `${checked.filter((block) => block.mode === 'run').length} run in ${Math.round(performance.now() - typechecked)} ms`,
  )
}, 420_000)

afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.close()))
  if (project !== '') rmSync(project, { recursive: true, force: true })
})

describe('README code blocks', () => {
  // blocks marked `skip` are listed, so the report shows what is not checked
  for (const block of blocks.filter((candidate) => candidate.mode === 'skip')) {
    it.skip(`${block.name} (marked skip)`, () => {})
  }

  it('finds the blocks to check', () => {
    expect(checked.length).toBeGreaterThan(10)
  })

  it.each(
    checked.map(
      (block) => [`${block.name} (${block.mode === 'run' ? 'typecheck, run' : 'typecheck'})`, block] as const,
    ),
  )('%s', (_, block) => {
    expect(typeErrors.get(block) ?? [], 'type errors').toEqual([])
    const run = runs.get(block)
    expect(run?.ok, run?.output).toBe(true)
  })
})

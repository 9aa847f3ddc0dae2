import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { estimateTokens } from '@ql/parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliIo, main, type RepoMapJson } from '../src/cli'

/** Grammars load on first use, and the machine is shared: generous, explicit timeouts. */
const TIMEOUT_MS = 60_000

const FIXTURE = fileURLToPath(new URL('./fixtures/small-repo', import.meta.url))
const PROVIDER_SRC = fileURLToPath(new URL('../../../packages/provider/src', import.meta.url))
const BIN = fileURLToPath(new URL('../bin/repo-map.mjs', import.meta.url))

let scratch = ''
let repo = ''

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'repo-map-test-'))
  repo = join(scratch, 'small-repo')
  cpSync(FIXTURE, repo, { recursive: true })
  // files the fixture's .gitignore leaves out (written here: git would not commit them)
  mkdirSync(join(repo, 'build'))
  writeFileSync(join(repo, 'build', 'bundle.ts'), 'export function ignoredBuildOutput() {}\n')
  writeFileSync(join(repo, 'src', 'api.generated.ts'), 'export function ignoredGeneratedCode() {}\n')
})

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
})

/** Runs the command in this process, with its output captured. */
async function run(args: string[], options: { tty?: boolean } = {}) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false, columns: 100 },
  }
  const code = await main(args, io, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('repo-map on a small fixture', () => {
  it(
    'prints the ranked map within the budget, honouring .gitignore, with a summary on stderr',
    async () => {
      const { code, stdout, stderr } = await run([repo, '--tokens', '400'])
      expect(code).toBe(0)
      // the most referenced definitions, under their files
      expect(stdout).toContain('src/keys.ts:')
      expect(stdout).toContain('export function makeKey(namespace: string, id: number): string')
      expect(stdout).toContain('export class Store<T>')
      expect(stdout).toContain('lib/report.py:')
      // a file known by its #! line
      expect(stdout).toContain('scripts/nightly:')
      // what .gitignore leaves out is not there
      expect(stdout).not.toContain('ignoredBuildOutput')
      expect(stdout).not.toContain('ignoredGeneratedCode')
      expect(estimateTokens(stdout.trimEnd())).toBeLessThanOrEqual(400)
      expect(stderr).toMatch(
        /^repo-map: \d+ of 400 tokens · \d+ definitions from \d+ files · 5 files mapped, 2 left out \(unknown-language 2\)/,
      )
    },
    TIMEOUT_MS,
  )

  it(
    '--json: entries, ranked files and skipped files; a tiny budget is kept; --focus reorders',
    async () => {
      const full = JSON.parse((await run([repo, '--json'])).stdout) as RepoMapJson
      expect(full.tokens).toBeLessThanOrEqual(1024)
      expect(full.listed).toBe(7) // .gitignore, notes.txt and 5 code files; nothing under build/
      expect(full.files.map((file) => file.path).sort()).toEqual([
        'lib/report.py',
        'scripts/nightly',
        'src/keys.ts',
        'src/server.ts',
        'src/store.ts',
      ])
      expect(full.skipped).toEqual([
        { path: '.gitignore', reason: 'unknown-language' },
        { path: 'notes.txt', reason: 'unknown-language' },
      ])
      // keys.ts is referenced by store.ts and server.ts: it ranks first
      expect(full.files[0]?.path).toBe('src/keys.ts')

      for (const tokens of [40, 100]) {
        const small = JSON.parse(
          (await run([repo, '--json', '--tokens', String(tokens)])).stdout,
        ) as RepoMapJson
        expect(small.tokens).toBeLessThanOrEqual(tokens)
        expect(estimateTokens(small.text)).toBeLessThanOrEqual(tokens)
        expect(small.entries.length).toBeLessThan(full.entries.length)
      }

      // focus on the Python side: its definitions come first
      const focused = JSON.parse(
        (await run([repo, '--json', '--tokens', '100', '--focus', 'scripts/nightly'])).stdout,
      ) as RepoMapJson
      expect(focused.entries[0]?.path).toBe('lib/report.py')
    },
    TIMEOUT_MS,
  )

  it(
    'bad command lines exit with 2 and say why',
    async () => {
      expect((await run(['--tokens', '0'])).stderr).toContain('--tokens takes a positive whole number')
      expect((await run(['--tokens', 'many'])).code).toBe(2)
      expect((await run([join(repo, 'nowhere')])).stderr).toContain('is not there')
      expect((await run([join(repo, 'notes.txt')])).stderr).toContain('is not a directory')
      expect((await run(['--colour'])).code).toBe(2)
      expect((await run([repo, repo])).stderr).toContain('one directory at a time')
      const help = await run(['--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain('Usage:')
    },
    TIMEOUT_MS,
  )

  it(
    'a directory without code says so',
    async () => {
      const empty = join(scratch, 'empty')
      mkdirSync(empty)
      writeFileSync(join(empty, 'notes.txt'), 'no code here\n')
      const { code, stdout, stderr } = await run([empty])
      expect(code).toBe(0)
      expect(stdout).toBe('')
      expect(stderr).toBe('repo-map: no definitions to show: 1 file listed, 0 with symbols\n')
    },
    TIMEOUT_MS,
  )

  it(
    'a cancelled run stops with 130',
    async () => {
      const controller = new AbortController()
      controller.abort()
      const io: CliIo = { stdout: { write: () => true }, stderr: { write: () => true } }
      expect(await main([repo], io, controller.signal)).toBe(130)
    },
    TIMEOUT_MS,
  )
})

describe('repo-map on packages/provider/src', () => {
  it(
    'keeps every budget, and ranks the errors every file uses first',
    async () => {
      for (const tokens of [256, 1024, 4096]) {
        const { code, stdout } = await run([PROVIDER_SRC, '--json', '--tokens', String(tokens)])
        expect(code).toBe(0)
        const map = JSON.parse(stdout) as RepoMapJson
        expect(map.tokens).toBeLessThanOrEqual(tokens)
        expect(estimateTokens(map.text)).toBeLessThanOrEqual(tokens)
        expect(map.files.length).toBeGreaterThan(40)
        expect(map.entries.length).toBeGreaterThan(0)
        // the error base class is what the most files use
        expect(map.files[0]?.path).toBe('errors/ql-error.ts')
        expect(map.entries[0]?.path).toBe('errors/ql-error.ts')
      }
    },
    TIMEOUT_MS,
  )
})

describe('the command (bin, through tsx, as a user runs it)', () => {
  it(
    'maps the fixture as a child process',
    async () => {
      const child = spawn(process.execPath, ['--conditions=@ql/source', BIN, repo, '--tokens', '200'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect(stderr).toMatch(/^repo-map: \d+ of 200 tokens/)
      expect(code).toBe(0)
      expect(stdout).toContain('src/keys.ts:')
      // not a terminal: no progress display
      expect(stderr).not.toContain('\r')
    },
    TIMEOUT_MS,
  )
})

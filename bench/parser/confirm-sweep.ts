// Sweeps real files nobody here wrote through @ql/parser and measures what confirming tree-sitter's
// diagnostics with each language's own parser changes: files flagged before and after, what the
// confirmation costs, and whether it hides real errors (misses).
//
//   cd bench && node --conditions=@ql/source --import ./parser/register-ts.mjs parser/confirm-sweep.ts
//
// SWEEP_LIMIT=N caps each group at N files (default 2000, picked evenly from the sorted list, so
// runs are repeatable); SWEEP_GROUPS=dts,js limits the groups. Corpora: the workspace's
// node_modules (.d.ts, .ts, .js/.mjs/.cjs, package.json, tsconfig*.json) and the shell scripts
// of this machine (*.sh, and #!/bin/sh or bash scripts in /usr/bin, /usr/sbin, /usr/share, /etc).
//
// Misses are checked two ways:
// - every JavaScript file whose diagnostics were dropped is checked with `node --check` (V8 is
//   the reference for JavaScript; TypeScript is the reference for .ts/.d.ts itself);
// - every file whose diagnostics were dropped is broken on purpose (its last `}` removed, or an
//   unclosed `if` appended for shell), confirmed invalid by the reference tool, and must still be
//   flagged after confirmation.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCode } from '@ql/parser'
import { confirmDiagnostics } from '../../packages/parser/src/verify/confirm-diagnostics.ts'
import { isJsoncName, jsonAccepts } from '../../packages/parser/src/verify/confirm-json.ts'
import { checkWithBash } from '../../packages/parser/src/verify/confirm-with-bash.ts'
import { loadTypeScript } from '../../packages/parser/src/verify/load-typescript.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const store = join(root, 'node_modules', '.pnpm')
const LIMIT = Number(process.env.SWEEP_LIMIT ?? 2000)
const MAX_FILE_BYTES = 2_000_000

function find(args: string[]): string[] {
  const out = spawnSync('find', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  return out.stdout.split('\n').filter((line) => line !== '')
}

/** `limit` files picked evenly from the sorted list. */
function sample(files: string[], limit: number): string[] {
  const sorted = [...new Set(files)].sort()
  if (sorted.length <= limit) return sorted
  const step = sorted.length / limit
  return Array.from({ length: limit }, (_, i) => sorted[Math.floor(i * step)] as string)
}

function shellScripts(): string[] {
  const named = find(['/usr', '/etc', '-xdev', '-name', '*.sh', '-type', 'f'])
  const candidates = find([
    '/usr/bin',
    '/usr/sbin',
    '/usr/share',
    '/etc',
    '-xdev',
    '-type',
    'f',
    '-size',
    '-512k',
  ])
  const shebang = candidates.filter((path) => {
    try {
      const head = readFileSync(path, { encoding: 'latin1', flag: 'r' }).slice(0, 64)
      return /^#!\s*(\/usr)?\/bin\/(env\s+)?(ba)?sh\b/.test(head)
    } catch {
      return false
    }
  })
  return [...named, ...shebang]
}

interface Group {
  readonly id: string
  readonly title: string
  readonly language: string
  readonly files: () => string[]
}

const groups: Group[] = [
  {
    id: 'dts',
    title: 'TypeScript .d.ts',
    language: 'typescript',
    files: () =>
      find([
        store,
        '-type',
        'f',
        '(',
        '-name',
        '*.d.ts',
        '-o',
        '-name',
        '*.d.mts',
        '-o',
        '-name',
        '*.d.cts',
        ')',
      ]),
  },
  {
    id: 'ts',
    title: 'TypeScript .ts/.mts',
    language: 'typescript',
    files: () =>
      find([
        store,
        '-type',
        'f',
        '(',
        '-name',
        '*.ts',
        '-o',
        '-name',
        '*.mts',
        '-o',
        '-name',
        '*.cts',
        ')',
      ]).filter((path) => !/\.d\.[mc]?ts$/.test(path)),
  },
  {
    id: 'js',
    title: 'JavaScript .js/.mjs/.cjs',
    language: 'javascript',
    files: () =>
      find([store, '-type', 'f', '(', '-name', '*.js', '-o', '-name', '*.mjs', '-o', '-name', '*.cjs', ')']),
  },
  {
    id: 'json',
    title: 'JSON (strict: package.json…)',
    language: 'json',
    files: () =>
      find([store, '-type', 'f', '-name', '*.json']).filter((path) => !isJsoncName(path, undefined)),
  },
  {
    id: 'jsonc',
    title: 'JSONC (tsconfig*.json…)',
    language: 'json',
    files: () => [
      ...find([store, root, '-type', 'f', '(', '-name', 'tsconfig*.json', '-o', '-name', '*.jsonc', ')']),
      ...find([root, '-path', '*/.vscode/*.json']),
    ],
  },
  { id: 'bash', title: 'Bash / sh scripts', language: 'bash', files: shellScripts },
]

interface Row {
  title: string
  files: number
  flaggedBefore: number
  flaggedAfter: number
  diagnosticsBefore: number
  diagnosticsAfter: number
  parseMs: number
  confirmMs: number
  confirmCalls: number
  dropped: string[]
  kept: string[]
}

/** True when the reference tool rejects `code` (the file's own language rules). */
async function referenceRejects(language: string, path: string, code: string): Promise<boolean> {
  if (language === 'json') return !jsonAccepts(code, isJsoncName(path, undefined))
  if (language === 'bash') return (await checkWithBash(code)) === 'rejects'
  if (language === 'javascript') return !nodeCheck(path, code)
  const ts = await loadTypeScript()
  if (ts === undefined) throw new Error('the sweep needs typescript installed')
  const sourceFile = ts.createSourceFile(basename(path), code, ts.ScriptTarget.Latest, false)
  return (sourceFile.parseDiagnostics?.length ?? 0) > 0
}

let scratch: string | undefined
/** `node --check` on `code`, written beside nothing (a temp dir) under the file's own name. */
function nodeCheck(path: string, code: string): boolean {
  scratch ??= mkdtempSync(join(tmpdir(), 'ql-sweep-'))
  const file = join(scratch, basename(path))
  // keep the module kind: .mjs/.cjs by extension, .js by its package's "type"
  let type = 'commonjs'
  try {
    type = JSON.parse(readFileSync(join(findPackageRoot(path), 'package.json'), 'utf8')).type ?? 'commonjs'
  } catch {}
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ type }))
  writeFileSync(file, code)
  const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' })
  return result.status === 0
}

function findPackageRoot(path: string): string {
  let dir = dirname(path)
  for (let i = 0; i < 20; i += 1) {
    try {
      statSync(join(dir, 'package.json'))
      return dir
    } catch {
      dir = dirname(dir)
    }
  }
  return dirname(path)
}

/** A broken copy of `code`: the last `}` removed, or an unclosed `if` for shell. */
function breakCode(language: string, code: string): string | undefined {
  if (language === 'bash') return `${code}\nif true; then\n`
  const at = code.lastIndexOf('}')
  return at === -1 ? undefined : code.slice(0, at) + code.slice(at + 1)
}

async function sweep(group: Group): Promise<{ row: Row; misses: MissCheck }> {
  const files = sample(group.files(), LIMIT)
  const row: Row = {
    title: group.title,
    files: 0,
    flaggedBefore: 0,
    flaggedAfter: 0,
    diagnosticsBefore: 0,
    diagnosticsAfter: 0,
    parseMs: 0,
    confirmMs: 0,
    confirmCalls: 0,
    dropped: [],
    kept: [],
  }
  for (const path of files) {
    let code: string
    try {
      if (statSync(path).size > MAX_FILE_BYTES) continue
      code = readFileSync(path, 'utf8')
    } catch {
      continue
    }
    if (code.includes('\0') || code.includes('\uFFFD')) continue
    const started = performance.now()
    let diagnostics: readonly unknown[]
    try {
      using parsed = await parseCode(code, {
        language: group.language,
        filename: path,
        confirmDiagnostics: false,
      })
      diagnostics = parsed.diagnostics
      row.parseMs += performance.now() - started
      row.files += 1
      if (diagnostics.length === 0) continue
      row.flaggedBefore += 1
      row.diagnosticsBefore += diagnostics.length
      const confirmStarted = performance.now()
      const confirmed = await confirmDiagnostics(group.language, code, parsed.diagnostics, { filename: path })
      row.confirmMs += performance.now() - confirmStarted
      row.confirmCalls += 1
      if (confirmed.length > 0) {
        row.flaggedAfter += 1
        row.kept.push(path)
      } else row.dropped.push(path)
      row.diagnosticsAfter += confirmed.length
    } catch {}
  }
  return { row, misses: await checkMisses(group, row.dropped) }
}

interface MissCheck {
  /** Dropped files the reference tool rejects as they are (must be 0). */
  referenceRejectsDropped: number
  referenceChecked: number
  /** Broken copies of dropped files: confirmed invalid by the reference, flagged raw, flagged after. */
  broken: number
  brokenFlaggedRaw: number
  brokenFlaggedAfter: number
  examples: string[]
}

async function checkMisses(group: Group, dropped: string[]): Promise<MissCheck> {
  const check: MissCheck = {
    referenceRejectsDropped: 0,
    referenceChecked: 0,
    broken: 0,
    brokenFlaggedRaw: 0,
    brokenFlaggedAfter: 0,
    examples: [],
  }
  for (const path of dropped.slice(0, 300)) {
    const code = readFileSync(path, 'utf8')
    if (group.language === 'javascript') {
      check.referenceChecked += 1
      if (!nodeCheck(path, code)) {
        check.referenceRejectsDropped += 1
        if (check.examples.length < 5) check.examples.push(`node --check rejects ${path}`)
      }
    }
    const broken = breakCode(group.language, code)
    if (broken === undefined || !(await referenceRejects(group.language, path, broken))) continue
    check.broken += 1
    using raw = await parseCode(broken, {
      language: group.language,
      filename: path,
      confirmDiagnostics: false,
    })
    using after = await parseCode(broken, { language: group.language, filename: path })
    if (raw.diagnostics.length > 0) check.brokenFlaggedRaw += 1
    if (after.diagnostics.length > 0) check.brokenFlaggedAfter += 1
    else if (check.examples.length < 5) check.examples.push(`broken copy reported valid: ${path}`)
  }
  return check
}

const selected = process.env.SWEEP_GROUPS?.split(',')
const fmt = (n: number, digits = 1) => n.toFixed(digits)
console.log(
  `# confirm-sweep  (node ${process.version}, load ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')})`,
)
console.log(`bash: ${execFileSync('bash', ['--version'], { encoding: 'utf8' }).split('\n')[0]}`)
const ts = await loadTypeScript()
console.log(`typescript: ${ts?.version ?? 'not installed'}; SWEEP_LIMIT=${LIMIT} files per group\n`)

// the first confirmation imports the TypeScript compiler: measured apart from the per-file cost
{
  const code = 'interface I<in T> {}\n'
  using parsed = await parseCode(code, { language: 'typescript', confirmDiagnostics: false })
  const started = performance.now()
  await confirmDiagnostics('typescript', code, parsed.diagnostics)
  console.log(
    `first TypeScript confirmation (imports the compiler once per process): ${fmt(performance.now() - started, 0)} ms\n`,
  )
}

const results: { row: Row; misses: MissCheck }[] = []
for (const group of groups) {
  if (selected !== undefined && !selected.includes(group.id)) continue
  const result = await sweep(group)
  results.push(result)
  const { row } = result
  console.error(`${row.title}: ${row.files} files, ${row.flaggedBefore} → ${row.flaggedAfter} flagged`)
}

console.log(
  '| corpus | files | flagged before | flagged after | diagnostics before → after | parse ms/file | confirm ms per flagged file | confirm ms/file (all files) | confirm / parse |',
)
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const { row } of results) {
  const perFlagged = row.confirmCalls === 0 ? 0 : row.confirmMs / row.confirmCalls
  console.log(
    `| ${row.title} | ${row.files} | ${row.flaggedBefore} (${fmt((100 * row.flaggedBefore) / Math.max(1, row.files))}%) | ${row.flaggedAfter} (${fmt((100 * row.flaggedAfter) / Math.max(1, row.files))}%) | ${row.diagnosticsBefore} → ${row.diagnosticsAfter} | ${fmt(row.parseMs / Math.max(1, row.files), 2)} | ${fmt(perFlagged, 1)} | ${fmt(row.confirmMs / Math.max(1, row.files), 2)} | ${fmt(row.confirmMs / Math.max(1, row.parseMs), 2)}× |`,
  )
}
console.log('\nMisses (must stay 0):\n')
console.log(
  '| corpus | dropped files | dropped but node --check rejects | broken copies (reference rejects) | flagged raw | flagged after confirmation |',
)
console.log('|---|---:|---:|---:|---:|---:|')
for (const { row, misses } of results) {
  console.log(
    `| ${row.title} | ${row.dropped.length} | ${misses.referenceChecked === 0 ? 'n/a' : `${misses.referenceRejectsDropped} of ${misses.referenceChecked}`} | ${misses.broken} | ${misses.brokenFlaggedRaw} | ${misses.brokenFlaggedAfter} |`,
  )
}
const examples = results.flatMap(({ misses }) => misses.examples)
if (examples.length > 0) console.log(`\n${examples.join('\n')}`)
if (process.env.SWEEP_SHOW === '1') {
  // SWEEP_SHOW=1: files still flagged after confirmation, to triage what the grammar gets wrong
  for (const { row } of results)
    console.log(`\n${row.title}, still flagged:\n${row.kept.slice(0, 40).join('\n')}`)
}
if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true })

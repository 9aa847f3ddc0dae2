// Side-by-side benchmark of @ql/parser against raw web-tree-sitter, the native `tree-sitter`
// binding and @ast-grep/napi, on real sources from this machine. See README.md.
//
//   pnpm --filter ql-bench bench:parser           (or: cd bench && pnpm run bench:parser)

import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, loadavg } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as astGrepParse, Lang } from '@ast-grep/napi'
import { buildRepoMap, loadLanguage, parseCode } from '@ql/parser'
import NativeParser from 'tree-sitter'
import NativeJavaScript from 'tree-sitter-javascript'
import NativePython from 'tree-sitter-python'
import { Edit, Parser, Query, type Node as SyntaxNode } from 'web-tree-sitter'

const require = createRequire(import.meta.url)
const runs = Number(process.env.BENCH_RUNS ?? 5)
const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Best wall time in ms of `fn` over `count` runs, after one warm-up run. The minimum, not the
 * mean: on a shared machine other processes only ever add time, so the least-disturbed run is
 * the closest to the code's own cost.
 */
function time(fn: () => void, count = runs): number {
  fn()
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    fn()
    best = Math.min(best, performance.now() - start)
  }
  return best
}

/**
 * Best wall times in ms of `a` and `b`, run alternately for `count` rounds after 10 warm-up
 * rounds: both see the same JIT state and the same load, so their ratio is fair even for
 * sub-millisecond calls.
 */
function timePair(a: () => void, b: () => void, count: number): [number, number] {
  const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]
  for (let round = -10; round < count; round++) {
    for (const [i, fn] of [a, b].entries()) {
      const start = performance.now()
      fn()
      if (round >= 0) best[i] = Math.min(best[i] as number, performance.now() - start)
    }
  }
  return best as [number, number]
}

async function timeAsync(fn: () => Promise<void>, count = runs): Promise<number> {
  await fn()
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    await fn()
    best = Math.min(best, performance.now() - start)
  }
  return best
}

interface Row {
  measure: string
  ms: number | undefined
  mb: number
  baseline?: number
  note?: string
}

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`)
  const header = ['measure', 'time', 'MB/s', 'vs raw web-tree-sitter']
  const lines = rows.map((row) => [
    row.measure,
    row.ms === undefined ? 'n/a' : `${row.ms.toFixed(row.ms < 10 ? 3 : 0)} ms`,
    row.ms === undefined || row.mb === 0 ? '' : (row.mb / (row.ms / 1000)).toFixed(2),
    row.ms === undefined || row.baseline === undefined
      ? (row.note ?? '')
      : `${(row.ms / row.baseline).toFixed(2)}×`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)))
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`
  console.log(format(header))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const line of lines) console.log(format(line))
}

const megabytes = (text: string) => Buffer.byteLength(text, 'utf8') / 1e6

/** Sections to run: `BENCH_SECTIONS=incremental,symbols` runs only those; all by default. */
const sections = process.env.BENCH_SECTIONS?.split(',').map((name) => name.trim())
const wanted = (section: string) => sections === undefined || sections.includes(section)

const formatSize = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} KB`

/**
 * A file of a package in pnpm's store under the workspace's `node_modules/.pnpm` (the first
 * installed version that has it). Fails with a clear message when no installed version has it.
 */
function pnpmFile(name: string, path: string): string {
  const store = join(workspaceRoot, 'node_modules', '.pnpm')
  const prefix = `${name.replace('/', '+')}@`
  const candidates = existsSync(store)
    ? readdirSync(store)
        .filter((dir) => dir.startsWith(prefix))
        .sort()
    : []
  for (const dir of candidates) {
    const file = join(store, dir, 'node_modules', name, path)
    if (existsSync(file)) return file
  }
  throw new Error(
    `bench input missing: ${name}/${path} is not installed under ${store} (looked in ${candidates.length} version(s) of ${name}). Run pnpm install at the workspace root, or pick another complete source file of that size.`,
  )
}

const functionTypes = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'generator_function',
  'arrow_function',
  'method_definition',
])

/**
 * Where to put a realistic one-character edit: the end of the first identifier at or after the
 * middle of the file whose nearest enclosing function is an ordinary one (under 64 KB), so the
 * edit lands inside a function body and renames a use (the code stays valid).
 */
function editPoint(root: SyntaxNode, code: string): number {
  const identifier = /[A-Za-z_$][\w$]*/g
  identifier.lastIndex = Math.floor(code.length / 2)
  for (let found = identifier.exec(code); found !== null; found = identifier.exec(code)) {
    const node = root.descendantForIndex(found.index)
    if (node?.type !== 'identifier' || node.startIndex !== found.index) continue
    let owner = node.parent
    while (owner !== null && !functionTypes.has(owner.type)) owner = owner.parent
    const body = owner?.childForFieldName('body')
    if (
      owner &&
      body?.type === 'statement_block' &&
      body.startIndex < found.index &&
      owner.endIndex - owner.startIndex < 64_000
    )
      return found.index + found[0].length
  }
  throw new Error('no identifier inside a function body after the middle of the file')
}

// ---------------------------------------------------------------- inputs
const typescriptJs = readFileSync(require.resolve('typescript/lib/typescript.js'), 'utf8')
const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], {
  encoding: 'utf8',
}).trim()
const pythonFiles = readdirSync(stdlib)
  .filter((name) => name.endsWith('.py'))
  .sort()
  .map((name) => readFileSync(join(stdlib, name), 'utf8'))
const pythonText = pythonFiles.join('')

console.log(
  `@ql/parser benchmark — Node ${process.version}, best of ${runs} runs per row after a warm-up, one process; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`,
)
console.log(
  `inputs: typescript.js ${megabytes(typescriptJs).toFixed(1)} MB (as JavaScript); Python stdlib top level: ${pythonFiles.length} files, ${megabytes(pythonText).toFixed(1)} MB`,
)

const javascript = await loadLanguage('javascript')
const python = await loadLanguage('python')
const raw = new Parser()
const native = new NativeParser()
const big = { maxBytes: 50_000_000, timeoutMs: 120_000 }

// ---------------------------------------------------------------- full parse: typescript.js
if (wanted('full-js')) {
  raw.setLanguage(javascript)
  native.setLanguage(NativeJavaScript as never)
  const mb = megabytes(typescriptJs)
  const rawMs = time(() => raw.parse(typescriptJs)?.delete())
  const nativeMs = time(() => {
    native.parse(typescriptJs, undefined, { bufferSize: typescriptJs.length + 1 })
  })
  const astGrepMs = time(() => {
    astGrepParse(Lang.JavaScript, typescriptJs).root()
  })
  const astGrepFindMs = time(() => {
    astGrepParse(Lang.JavaScript, typescriptJs)
      .root()
      .findAll({ rule: { kind: 'function_declaration' } })
  })
  const parseMs = await timeAsync(async () => {
    const parsed = await parseCode(typescriptJs, { language: 'javascript', ...big })
    void parsed.diagnostics
    parsed.dispose()
  })
  let symbolCount = 0
  const fullMs = await timeAsync(async () => {
    const parsed = await parseCode(typescriptJs, { language: 'javascript', ...big })
    void parsed.diagnostics
    symbolCount = parsed.symbols().definitions.length
    parsed.dispose()
  })
  const definitionsMs = await timeAsync(async () => {
    const parsed = await parseCode(typescriptJs, { language: 'javascript', ...big })
    void parsed.diagnostics
    parsed.symbols({ references: false, docs: false })
    parsed.dispose()
  })
  // The floor for any symbols from a tags query: web-tree-sitter's query cursor visiting every
  // node of the tree once, for a query that matches (almost) nothing.
  const tree = raw.parse(typescriptJs)
  if (tree === null) throw new Error('raw parse failed')
  const trivial = new Query(javascript, '(debugger_statement) @match')
  const trivialMs = time(() => {
    trivial.matches(tree.rootNode)
  })
  trivial.delete()
  tree.delete()
  printTable(`Full parse — typescript.js (${mb.toFixed(1)} MB, JavaScript)`, [
    { measure: 'web-tree-sitter 0.27 parse (raw)', ms: rawMs, mb, baseline: rawMs },
    { measure: 'tree-sitter 0.25 native parse', ms: nativeMs, mb, baseline: rawMs },
    { measure: '@ast-grep/napi parse', ms: astGrepMs, mb, baseline: rawMs },
    {
      measure: '@ast-grep/napi parse + findAll(function_declaration)',
      ms: astGrepFindMs,
      mb,
      baseline: rawMs,
    },
    { measure: '@ql parseCode + diagnostics', ms: parseMs, mb, baseline: rawMs },
    {
      measure: `@ql parseCode + diagnostics + symbols() (${symbolCount} definitions)`,
      ms: fullMs,
      mb,
      baseline: rawMs,
    },
    { measure: '@ql parseCode + diagnostics + definitions only', ms: definitionsMs, mb, baseline: rawMs },
    {
      measure: 'floor: raw parse + one trivial query over the tree',
      ms: rawMs + trivialMs,
      mb,
      baseline: rawMs,
    },
  ])
  console.log(
    `bars: parseCode+diagnostics+symbols ${(fullMs / rawMs).toFixed(2)}× raw (bar 1.25×): ${fullMs <= 1.25 * rawMs ? 'met' : 'NOT met'}; ` +
      `vs ast-grep parse: ${(fullMs / astGrepMs).toFixed(2)}× (bar < 1): ${fullMs < astGrepMs ? 'met' : 'NOT met'}; ` +
      `parseCode+diagnostics vs ast-grep parse: ${(parseMs / astGrepMs).toFixed(2)}×; ` +
      `a query that matches nothing costs ${trivialMs.toFixed(0)} ms = ${(trivialMs / rawMs).toFixed(2)}× raw parse by itself`,
  )
}

// ---------------------------------------------------------------- full parse: Python stdlib
if (wanted('full-python')) {
  raw.setLanguage(python)
  native.setLanguage(NativePython as never)
  const mb = megabytes(pythonText)
  const rawMs = time(() => {
    for (const file of pythonFiles) raw.parse(file)?.delete()
  })
  const nativeMs = time(() => {
    for (const file of pythonFiles) native.parse(file, undefined, { bufferSize: file.length + 1 })
  })
  const parseMs = await timeAsync(async () => {
    for (const file of pythonFiles) {
      const parsed = await parseCode(file, { language: 'python' })
      void parsed.diagnostics
      parsed.dispose()
    }
  })
  const fullMs = await timeAsync(async () => {
    for (const file of pythonFiles) {
      const parsed = await parseCode(file, { language: 'python' })
      void parsed.diagnostics
      parsed.symbols()
      parsed.dispose()
    }
  })
  printTable(`Full parse — Python stdlib, ${pythonFiles.length} files (${mb.toFixed(1)} MB)`, [
    { measure: 'web-tree-sitter 0.27 parse (raw)', ms: rawMs, mb, baseline: rawMs },
    { measure: 'tree-sitter 0.25 native parse', ms: nativeMs, mb, baseline: rawMs },
    { measure: '@ast-grep/napi parse', ms: undefined, mb, note: 'n/a: no built-in Python in @ast-grep/napi' },
    { measure: '@ql parseCode + diagnostics', ms: parseMs, mb, baseline: rawMs },
    { measure: '@ql parseCode + diagnostics + symbols()', ms: fullMs, mb, baseline: rawMs },
  ])
  console.log(
    `bars: parseCode+diagnostics+symbols ${(fullMs / rawMs).toFixed(2)}× raw (bar 1.25×): ${fullMs <= 1.25 * rawMs ? 'met' : 'NOT met'}`,
  )
}

// ---------------------------------------------------------------- symbol extraction throughput
if (wanted('symbols')) {
  const parsedJs = await parseCode(typescriptJs, { language: 'javascript', ...big })
  const jsMs = time(() => parsedJs.symbols(), 3)
  const jsDefinitionsMs = time(() => parsedJs.symbols({ references: false, docs: false }), 3)
  let chunkCount = 0
  const jsChunksMs = time(() => {
    chunkCount = parsedJs.chunks({ maxTokens: 512 }).length
  }, 3)
  const counts = parsedJs.symbols()
  parsedJs.dispose()
  const parsedPy = await Promise.all(pythonFiles.map((file) => parseCode(file, { language: 'python' })))
  const pyMs = time(() => {
    for (const parsed of parsedPy) parsed.symbols()
  }, 3)
  for (const parsed of parsedPy) parsed.dispose()
  printTable('Symbols and chunks alone (tree already parsed)', [
    {
      measure: `typescript.js symbols(): ${counts.definitions.length} defs, ${counts.references.length} refs`,
      ms: jsMs,
      mb: megabytes(typescriptJs),
    },
    {
      measure: 'typescript.js symbols({ references: false, docs: false })',
      ms: jsDefinitionsMs,
      mb: megabytes(typescriptJs),
    },
    { measure: `Python stdlib symbols(), ${pythonFiles.length} files`, ms: pyMs, mb: megabytes(pythonText) },
    {
      measure: `typescript.js chunks({ maxTokens: 512 }): ${chunkCount} chunks`,
      ms: jsChunksMs,
      mb: megabytes(typescriptJs),
    },
  ])
}

// ---------------------------------------------------------------- incremental re-parse
if (wanted('incremental')) {
  // Complete, real source files none of us wrote, from node_modules: a truncated prefix would end
  // in one huge ERROR node and make every re-parse pay error recovery.
  const inputs = [
    { label: 'zod core/util.ts', language: 'typescript', file: pnpmFile('zod', 'src/v4/core/util.ts') },
    { label: 'zod core/compile.js', language: 'javascript', file: pnpmFile('zod', 'v4/core/compile.js') },
    {
      label: 'rollup node-entry.js',
      language: 'javascript',
      file: pnpmFile('rollup', 'dist/es/shared/node-entry.js'),
    },
    { label: 'typescript.js', language: 'javascript', file: require.resolve('typescript/lib/typescript.js') },
  ]
  const rows: Row[] = []
  const results: { label: string; bytes: number; raw: number; ours: number }[] = []
  for (const input of inputs) {
    const code = readFileSync(input.file, 'utf8')
    raw.setLanguage(await loadLanguage(input.language))
    const base = raw.parse(code)
    if (base === null) throw new Error(`raw parse of ${input.file} failed`)
    if (base.rootNode.hasError) throw new Error(`${input.file} does not parse cleanly as ${input.language}`)
    const at = editPoint(base.rootNode, code)
    const edited = `${code.slice(0, at)}x${code.slice(at)}`
    const point = (index: number) => {
      const before = code.slice(0, index)
      const row = before.split('\n').length - 1
      return { row, column: index - (before.lastIndexOf('\n') + 1) }
    }
    const edit = new Edit({
      startIndex: at,
      oldEndIndex: at,
      newEndIndex: at + 1,
      startPosition: point(at),
      oldEndPosition: point(at),
      newEndPosition: { row: point(at).row, column: point(at).column + 1 },
    })
    const check = base.copy()
    check.edit(edit)
    const after = raw.parse(edited, check)
    if (after === null || after.rootNode.hasError)
      throw new Error(`the edit in ${input.file} breaks the code`)
    after.delete()
    check.delete()
    const parsed = await parseCode(code, { language: input.language, ...big })
    const rounds = code.length > 2_000_000 ? 10 : code.length > 200_000 ? 50 : 200
    const [rawMs, oursMs] = timePair(
      () => {
        const copy = base.copy()
        copy.edit(edit)
        raw.parse(edited, copy)?.delete()
        copy.delete()
      },
      () => parsed.applyEdit({ startIndex: at, oldEndIndex: at, newText: 'x' }).dispose(),
      rounds,
    )
    base.delete()
    parsed.dispose()
    const bytes = Buffer.byteLength(code, 'utf8')
    const label = `${input.label} (${formatSize(bytes)}), edit at ${Math.round((100 * at) / code.length)}%`
    rows.push({ measure: `web-tree-sitter edit + re-parse, ${label}`, ms: rawMs, mb: 0, baseline: rawMs })
    rows.push({ measure: `@ql applyEdit, ${label}`, ms: oursMs, mb: 0, baseline: rawMs })
    results.push({ label: input.label, bytes, raw: rawMs, ours: oursMs })
  }
  printTable(
    'Incremental re-parse after a one-character edit inside a function body (complete real files)',
    rows,
  )
  const worst = results.reduce((a, b) => (b.ours / b.raw > a.ours / a.raw ? b : a))
  const small = results.filter((r) => r.bytes <= 110_000)
  const slowSmall = Math.max(...small.map((r) => r.ours))
  const oneMb = results.find((r) => r.bytes > 500_000 && r.bytes < 2_000_000)
  console.log(
    `bars: applyEdit vs raw incremental, worst ${(worst.ours / worst.raw).toFixed(2)}× (${worst.label}; bar <= 1.1×): ${worst.ours <= 1.1 * worst.raw ? 'met' : 'NOT met'}; ` +
      `files up to 100 KB: slowest ${slowSmall.toFixed(3)} ms (bar < 1 ms): ${slowSmall < 1 ? 'met' : 'NOT met'}; ` +
      `1 MB file (issue bar < 1 ms): ${oneMb === undefined ? 'n/a' : `${oneMb.ours.toFixed(2)} ms, ${oneMb.ours < 1 ? 'met' : 'NOT met'}`}`,
  )
}

// ---------------------------------------------------------------- repo map, 1,000 files
if (wanted('repo-map')) {
  const files: { path: string; content: string }[] = []
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      if (files.length >= 1000) return
      const path = join(directory, name)
      if (name === 'site-packages' || name === '__pycache__') continue
      const stat = statSync(path)
      if (stat.isDirectory()) walk(path)
      else if (name.endsWith('.py') && stat.size < 1_000_000) {
        files.push({ path: relative(stdlib, path), content: readFileSync(path, 'utf8') })
      }
    }
  }
  walk(stdlib)
  const mb = files.reduce((sum, file) => sum + megabytes(file.content), 0)
  let entries = 0
  let tokens = 0
  const rows: Row[] = []
  for (const workers of [1, Math.min(4, availableParallelism())]) {
    const ms = await timeAsync(async () => {
      const map = await buildRepoMap({ files }, { maxTokens: 4096, workers })
      entries = map.entries.length
      tokens = map.tokens
    }, 3)
    rows.push({ measure: `buildRepoMap({ files }, { maxTokens: 4096, workers: ${workers} })`, ms, mb })
  }
  printTable(
    `Repo map — ${files.length} files of the Python stdlib (${mb.toFixed(1)} MB): ${entries} entries, ${tokens} tokens`,
    rows,
  )
  const best = Math.min(...rows.map((row) => row.ms ?? Number.POSITIVE_INFINITY))
  console.log(
    `bars: 1,000-file repo map ${(best / 1000).toFixed(2)} s (bar < 5 s): ${best < 5000 ? 'met' : 'NOT met'}`,
  )
}

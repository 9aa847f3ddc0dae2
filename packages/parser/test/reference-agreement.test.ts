import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { parseCode } from './helpers'

// Diagnostics judged against each language's own parser, on real files none of us wrote: the
// workspace's installed packages (TypeScript compiler API as the reference for TS and JS,
// JSON.parse for JSON) and CPython's standard library (CPython's `compile`). A file the reference
// accepts but we flag is a false positive, the failure that costs a code-generation loop the most.

const store = fileURLToPath(new URL('../../../node_modules/.pnpm/', import.meta.url))
const packagesDir = fileURLToPath(new URL('../../', import.meta.url))

/**
 * The store folders of the published packages' own dependencies (`@scope/name` is stored as
 * `@scope+name@version`), so the sample does not change when a benchmark or an example adds
 * packages to the workspace.
 */
function dependencyFolders(): string[] {
  const names = new Set<string>()
  for (const dir of readdirSync(packagesDir)) {
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) if (!name.startsWith('@ql/')) names.add(name)
    }
  }
  const prefixes = [...names].map((name) => `${name.replace('/', '+')}@`)
  return readdirSync(store)
    .filter((folder) => prefixes.some((prefix) => folder.startsWith(prefix)))
    .sort()
}

/** The first `limit` files under `dir` (sorted, so the sample is the same on every run). */
function sample(
  dir: string,
  accept: (path: string) => boolean,
  limit: number,
  out: string[] = [],
  only?: string[],
): string[] {
  let names: string[]
  try {
    names = only ?? readdirSync(dir).sort()
  } catch {
    return out
  }
  for (const name of names) {
    if (out.length >= limit) break
    const path = join(dir, name)
    const stat = statSync(path, { throwIfNoEntry: false })
    if (stat === undefined) continue
    if (stat.isDirectory()) sample(path, accept, limit, out)
    else if (accept(path) && stat.size < 1_000_000) out.push(path)
  }
  return out
}

interface Agreement {
  files: number
  referenceValid: number
  falsePositives: string[]
}

async function judge(
  files: string[],
  language: (path: string) => string,
  referenceAccepts: (code: string, path: string) => boolean,
): Promise<Agreement> {
  const result: Agreement = { files: files.length, referenceValid: 0, falsePositives: [] }
  for (const path of files) {
    const code = readFileSync(path, 'utf8')
    if (!referenceAccepts(code, path)) continue
    result.referenceValid += 1
    using parsed = await parseCode(code, { language: language(path) })
    const [first] = parsed.diagnostics
    if (first !== undefined)
      result.falsePositives.push(`${path.slice(store.length)}:${first.line}:${first.column} ${first.message}`)
  }
  return result
}

function tsAccepts(kind: ts.ScriptKind) {
  return (code: string, path: string) => {
    const file = ts.createSourceFile(path, code, ts.ScriptTarget.Latest, false, kind)
    return (file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length === 0
  }
}

function report(name: string, { files, referenceValid, falsePositives }: Agreement): void {
  console.info(
    `${name}: ${files} files, ${referenceValid} valid per the reference, ${falsePositives.length} false positives${falsePositives.length > 0 ? `\n  ${falsePositives.join('\n  ')}` : ''}`,
  )
}

describe('agreement with each language’s own parser on real files', () => {
  it('TypeScript sources: under 1.5% false positives (the documented grammar caveats)', async () => {
    const files = sample(
      store,
      (p) => /\.(ts|mts|cts)$/.test(p) && !/\.d\.[a-z]*ts$/.test(p),
      600,
      [],
      dependencyFolders(),
    )
    const result = await judge(files, () => 'typescript', tsAccepts(ts.ScriptKind.TS))
    report('TypeScript', result)
    expect(result.referenceValid).toBeGreaterThan(300)
    expect(result.falsePositives.length / result.referenceValid).toBeLessThan(0.015)
  }, 120_000)

  it('JavaScript: under 0.5% false positives', async () => {
    const files = sample(
      store,
      (p) => /\.(js|mjs|cjs)$/.test(p) && !p.endsWith('.min.js'),
      600,
      [],
      dependencyFolders(),
    )
    const result = await judge(files, () => 'javascript', tsAccepts(ts.ScriptKind.JS))
    report('JavaScript', result)
    expect(result.referenceValid).toBeGreaterThan(300)
    expect(result.falsePositives.length / result.referenceValid).toBeLessThan(0.005)
  }, 120_000)

  it('JSON: no false positives', async () => {
    const files = sample(store, (p) => p.endsWith('.json'), 400)
    const result = await judge(
      files,
      () => 'json',
      (code) => {
        try {
          JSON.parse(code)
          return true
        } catch {
          return false
        }
      },
    )
    report('JSON', result)
    expect(result.referenceValid).toBeGreaterThan(200)
    expect(result.falsePositives).toEqual([])
  }, 120_000)

  const python = findPython()
  it.skipIf(python === undefined)(
    'Python standard library: no false positives against CPython',
    async () => {
      const { executable, stdlib } = python as { executable: string; stdlib: string }
      const files = sample(
        stdlib,
        (p) => p.endsWith('.py') && !p.includes('/test') && !p.includes('lib2to3'),
        300,
      )
      const verdicts = JSON.parse(
        execFileSync(executable, ['-c', COMPILE_ALL], { input: files.join('\n'), maxBuffer: 1e8 }).toString(),
      ) as Record<string, boolean>
      const result = await judge(
        files,
        () => 'python',
        (_code, path) => verdicts[path] === true,
      )
      report(`Python (CPython at ${executable})`, result)
      expect(result.referenceValid).toBeGreaterThan(200)
      expect(result.falsePositives).toEqual([])
    },
    120_000,
  )
})

const COMPILE_ALL = `
import sys, json
verdicts = {}
for path in sys.stdin.read().split('\\n'):
    if not path:
        continue
    try:
        with open(path, encoding='utf-8') as f:
            compile(f.read(), path, 'exec')
        verdicts[path] = True
    except Exception:
        verdicts[path] = False
print(json.dumps(verdicts))
`

function findPython(): { executable: string; stdlib: string } | undefined {
  try {
    const out = execFileSync(
      'python3',
      ['-c', 'import sys, sysconfig; print(sys.executable); print(sysconfig.get_paths()["stdlib"])'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
    const [executable, stdlib] = out.toString().trim().split('\n')
    return executable && stdlib ? { executable, stdlib } : undefined
  } catch {
    return undefined
  }
}

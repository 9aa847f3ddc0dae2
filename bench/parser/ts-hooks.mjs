// Module hooks: resolve extensionless relative imports to `.ts` files and transpile `.ts` with
// the TypeScript compiler (types erased, nothing checked). Transpiled output is cached in the
// OS temp directory by content hash, so worker threads (which load their own hooks) start fast.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const cacheDir = join(tmpdir(), 'ql-bench-ts-cache')
let typescript

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL
  if (parent?.endsWith('.ts') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
      const url = new URL(candidate, parent)
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true }
    }
  }
  return nextResolve(specifier, context)
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context)
  const path = fileURLToPath(url)
  const source = readFileSync(path, 'utf8')
  const cached = join(cacheDir, `${createHash('sha1').update(path).update(source).digest('hex')}.js`)
  if (existsSync(cached))
    return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true }
  typescript ??= (await import('typescript')).default
  const { outputText } = typescript.transpileModule(source, {
    fileName: path,
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  })
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(cached, outputText)
  return { format: 'module', source: outputText, shortCircuit: true }
}

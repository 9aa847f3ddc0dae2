// Repo map in this thread vs on worker threads, on real repositories of several sizes: the
// measurement behind buildRepoMap's default `workers` (see README.md, "Repo map workers").
//
//   cd bench && node --conditions=@ql/source --import ./parser/register-ts.mjs parser/repo-map-workers.ts
//   BENCH_RUNS=3 (default 3), BENCH_WORKERS=1,2,4 (default)

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, loadavg } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { buildRepoMap } from '@ql/parser'

const require = createRequire(import.meta.url)
const runs = Number(process.env.BENCH_RUNS ?? 3)
const workerCounts = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number)
const CODE = /\.(?:[cm]?[jt]sx?|py|go)$/

/** A package's directory, from its main entry (not every package exports `./package.json`). */
function packageRoot(name: string): string {
  let directory = dirname(require.resolve(name))
  while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory)
  return directory
}

/** Source files under `root` (no tests' node_modules, no declaration files), up to `limit`. */
function read(root: string, limit = 100_000): { path: string; content: string }[] {
  const files: { path: string; content: string }[] = []
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      if (files.length >= limit) return
      if (name === 'node_modules' || name === '__pycache__' || name === 'site-packages') continue
      const path = join(directory, name)
      const stat = statSync(path)
      if (stat.isDirectory()) walk(path)
      else if (CODE.test(name) && !name.endsWith('.d.ts') && stat.size < 1_000_000)
        files.push({ path: relative(root, path), content: readFileSync(path, 'utf8') })
    }
  }
  walk(root)
  return files
}

const python = ['/usr/lib/python3.11', '/usr/lib/python3.12', '/usr/lib/python3.13'].find((p) =>
  existsSync(p),
)
const repositories = [
  { name: 'zod src/v4/core (TypeScript)', files: read(join(packageRoot('zod'), 'src/v4/core')) },
  { name: 'openai src (TypeScript)', files: read(join(packageRoot('openai'), 'src')) },
  { name: 'zod src (TypeScript)', files: read(join(packageRoot('zod'), 'src')) },
  ...(python === undefined ? [] : [{ name: 'Python stdlib, 1,000 files', files: read(python, 1000) }]),
]

console.log(
  `repo map workers — Node ${process.version}, ${availableParallelism()} cores, best of ${runs} runs (alternating), load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
)
console.log('| repository | files | MB | workers | time | vs 1 thread |')
console.log('|---|---|---|---|---|---|')
for (const { name, files } of repositories) {
  const mb = files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0) / 1e6
  const best = new Map<number, number>(workerCounts.map((count) => [count, Number.POSITIVE_INFINITY]))
  // warm-up: grammars and queries compiled in this thread
  await buildRepoMap({ files }, { maxTokens: 4096, workers: 1 })
  for (let run = 0; run < runs; run++) {
    for (const workers of workerCounts) {
      const start = performance.now()
      await buildRepoMap({ files }, { maxTokens: 4096, workers })
      best.set(workers, Math.min(best.get(workers) as number, performance.now() - start))
    }
  }
  const single = best.get(1) as number
  for (const [workers, ms] of best)
    console.log(
      `| ${name} | ${files.length} | ${mb.toFixed(1)} | ${workers} | ${ms.toFixed(0)} ms | ${(ms / single).toFixed(2)}× |`,
    )
}

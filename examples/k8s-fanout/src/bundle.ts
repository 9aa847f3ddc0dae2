// Bundles the worker side: the ql-worker entry of @ql/k8s-runner and this example's graph module,
// each as one self-contained .mjs (Node 20 cannot run .ts, and a pod needs no node_modules then).
import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { build } from 'esbuild'

/** The two bundles: what `command` and `worker.module` of the executor point at. */
export interface WorkerBundle {
  /** `ql-worker.mjs`: run it with `node`. */
  workerEntry: string
  /** `graph.mjs`: exports `graph`. */
  graphModule: string
}

/** The ql-worker source in the workspace (`src/worker/bin.ts`), else the published `dist/worker/bin.js`. */
function workerSource(): string {
  const runner = dirname(createRequire(import.meta.url).resolve('@ql/k8s-runner/package.json'))
  const source = join(runner, 'src', 'worker', 'bin.ts')
  return existsSync(source) ? source : join(runner, 'dist', 'worker', 'bin.js')
}

async function bundleOne(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@ql/source'],
    outfile,
    logLevel: 'warning',
    // CommonJS dependencies bundled into ESM need a require
    banner: {
      js: "import { createRequire as __qlRequire } from 'node:module'; const require = __qlRequire(import.meta.url);",
    },
  })
}

/**
 * Writes `ql-worker.mjs` and `graph.mjs` into `outDir` (a real cluster's image needs them at the
 * same paths; the fake cluster runs them from this machine).
 */
export async function bundleWorker(outDir: string): Promise<WorkerBundle> {
  const dir = resolve(outDir)
  mkdirSync(dir, { recursive: true })
  const bundle: WorkerBundle = {
    workerEntry: join(dir, 'ql-worker.mjs'),
    graphModule: join(dir, 'graph.mjs'),
  }
  await Promise.all([
    bundleOne(workerSource(), bundle.workerEntry),
    bundleOne(join(import.meta.dirname, 'graph.ts'), bundle.graphModule),
  ])
  return bundle
}

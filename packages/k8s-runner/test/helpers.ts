import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

/**
 * Bundles live under the package's .tmp/, next to the code they bundle. (The fake cluster maps a
 * pod's /tmp to an emptyDir in its sandbox, but leaves paths that exist on this machine alone, so a
 * checkout under /tmp works too.)
 */
export const BUNDLES = join(import.meta.dirname, '..', '.tmp', `bundles-${process.pid}`)

/** Tests that start processes get this long (a loaded 2-core machine starts Node slowly). */
export const PROCESS_TEST_TIMEOUT = 180_000
/** Bundling with esbuild, once per test file. */
export const BUNDLE_TIMEOUT = 120_000

/** Bundles a TypeScript entry (Node 20 cannot run .ts) and returns the .mjs path. */
export async function bundle(entry: string, name: string, external: string[] = []): Promise<string> {
  mkdirSync(BUNDLES, { recursive: true })
  const outfile = join(BUNDLES, `${name}.mjs`)
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@ql/source'],
    outfile,
    external,
    logLevel: 'silent',
    // CommonJS dependencies bundled into ESM need a require
    banner: {
      js: "import { createRequire as __qlRequire } from 'node:module'; const require = __qlRequire(import.meta.url);",
    },
  })
  return outfile
}

/** The ql-worker bin and the fan-out graph, bundled: the command and worker options of an executor. */
export async function bundleWorker(): Promise<{ command: string[]; worker: { module: string } }> {
  const [bin, graph] = await Promise.all([
    bundle(join(import.meta.dirname, '..', 'src', 'worker', 'bin.ts'), 'ql-worker'),
    bundle(join(import.meta.dirname, 'fixtures', 'fan-out-graph.ts'), 'fan-out-graph'),
  ])
  return { command: [process.execPath, bin], worker: { module: graph } }
}

export function removeBundles(): void {
  rmSync(BUNDLES, { recursive: true, force: true })
}

/** A shell command that hands `result` back the way ql-worker does, in the termination message. */
export function replyWith(result: unknown, extra = ''): string[] {
  const message = JSON.stringify({ ql: 'v1', result })
  return ['sh', '-c', `${extra}printf '%s' '${message.replaceAll("'", "'\\''")}' > "$QL_TERMINATION_FILE"`]
}

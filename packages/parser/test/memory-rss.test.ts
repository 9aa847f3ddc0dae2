import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { RSS_CHILD_TIMEOUT_MS } from './timeouts'

/**
 * esbuild, the bundler tsup (a root devDependency) builds the package with: the child process
 * runs the TypeScript sources bundled, as Node 20 cannot run TypeScript itself.
 */
async function loadEsbuild(): Promise<{ build(options: Record<string, unknown>): Promise<unknown> }> {
  const require = createRequire(import.meta.url)
  return createRequire(require.resolve('tsup'))('esbuild')
}

it(
  "the process's RSS returns to within 50 MB of where it started after hostile inputs",
  async () => {
    const esbuild = await loadEsbuild()
    const directory = fileURLToPath(new URL('../.tmp/memory-rss/', import.meta.url))
    mkdirSync(directory, { recursive: true })
    const bundle = `${directory}hostile-rss-child.mjs`
    await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./fixtures/memory/hostile-rss-child.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: bundle,
      logLevel: 'silent',
      // the sources use `require` through createRequire(import.meta.url) only; bundled deps none
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    })
    // a plain node: no --expose-gc, so the collection the parser asks for is its own doing
    const { stdout } = await promisify(execFile)(process.execPath, [bundle], {
      timeout: RSS_CHILD_TIMEOUT_MS - 10_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NODE_OPTIONS: '' },
    })
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      startMb: number
      endMb: number
      growthMb: number
      steps: { name: string; outcome: string; rssAfterMb: number }[]
    }
    console.info(`RSS around hostile inputs: ${JSON.stringify(report, null, 2)}`)
    expect(report.steps.length).toBeGreaterThan(0)
    expect(report.growthMb).toBeLessThan(50)
    for (const step of report.steps) expect(step.rssAfterMb - report.startMb, step.name).toBeLessThan(50)
  },
  RSS_CHILD_TIMEOUT_MS,
)

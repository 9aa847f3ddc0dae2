/**
 * The workspace tests check what a consumer gets: the built `dist/` of every package. `pnpm test`
 * does not build first; instead the first workspace test file to call {@link ensureBuilt} runs
 * `pnpm build` once for the whole test run, while the package tests (which run from `src/`) use
 * the other core, and every other caller waits for that build's result. Set `QL_SKIP_BUILD=1` to
 * test an existing build as it is (quick local iteration; `pnpm build` yourself first).
 */
import { execFile } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  watch,
  writeFileSync,
} from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const root = resolve(import.meta.dirname, '..')
const dir = join(root, '.tmp', 'build')
const BUILD_TIMEOUT_MS = 300_000

/** Builds every package once per test run (`QL_TEST_RUN`, set by test/vitest.config.ts). */
export async function ensureBuilt(): Promise<void> {
  if (process.env.QL_SKIP_BUILD === '1') {
    for (const name of readdirSync(join(root, 'packages'))) {
      if (!existsSync(join(root, 'packages', name, 'dist'))) {
        throw new Error(`@ql/${name} is not built: run \`pnpm build\` first, or unset QL_SKIP_BUILD`)
      }
    }
    return
  }
  const run = process.env.QL_TEST_RUN ?? String(process.pid)
  const lock = join(dir, `${run}.lock`)
  const result = join(dir, `${run}.result`)
  mkdirSync(dir, { recursive: true })
  let owner = false
  try {
    closeSync(openSync(lock, 'wx'))
    owner = true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  if (owner) {
    const outcome = await promisify(execFile)('pnpm', ['run', 'build'], {
      cwd: root,
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      () => 'ok',
      (error: { message: string; stdout?: string; stderr?: string }) =>
        `${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
    )
    writeFileSync(`${result}.tmp`, outcome)
    // rename is atomic: a waiter never reads half a result
    renameSync(`${result}.tmp`, result)
  } else {
    await waitForFile(result)
  }
  const outcome = readFileSync(result, 'utf8')
  if (outcome !== 'ok') throw new Error(`pnpm build failed:\n${outcome.slice(-4000)}`)
}

/** Resolves when `file` exists: woken by the directory's change events, not by polling. */
function waitForFile(file: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const watcher = watch(dir, () => {
      if (existsSync(file)) finish()
    })
    const timer = setTimeout(() => {
      watcher.close()
      reject(new Error(`no build result after ${BUILD_TIMEOUT_MS} ms (${file})`))
    }, BUILD_TIMEOUT_MS)
    function finish() {
      clearTimeout(timer)
      watcher.close()
      resolvePromise()
    }
    // it may have been written before the watcher started
    if (existsSync(file)) finish()
  })
}

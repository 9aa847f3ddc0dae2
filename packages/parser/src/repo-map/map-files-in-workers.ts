import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { MappedRepoFile } from './map-repo-file'
import type { RepoFile, SkippedFile } from './repo-map'
import type { RepoMapWorkerRequest } from './repo-map-worker'

/** Files per message: big enough to keep messaging cheap, small enough to balance the load. */
const BATCH_BYTES = 256_000

/**
 * The worker entry next to this module: `repo-map-worker.js` in the built package, or
 * `repo-map-worker.ts` when running from source (which only works under a TypeScript loader).
 */
export function repoMapWorkerUrl(): URL | undefined {
  const source = import.meta.url.endsWith('.ts')
  const url = new URL(source ? './repo-map-worker.ts' : './repo-map-worker.js', import.meta.url)
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined
}

/**
 * Maps files on `workerCount` worker threads (each loads its own grammars and parses with its
 * own WASM memory) and returns the results in input order, each file under the per-file budget.
 * At the build's deadline it stops and leaves the files not mapped yet `undefined`. Every
 * worker is terminated before the promise settles, on success, failure, deadline or abort.
 *
 * @throws the first worker error (the caller may fall back to mapping in this thread), or the
 *   signal's reason when it aborts.
 */
export async function mapFilesInWorkers(
  files: readonly RepoFile[],
  maxFileBytes: number,
  workerCount: number,
  url: URL,
  budget: { readonly deadline: number; readonly fileBudgetMs: number },
  signal?: AbortSignal,
  onMapped?: (done: number) => void,
): Promise<(MappedRepoFile | SkippedFile | undefined)[]> {
  const batches: { start: number; files: RepoFile[] }[] = []
  let current: RepoFile[] = []
  let bytes = 0
  let start = 0
  files.forEach((file, index) => {
    current.push(file)
    bytes += file.content.length
    if (bytes >= BATCH_BYTES) {
      batches.push({ start, files: current })
      current = []
      bytes = 0
      start = index + 1
    }
  })
  if (current.length > 0) batches.push({ start, files: current })

  const results: (MappedRepoFile | SkippedFile | undefined)[] = new Array(files.length)
  const workers: Worker[] = []
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0
      let done = 0
      let mapped = 0
      const onAbort = () => reject(signal?.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      const finish = (error?: unknown) => {
        signal?.removeEventListener('abort', onAbort)
        if (error === undefined) resolve()
        else reject(error)
      }
      // out of time: stop with what is done; the workers are terminated below
      deadlineTimer = setTimeout(() => finish(), Math.max(0, budget.deadline - performance.now()))
      const dispatch = (worker: Worker) => {
        const batch = batches[next]
        if (batch === undefined) return
        const timeoutMs = Math.max(1, Math.min(budget.fileBudgetMs, budget.deadline - performance.now()))
        const request: RepoMapWorkerRequest = { id: next, files: batch.files, maxFileBytes, timeoutMs }
        next++
        worker.postMessage(request)
      }
      const count = Math.max(1, Math.min(workerCount, batches.length))
      if (batches.length === 0) return finish()
      for (let i = 0; i < count; i++) {
        const worker = new Worker(url)
        workers.push(worker)
        worker.on('message', (message: { id: number; results: (MappedRepoFile | SkippedFile)[] }) => {
          const batch = batches[message.id] as { start: number }
          message.results.forEach((result, offset) => {
            results[batch.start + offset] = result
          })
          done++
          mapped += message.results.length
          try {
            onMapped?.(mapped)
          } catch (error) {
            return finish(error)
          }
          if (done === batches.length) finish()
          else dispatch(worker)
        })
        worker.on('error', (error) => finish(error))
        worker.on('exit', (code) => {
          if (done < batches.length) finish(new Error(`A repo-map worker exited early (code ${code}).`))
        })
        dispatch(worker)
      }
    })
  } finally {
    clearTimeout(deadlineTimer)
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
  return results
}

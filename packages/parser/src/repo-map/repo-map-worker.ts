// Worker-thread entry of `buildRepoMap`: maps batches of files and posts the results back.
import { parentPort } from 'node:worker_threads'
import { mapRepoFile } from './map-repo-file'
import type { RepoFile } from './repo-map'

/** A batch of files for a worker to map. */
export interface RepoMapWorkerRequest {
  readonly id: number
  readonly files: readonly RepoFile[]
  readonly maxFileBytes: number
  /** Each file's time budget (parse and symbols), in milliseconds. */
  readonly timeoutMs: number
}

parentPort?.on('message', async (request: RepoMapWorkerRequest) => {
  const results = []
  for (const file of request.files)
    results.push(await mapRepoFile(file, request.maxFileBytes, request.timeoutMs))
  parentPort?.postMessage({ id: request.id, results })
})

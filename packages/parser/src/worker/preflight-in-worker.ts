import { Worker } from 'node:worker_threads'
import { ParseFailedError } from '../errors/parse-failed-error'
import { ParseTimeoutError } from '../errors/parse-timeout-error'
import { grammarInput, treeSitterEntry } from '../grammar-input'
import { requireLanguage } from '../languages/language-registry'

/**
 * The worker's whole program. It is plain CommonJS so it runs the same from source and from
 * the built package: load web-tree-sitter and the grammar, parse once, report, exit.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { Parser, Language } = require(workerData.treeSitter)
;(async () => {
  await Parser.init()
  const language = await Language.load(workerData.grammar)
  const parser = new Parser()
  parser.setLanguage(language)
  parentPort.postMessage({ ready: true })
  const tree = parser.parse(workerData.code)
  parentPort.postMessage({ ok: tree !== null })
  if (tree) tree.delete()
  parser.delete()
})().catch((error) => parentPort.postMessage({ ok: false, error: String((error && error.message) || error) }))
`

/** Heap limit for the worker's JavaScript; WASM memory is bounded by web-tree-sitter (2 GiB). */
const WORKER_HEAP_MB = 256
/** How long the worker may take to start and load the grammar before the parse budget starts. */
const WORKER_STARTUP_MS = 30_000

/**
 * Parses `code` once in a throw-away worker thread and resolves when that parse completed in
 * time. The budget starts when the worker has loaded the grammar and begins to parse; if the
 * parse runs past `timeoutMs` the worker is terminated, whatever state its WASM is in, and a
 * {@link ParseTimeoutError} is thrown. A worker that crashes, or takes more than 30 s to start,
 * gives a {@link ParseFailedError}. The host's own parser is never exposed to the input first.
 */
export function preflightInWorker(code: string, languageId: string, timeoutMs: number): Promise<void> {
  const definition = requireLanguage(languageId)
  const grammar = grammarInput(definition.id, definition.grammar)
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { treeSitter: treeSitterEntry(), grammar, code },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: true,
      stderr: true,
    })
    let settled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const finish = (error?: Error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      if (error === undefined) resolve()
      else reject(error)
    }
    timer = setTimeout(() => {
      finish(
        new ParseFailedError({ message: `The parse worker did not start within ${WORKER_STARTUP_MS} ms.` }),
      )
    }, WORKER_STARTUP_MS)
    worker.on('message', (result: { ready?: boolean; ok?: boolean; error?: string }) => {
      if (result.ready === true) {
        clearTimeout(timer)
        if (Number.isFinite(timeoutMs)) {
          timer = setTimeout(() => {
            finish(
              new ParseTimeoutError({
                timeoutMs,
                message: `Parsing in the isolated worker took longer than the ${timeoutMs} ms budget; the worker was terminated.`,
              }),
            )
          }, timeoutMs)
        }
      } else if (result.ok === true) {
        finish()
      } else {
        finish(
          new ParseFailedError({
            message: `The parse worker failed: ${result.error ?? 'no tree was produced'}.`,
          }),
        )
      }
    })
    worker.on('error', (error) => {
      finish(new ParseFailedError({ message: `The parse worker crashed: ${error.message}`, cause: error }))
    })
    worker.on('exit', (exitCode) => {
      finish(
        new ParseFailedError({ message: `The parse worker exited (code ${exitCode}) before it reported.` }),
      )
    })
  })
}

import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BlobStore, ExecutorTask, TaskResult } from '@ql/agents'
import {
  AbortedError,
  InvalidRequestError,
  type QlErrorJSON,
  redactSecrets,
  toQlError,
  UnknownError,
} from '@ql/provider'
import { PayloadTooLargeError } from '../errors/kubernetes-errors'
import {
  RESULT_LINE_PREFIX,
  type ResultMessage,
  TERMINATION_MESSAGE_LIMIT,
  WORKER_ENV,
} from './result-message'

/** Options of {@link runWorker}; each defaults to its `QL_*` environment variable. */
export interface WorkerOptions {
  /** The graph module: a path (relative to the working directory) or a package name. `QL_GRAPH_MODULE`. */
  module?: string
  /** The export holding the compiled graph, or a function returning it. `QL_GRAPH_EXPORT`, default `graph`. */
  exportName?: string
  /** The task's JSON file (`-` for stdin). `QL_TASK_FILE`, default `/var/run/ql/task.json`. */
  taskFile?: string
  /** Where the result goes. `QL_TERMINATION_FILE`, default `/dev/termination-log`. */
  terminationFile?: string
  /** Results larger than this many bytes of JSON are refused unless a result store takes them. `QL_MAX_RESULT_BYTES`, default 1 MiB. */
  maxResultBytes?: number
  /** An export of the graph module that is a `BlobStore` for large results. `QL_RESULT_STORE_EXPORT`. */
  resultStoreExport?: string
  /** Names of environment variables whose values are secrets, redacted from output and errors. `QL_SECRET_ENV`. */
  secretEnv?: string[]
  /** The environment to read (default `process.env`). */
  env?: NodeJS.ProcessEnv
  /** Aborts the task (the CLI aborts on SIGTERM, as when the pod is deleted). */
  signal?: AbortSignal
}

/** How a worker run ended. */
export interface WorkerOutcome {
  result: TaskResult
  /** 0 when the node ran (whatever its result), 1 when the worker could not run it. */
  exitCode: number
  /** Where the result went. */
  via: 'termination-message' | 'log' | 'store' | 'stdout'
}

/**
 * Runs the one task a Kubernetes Job was created for: loads the graph module, runs the node with
 * `graph.executeTask(task, signal)` and hands the `TaskResult` back to the executor — in the
 * container's termination message when it fits in 4 KiB, else as one marked line on stdout (or in
 * a result store), refusing results above `maxResultBytes`. Failures to load the module or read
 * the task are reported as typed errors the same way. This is what the `ql-worker` bin runs.
 */
export async function runWorker(options: WorkerOptions = {}): Promise<WorkerOutcome> {
  const env = options.env ?? process.env
  const secretNames = options.secretEnv ?? splitList(env[WORKER_ENV.secretNames])
  const secrets = secretNames
    .map((name) => env[name])
    .filter((value): value is string => !!value && value.length >= 4)
  const terminationFile = options.terminationFile ?? env[WORKER_ENV.terminationFile] ?? '/dev/termination-log'
  const maxResultBytes = options.maxResultBytes ?? numberOr(env[WORKER_ENV.maxResultBytes], 1024 * 1024)
  const storeExport = options.resultStoreExport ?? env[WORKER_ENV.resultStoreExport]
  let store: BlobStore | undefined
  let result: TaskResult
  let exitCode = 0
  let node = 'the task'
  try {
    const modulePath = options.module ?? env[WORKER_ENV.module]
    if (modulePath === undefined || modulePath === '') {
      throw new InvalidRequestError({
        message: `ql-worker needs the graph module: set ${WORKER_ENV.module} (createKubernetesExecutor({ worker: { module } })) or pass --module.`,
      })
    }
    const task = readTask(options.taskFile ?? env[WORKER_ENV.taskFile] ?? '/var/run/ql/task.json')
    node = String(task.node)
    const loaded = (await import(specifier(modulePath))) as Record<string, unknown>
    const exportName = options.exportName ?? env[WORKER_ENV.exportName] ?? 'graph'
    const graph = await graphFrom(loaded, exportName, modulePath)
    if (storeExport !== undefined) store = await storeFrom(loaded, storeExport, modulePath)
    result = await untilSettled(graph.executeTask(task, options.signal ?? new AbortController().signal), node)
  } catch (error) {
    exitCode = 1
    result = { kind: 'error', error: toQlError(error).toJSON() }
  }
  if (result?.kind === 'error') result = { kind: 'error', error: redactError(result.error, secrets) }
  const json = JSON.stringify(result)
  const bytes = Buffer.byteLength(json)
  const inline = `{"ql":"v1","result":${json}}`
  if (Buffer.byteLength(inline) <= TERMINATION_MESSAGE_LIMIT && writeMessage(terminationFile, inline)) {
    return { result, exitCode, via: 'termination-message' }
  }
  if (bytes > maxResultBytes && store !== undefined) {
    const key = createHash('sha256').update(json).digest('hex')
    await store.put(key, json)
    const message: ResultMessage = { ql: 'v1', store: key, bytes }
    if (writeMessage(terminationFile, JSON.stringify(message))) return { result, exitCode, via: 'store' }
  }
  if (bytes > maxResultBytes) {
    result = {
      kind: 'error',
      error: new PayloadTooLargeError({
        message:
          `The result of node "${node}" is ${bytes} bytes of JSON, over the limit of ${maxResultBytes}. ` +
          `Return less (store large values elsewhere and return a reference), raise maxResultBytes, or plug in a ` +
          `result store (createKubernetesExecutor({ resultStore, worker: { resultStoreExport } })).`,
        what: 'result',
        bytes,
        limitBytes: maxResultBytes,
      }).toJSON(),
    }
    const small = `{"ql":"v1","result":${JSON.stringify(result)}}`
    if (writeMessage(terminationFile, small)) return { result, exitCode, via: 'termination-message' }
    process.stdout.write(`${RESULT_LINE_PREFIX}${JSON.stringify(result)}\n`)
    return { result, exitCode, via: 'stdout' }
  }
  process.stdout.write(`${RESULT_LINE_PREFIX}${json}\n`)
  const message: ResultMessage = { ql: 'v1', log: bytes }
  return { result, exitCode, via: writeMessage(terminationFile, JSON.stringify(message)) ? 'log' : 'stdout' }
}

/**
 * The `ql-worker` command: `ql-worker [--module PATH] [--export NAME] [--task FILE]`, the rest
 * from `QL_*` variables. Redacts the values of the secret variables (`QL_SECRET_ENV`) from what
 * the node writes to stdout and stderr, aborts the node on SIGTERM, and exits 0 when the node ran
 * (its result may still be an error), 1 when it could not run. @internal
 */
export async function workerMain(argv: string[] = process.argv.slice(2)): Promise<number> {
  const options: WorkerOptions = {}
  for (let index = 0; index < argv.length; index++) {
    const [flag, value] = [argv[index], argv[index + 1]]
    if (flag === '--module' && value !== undefined) options.module = value
    else if (flag === '--export' && value !== undefined) options.exportName = value
    else if (flag === '--task' && value !== undefined) options.taskFile = value
    else continue
    index++
  }
  const secrets = splitList(process.env[WORKER_ENV.secretNames])
    .map((name) => process.env[name])
    .filter((value): value is string => !!value && value.length >= 4)
  if (secrets.length > 0) {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : chunk
        return write(
          typeof text === 'string'
            ? secrets.reduce((out, secret) => out.split(secret).join('[REDACTED]'), text)
            : text,
          ...rest,
        )
      }) as typeof stream.write
    }
  }
  const controller = new AbortController()
  process.once('SIGTERM', () =>
    controller.abort(
      new AbortedError({ message: 'The pod was stopped (SIGTERM) before the node finished.' }),
    ),
  )
  const outcome = await runWorker({ ...options, signal: controller.signal })
  return outcome.exitCode
}

/**
 * Resolves with the task's result, or with an error when the node's promise can no longer settle:
 * Node is about to exit because nothing is left to wait for (a promise nobody resolves).
 */
function untilSettled(running: Promise<TaskResult>, node: string): Promise<TaskResult> {
  return new Promise((resolve, reject) => {
    const onBeforeExit = () => {
      resolve({
        kind: 'error',
        error: new UnknownError({
          message: `Node "${node}" never finished: its promise was still pending when the worker had nothing left to wait for (a promise nobody resolves?).`,
        }).toJSON(),
      })
    }
    process.once('beforeExit', onBeforeExit)
    running.then(
      (result) => {
        process.off('beforeExit', onBeforeExit)
        resolve(result)
      },
      (error: unknown) => {
        process.off('beforeExit', onBeforeExit)
        reject(error)
      },
    )
  })
}

function readTask(file: string): ExecutorTask {
  let text: string
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8')
  } catch (error) {
    throw new InvalidRequestError({
      message: `ql-worker could not read its task from ${file}: ${(error as Error).message}`,
    })
  }
  try {
    return JSON.parse(text) as ExecutorTask
  } catch {
    throw new InvalidRequestError({ message: `ql-worker: the task in ${file} is not valid JSON.` })
  }
}

function specifier(module: string): string {
  if (module.startsWith('file:')) return module
  if (isAbsolute(module) || module.startsWith('.')) return pathToFileURL(resolve(module)).href
  return module
}

interface RunnableGraph {
  executeTask(task: ExecutorTask, signal?: AbortSignal): Promise<TaskResult>
}

async function graphFrom(
  loaded: Record<string, unknown>,
  name: string,
  module: string,
): Promise<RunnableGraph> {
  let value = loaded[name] ?? (name === 'graph' ? loaded.default : undefined)
  if (typeof value === 'function' && typeof (value as Partial<RunnableGraph>).executeTask !== 'function') {
    value = await (value as () => unknown)()
  }
  if (typeof (value as Partial<RunnableGraph> | undefined)?.executeTask !== 'function') {
    throw new InvalidRequestError({
      message: `ql-worker: the export "${name}" of ${module} is not a compiled graph (or a function returning one); set ${WORKER_ENV.exportName}.`,
    })
  }
  return value as RunnableGraph
}

async function storeFrom(loaded: Record<string, unknown>, name: string, module: string): Promise<BlobStore> {
  let value = loaded[name]
  if (typeof value === 'function') value = await (value as () => unknown)()
  const store = value as Partial<BlobStore> | undefined
  if (typeof store?.put !== 'function' || typeof store.get !== 'function') {
    throw new InvalidRequestError({
      message: `ql-worker: the export "${name}" of ${module} is not a BlobStore ({ put, get }).`,
    })
  }
  return store as BlobStore
}

function writeMessage(file: string, message: string): boolean {
  try {
    writeFileSync(file, message)
    return true
  } catch {
    return false
  }
}

function redactError(error: QlErrorJSON, secrets: string[]): QlErrorJSON {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redactSecrets(value, secrets)
    if (Array.isArray(value)) return value.map(walk)
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]))
    }
    return value
  }
  return walk(error) as QlErrorJSON
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
}

function numberOr(value: string | undefined, fallback: number): number {
  const number = Number(value)
  return value !== undefined && Number.isInteger(number) && number > 0 ? number : fallback
}

import type { TaskResult } from '@ql/agents'

/**
 * How a worker hands its result back, shared by `ql-worker` and the executor. The container's
 * termination message (at most 4 KiB, read from the pod's status, so free for the host) carries a
 * small result whole; a larger one goes to the log as one marked line, and the message says so; a
 * result in a result store is named by its key.
 * @internal
 */
export type ResultMessage =
  | { ql: 'v1'; result: TaskResult }
  | { ql: 'v1'; log: number }
  | { ql: 'v1'; store: string; bytes: number }

/** The prefix of the log line that carries a result too large for the termination message. @internal */
export const RESULT_LINE_PREFIX = '@@ql-result v1 '

/** What fits in a termination message (Kubernetes keeps 4096 bytes). @internal */
export const TERMINATION_MESSAGE_LIMIT = 4096

/** The environment variables the executor sets and the worker reads. @internal */
export const WORKER_ENV = {
  module: 'QL_GRAPH_MODULE',
  exportName: 'QL_GRAPH_EXPORT',
  taskFile: 'QL_TASK_FILE',
  terminationFile: 'QL_TERMINATION_FILE',
  secretNames: 'QL_SECRET_ENV',
  maxResultBytes: 'QL_MAX_RESULT_BYTES',
  resultStoreExport: 'QL_RESULT_STORE_EXPORT',
} as const

/** Reads a termination message; undefined when it is not one of ours (a log tail, or empty). @internal */
export function parseResultMessage(text: string | undefined): ResultMessage | undefined {
  if (text === undefined || !text.startsWith('{"ql":"v1"')) return undefined
  try {
    const message = JSON.parse(text) as ResultMessage
    return message.ql === 'v1' ? message : undefined
  } catch {
    return undefined
  }
}

/** Finds the last result line in a pod's log. @internal */
export function findResultLine(log: string): TaskResult | undefined {
  const at = log.lastIndexOf(`\n${RESULT_LINE_PREFIX}`)
  const start = at >= 0 ? at + 1 : log.startsWith(RESULT_LINE_PREFIX) ? 0 : -1
  if (start < 0) return undefined
  const end = log.indexOf('\n', start)
  const line = log.slice(start + RESULT_LINE_PREFIX.length, end < 0 ? undefined : end)
  try {
    return JSON.parse(line) as TaskResult
  } catch {
    return undefined
  }
}

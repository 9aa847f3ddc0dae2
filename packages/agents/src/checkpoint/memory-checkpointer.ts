import { CheckpointConflictError } from '../errors/graph-errors'
import type { CheckpointRecord } from './checkpoint-record'
import type { Checkpointer } from './checkpointer'

/**
 * A {@link Checkpointer} in this process's memory: for tests, and for human-in-the-loop pauses
 * within one process. Records are kept as JSON text, so what it returns is a copy and a value
 * that would not survive a real store fails here too.
 */
export function createMemoryCheckpointer(): Checkpointer {
  const threads = new Map<string, string[]>()
  return {
    async read(threadId) {
      const log = threads.get(threadId)
      return log === undefined ? [] : log.map((line) => JSON.parse(line) as CheckpointRecord)
    },
    async append(threadId, expectedLength, records) {
      const log = threads.get(threadId) ?? []
      if (log.length !== expectedLength) {
        throw new CheckpointConflictError({
          message: `Thread "${threadId}" has ${log.length} checkpoint records, not the ${expectedLength} this writer read: another run wrote to it. Nothing was written.`,
          threadId,
        })
      }
      const lines = records.map((record) => JSON.stringify(record))
      for (const line of lines) log.push(line)
      threads.set(threadId, log)
    },
    async delete(threadId) {
      threads.delete(threadId)
    },
  }
}

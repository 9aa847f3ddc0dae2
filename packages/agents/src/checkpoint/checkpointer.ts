import type { CheckpointRecord } from './checkpoint-record'

/**
 * Where a graph keeps its threads: an append-only log of {@link CheckpointRecord}s per thread.
 * Implement it for any store; run the conformance kit (`runCheckpointerConformance`) against it.
 *
 * The contract that makes two host processes safe on one store: `append` is a compare-and-set on
 * the log's length. A writer passes the length it read; when another writer appended in between,
 * the append writes nothing and throws `CheckpointConflictError`. So a thread has one writer at a
 * time, and a lost update is impossible.
 */
export interface Checkpointer {
  /** The thread's records in order; an empty list for a thread never written. */
  read(threadId: string): Promise<readonly CheckpointRecord[]>
  /**
   * Appends `records` atomically (all or none) when the thread has exactly `expectedLength`
   * records; otherwise throws `CheckpointConflictError` and writes nothing. Resolves once the
   * records are durable in the store's sense.
   */
  append(threadId: string, expectedLength: number, records: readonly CheckpointRecord[]): Promise<void>
  /** Deletes the thread. Deleting a thread that does not exist is not an error. */
  delete(threadId: string): Promise<void>
}

import type { CheckpointRecord } from '../checkpoint/checkpoint-record'
import type { Checkpointer } from '../checkpoint/checkpointer'

/**
 * When a run's checkpoints are written, as in LangGraph:
 * - `sync`: before the next step starts (a crash loses at most the step that was running);
 * - `async`: in the background while the next step runs, in order, awaited before the run returns
 *   (faster; a crash can also lose the step before);
 * - `exit`: once, when the run returns, is interrupted or fails (fastest; a crash loses the run).
 */
export type Durability = 'sync' | 'async' | 'exit'

/** Appends a run's records to its thread with compare-and-set, in the chosen durability. @internal */
export class CheckpointWriter {
  readonly #store: Checkpointer | undefined
  readonly #threadId: string
  readonly #durability: Durability
  /** The log's length once everything queued so far is written. */
  #length: number
  #buffer: CheckpointRecord[] = []
  #chain: Promise<void> | undefined
  #failure: { error: unknown } | undefined

  constructor(store: Checkpointer | undefined, threadId: string, length: number, durability: Durability) {
    this.#store = store
    this.#threadId = threadId
    this.#length = length
    this.#durability = durability
  }

  /** Queues records; in `sync` mode resolves once they are written. */
  write(records: CheckpointRecord[]): Promise<void> | undefined {
    const store = this.#store
    if (store === undefined) return undefined
    if (this.#failure !== undefined) throw this.#failure.error
    if (this.#durability === 'exit') {
      for (const record of records) this.#buffer.push(record)
      return undefined
    }
    const expected = this.#length
    this.#length += records.length
    if (this.#durability === 'sync') return store.append(this.#threadId, expected, records)
    const previous = this.#chain ?? Promise.resolve()
    this.#chain = previous.then(() =>
      store.append(this.#threadId, expected, records).catch((error: unknown) => {
        this.#failure ??= { error }
        throw error
      }),
    )
    // a failure is reported by the next write or flush; never an unhandled rejection
    this.#chain.catch(() => {})
    return undefined
  }

  /** Writes everything still queued; throws the first write failure. */
  async flush(): Promise<void> {
    const store = this.#store
    if (store === undefined) return
    if (this.#durability === 'exit' && this.#buffer.length > 0) {
      const records = this.#buffer
      this.#buffer = []
      const expected = this.#length
      this.#length += records.length
      await store.append(this.#threadId, expected, records)
    }
    if (this.#chain !== undefined) await this.#chain
    if (this.#failure !== undefined) throw this.#failure.error
  }
}

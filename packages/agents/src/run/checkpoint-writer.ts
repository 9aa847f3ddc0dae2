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
  /** The log's length once what was handed to the store is written. */
  #length: number
  /** Records not yet handed to the store (`async`, `exit`). */
  #buffer: CheckpointRecord[] = []
  /** The background append loop of `async` mode, while it runs. */
  #draining: Promise<void> | undefined
  #failure: { error: unknown } | undefined

  constructor(store: Checkpointer | undefined, threadId: string, length: number, durability: Durability) {
    this.#store = store
    this.#threadId = threadId
    this.#length = length
    this.#durability = durability
  }

  /**
   * Queues records; in `sync` mode resolves once they are written. In `async` mode, records queued
   * while an append is in flight go out together in the next one (one commit for several steps).
   */
  write(records: CheckpointRecord[]): Promise<void> | undefined {
    const store = this.#store
    if (store === undefined) return undefined
    if (this.#failure !== undefined) throw this.#failure.error
    if (this.#durability === 'sync') {
      const expected = this.#length
      this.#length += records.length
      return store.append(this.#threadId, expected, records)
    }
    for (const record of records) this.#buffer.push(record)
    if (this.#durability === 'async' && this.#draining === undefined) {
      this.#draining = this.#drain(store).finally(() => {
        this.#draining = undefined
      })
      // a failure is reported by the next write or by flush; never an unhandled rejection
      this.#draining.catch(() => {})
    }
    return undefined
  }

  async #drain(store: Checkpointer): Promise<void> {
    // let the step that queued the records go on before the first append starts
    await Promise.resolve()
    while (this.#buffer.length > 0 && this.#failure === undefined) {
      const records = this.#buffer
      this.#buffer = []
      const expected = this.#length
      this.#length += records.length
      try {
        await store.append(this.#threadId, expected, records)
      } catch (error) {
        this.#failure ??= { error }
        throw error
      }
    }
  }

  /** Writes everything still queued; throws the first write failure. */
  async flush(): Promise<void> {
    const store = this.#store
    if (store === undefined) return
    if (this.#draining !== undefined) await this.#draining.catch(() => {})
    if (this.#failure !== undefined) throw this.#failure.error
    if (this.#buffer.length > 0) {
      const records = this.#buffer
      this.#buffer = []
      const expected = this.#length
      this.#length += records.length
      await store.append(this.#threadId, expected, records)
    }
  }
}

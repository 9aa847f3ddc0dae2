import { createHash } from 'node:crypto'
import { ThreadStateError } from '../errors/graph-errors'
import type { CheckpointRecord, TaskWrite } from './checkpoint-record'
import type { Checkpointer } from './checkpointer'

/**
 * Where large node outputs go instead of into checkpoints (an object store, a table, a folder).
 * Keys are the SHA-256 of the value's JSON, so one value is stored once however often it recurs.
 */
export interface BlobStore {
  /** Stores `json` under `key`; resolves once it is durable. Storing an existing key again is harmless. */
  put(key: string, json: string): Promise<void>
  /** The JSON stored under `key`, or `undefined`. */
  get(key: string): Promise<string | undefined>
}

/** `compile({ blobs })`: values above `thresholdBytes` of JSON go to `store`, the checkpoint keeps a reference. */
export interface BlobOptions {
  store: BlobStore
  /** Default 65,536 bytes. */
  thresholdBytes?: number
}

const REFERENCE = '$qlBlob'

/** A {@link BlobStore} in this process's memory (for tests). */
export function createMemoryBlobStore(): BlobStore & { readonly size: number } {
  const blobs = new Map<string, string>()
  return {
    get size() {
      return blobs.size
    },
    async put(key, json) {
      blobs.set(key, json)
    },
    async get(key) {
      return blobs.get(key)
    },
  }
}

/** Replaces every update value above the threshold with a reference, storing the value first. @internal */
export async function offloadRecords(
  records: CheckpointRecord[],
  options: BlobOptions,
): Promise<CheckpointRecord[]> {
  const threshold = options.thresholdBytes ?? 65_536
  const offload = async (write: TaskWrite): Promise<TaskWrite> => {
    let update: Record<string, unknown> | undefined
    for (const key of Object.keys(write.update)) {
      const json = JSON.stringify(write.update[key])
      if (json === undefined || Buffer.byteLength(json) <= threshold) continue
      const hash = createHash('sha256').update(json).digest('hex')
      await options.store.put(hash, json)
      update ??= { ...write.update }
      update[key] = { [REFERENCE]: hash, bytes: Buffer.byteLength(json) }
    }
    return update === undefined ? write : { ...write, update }
  }
  const out: CheckpointRecord[] = []
  for (const record of records) {
    if (record.type === 'step') out.push({ ...record, writes: await Promise.all(record.writes.map(offload)) })
    else if (record.type === 'task') out.push({ ...record, write: await offload(record.write) })
    else out.push(record)
  }
  return out
}

/** Replaces every reference with its stored value. @internal */
export async function resolveRecords(
  records: readonly CheckpointRecord[],
  options: BlobOptions,
  threadId: string,
): Promise<CheckpointRecord[]> {
  const resolve = async (write: TaskWrite): Promise<TaskWrite> => {
    let update: Record<string, unknown> | undefined
    for (const key of Object.keys(write.update)) {
      const value = write.update[key] as Record<string, unknown> | null
      if (typeof value !== 'object' || value === null || typeof value[REFERENCE] !== 'string') continue
      const json = await options.store.get(value[REFERENCE])
      if (json === undefined) {
        throw new ThreadStateError({
          message: `Thread "${threadId}" refers to a stored value (${value[REFERENCE]}) that the blob store does not have.`,
          threadId,
        })
      }
      update ??= { ...write.update }
      update[key] = JSON.parse(json)
    }
    return update === undefined ? write : { ...write, update }
  }
  const out: CheckpointRecord[] = []
  for (const record of records) {
    if (record.type === 'step') out.push({ ...record, writes: await Promise.all(record.writes.map(resolve)) })
    else if (record.type === 'task') out.push({ ...record, write: await resolve(record.write) })
    else out.push(record)
  }
  return out
}

/** A checkpointer that keeps large values in a blob store: offloads on append, resolves on read. @internal */
export function withBlobs(store: Checkpointer, options: BlobOptions): Checkpointer {
  return {
    read: async (threadId) => resolveRecords(await store.read(threadId), options, threadId),
    append: async (threadId, expectedLength, records) =>
      store.append(threadId, expectedLength, await offloadRecords([...records], options)),
    delete: (threadId) => store.delete(threadId),
  }
}

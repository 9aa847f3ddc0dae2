import { randomBytes } from 'node:crypto'
import { constants, promises as fs } from 'node:fs'
import { join } from 'node:path'
import { CheckpointConflictError } from '../errors/graph-errors'
import type { CheckpointRecord } from './checkpoint-record'
import type { Checkpointer } from './checkpointer'

const SEGMENT = /^(\d{12})\.jsonl$/

/**
 * A {@link Checkpointer} on the local file system, safe for several processes sharing `directory`.
 *
 * Each thread is a folder of append-only segment files, one per `append`, named by the index of
 * their first record. A segment is written to a temporary file, fsync'd, and published with
 * `link()`, which fails when the name exists: that is the compare-and-set (two writers that read
 * the same log race for the same name, and exactly one wins). A reader only ever sees complete
 * segments, so a process killed with SIGKILL mid-write leaves the thread as it was before the
 * write. The folder is fsync'd after each publish.
 */
export function createFileCheckpointer(directory: string): Checkpointer {
  if (typeof directory !== 'string' || directory === '') {
    throw new TypeError('createFileCheckpointer(directory) needs a directory path.')
  }
  const folder = (threadId: string) => join(directory, threadFolder(threadId))

  return {
    async read(threadId) {
      const dir = folder(threadId)
      let names: string[]
      try {
        names = await fs.readdir(dir)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw error
      }
      const segments = names.filter((name) => SEGMENT.test(name)).sort()
      const records: CheckpointRecord[] = []
      for (const name of segments) {
        const text = await fs.readFile(join(dir, name), 'utf8')
        for (const line of text.split('\n'))
          if (line !== '') records.push(JSON.parse(line) as CheckpointRecord)
      }
      return records
    },

    async append(threadId, expectedLength, records) {
      if (records.length === 0) return
      const dir = folder(threadId)
      await fs.mkdir(dir, { recursive: true })
      const text = `${records.map((record) => JSON.stringify(record)).join('\n')}\n`
      const temporary = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
      const handle = await fs.open(
        temporary,
        constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
        0o600,
      )
      try {
        await handle.writeFile(text, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
      try {
        await checkLength(dir, expectedLength, threadId)
        await fs.link(temporary, join(dir, segmentName(expectedLength)))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw conflict(threadId, expectedLength)
        throw error
      } finally {
        await fs.rm(temporary, { force: true })
      }
      await syncFolder(dir)
    },

    async delete(threadId) {
      await fs.rm(folder(threadId), { recursive: true, force: true })
    },
  }
}

function threadFolder(threadId: string): string {
  // every character outside [A-Za-z0-9_-] is escaped, so '..', '/' and NUL cannot leave the folder
  return `t-${Array.from(Buffer.from(threadId, 'utf8'))
    .map((byte) =>
      (byte >= 48 && byte <= 57) ||
      (byte >= 65 && byte <= 90) ||
      (byte >= 97 && byte <= 122) ||
      byte === 45 ||
      byte === 95
        ? String.fromCharCode(byte)
        : `~${byte.toString(16).padStart(2, '0')}`,
    )
    .join('')}`
}

function segmentName(start: number): string {
  return `${String(start).padStart(12, '0')}.jsonl`
}

/** A writer's `expectedLength` must be where the last segment ends; a shorter one names a taken segment anyway. */
async function checkLength(dir: string, expectedLength: number, threadId: string): Promise<void> {
  const names = (await fs.readdir(dir)).filter((name) => SEGMENT.test(name)).sort()
  const last = names[names.length - 1]
  if (last === undefined) {
    if (expectedLength !== 0) throw conflict(threadId, expectedLength)
    return
  }
  const start = Number((SEGMENT.exec(last) as RegExpExecArray)[1])
  const lines = (await fs.readFile(join(dir, last), 'utf8')).split('\n').filter((line) => line !== '').length
  if (start + lines !== expectedLength) throw conflict(threadId, expectedLength)
}

function conflict(threadId: string, expectedLength: number): CheckpointConflictError {
  return new CheckpointConflictError({
    message: `Thread "${threadId}" does not have the ${expectedLength} checkpoint records this writer read: another run wrote to it. Nothing was written.`,
    threadId,
  })
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

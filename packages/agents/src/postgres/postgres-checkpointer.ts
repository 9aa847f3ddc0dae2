import pg from 'pg'
import type { BlobStore } from '../checkpoint/blob-store'
import type { CheckpointRecord } from '../checkpoint/checkpoint-record'
import type { Checkpointer } from '../checkpoint/checkpointer'
import { CheckpointConflictError } from '../errors/graph-errors'
import { PostgresCheckpointerError } from './postgres-checkpointer-error'
import {
  applyMigrations,
  LATEST_VERSION,
  type PostgresTableOptions,
  type PostgresTables,
  postgresTables,
  tooNew,
} from './postgres-migrations'

/** The result of a query, as `pg` returns it. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[]
  rowCount: number | null
}

/** One connection checked out of a pool (`pg.PoolClient`). */
export interface PostgresPoolClient {
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>
  release(error?: Error | boolean): void
}

/** What the checkpointer needs of a pool: a `pg.Pool` (or anything shaped like one). */
export interface PostgresPool {
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>
  connect(): Promise<PostgresPoolClient>
  end(): Promise<void>
}

/** A few common `pg.PoolConfig` settings, and any other `pg` accepts. */
export interface PostgresPoolConfig {
  /** Most connections open at once (pg's default: 10). */
  max?: number
  /** How long an idle connection stays open, in ms (pg's default: 10,000). */
  idleTimeoutMillis?: number
  /** How long to wait for a connection before failing, in ms (pg's default: forever). */
  connectionTimeoutMillis?: number
  /** TLS settings, as for `tls.connect`, or `true`. */
  ssl?: boolean | Record<string, unknown>
  /** Any other `pg.PoolConfig` setting. */
  [setting: string]: unknown
}

/** Where to connect: a connection string (the checkpointer creates and owns a `pg.Pool`), or your pool. */
export type PostgresConnection =
  | {
      /** `postgres://user:password@host:5432/database`; the password never appears in errors. */
      connectionString: string
      /** Settings for the `pg.Pool` created from it: any `pg.PoolConfig` field but the connection string. */
      poolConfig?: PostgresPoolConfig
    }
  | {
      /** A pool you own: `close()` leaves it open. */
      pool: PostgresPool
    }

/** Options of {@link createPostgresCheckpointer}. */
export interface PostgresCheckpointerOptions extends PostgresTableOptions {}

/** A {@link Checkpointer} on PostgreSQL, with its migrations and its pool. */
export interface PostgresCheckpointer extends Checkpointer {
  /**
   * Creates or upgrades the tables (schema included), applying the missing migrations in one
   * transaction under an advisory lock: safe to call from every replica at start-up. Returns the
   * versions it applied (none when the tables were up to date).
   */
  migrate(): Promise<number[]>
  /** Ends the pool when the checkpointer created it from a connection string; a pool you passed stays open. */
  close(): Promise<void>
  /** Same as {@link PostgresCheckpointer.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>
  /** The pool the checkpointer queries. */
  readonly pool: PostgresPool
  /**
   * A {@link BlobStore} in the same database (`<prefix>checkpoint_blobs`), shared by every replica:
   * `compile({ checkpointer, blobs: { store: checkpointer.blobs } })` keeps node outputs above the
   * threshold (64 KiB of JSON by default) out of the records. Blobs are keyed by content and
   * shared between threads, so deleting a thread leaves them.
   */
  readonly blobs: BlobStore
}

const CONNECTION_LOST = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
])
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * A {@link Checkpointer} on PostgreSQL, for runs that move between processes and machines.
 *
 * A thread is a row in `<prefix>checkpoint_threads` holding its length, and one row per record in
 * `<prefix>checkpoint_records` (`thread_id`, `seq`, `record json`, primary key
 * `(thread_id, seq)`). Each `append` is one statement, so one transaction: it moves the thread's
 * length from `expectedLength` to `expectedLength + records.length` (a compare-and-set on the
 * row, which PostgreSQL locks) and inserts the records in the same statement. A writer that read
 * a stale length updates no row and inserts nothing, and gets `CheckpointConflictError`; two
 * writers that race for a new thread collide on its primary key, and the loser gets the same
 * error. No update is ever lost.
 *
 * Run `await checkpointer.migrate()` once (every replica may) before the first run, or apply
 * {@link postgresCheckpointerSql} yourself. Keep large node outputs out of the records with
 * `compile({ blobs: { store: checkpointer.blobs } })`: values above the threshold go to a blob
 * table in the same database and the record keeps their SHA-256.
 *
 * ```ts
 * const checkpointer = createPostgresCheckpointer({ connectionString: process.env.DATABASE_URL! })
 * await checkpointer.migrate()
 * const graph = createGraph({ ... }).compile({ checkpointer })
 * ```
 */
export function createPostgresCheckpointer(
  connection: PostgresConnection,
  options: PostgresCheckpointerOptions = {},
): PostgresCheckpointer {
  const tables = postgresTables(options)
  const secrets: string[] = []
  let pool: PostgresPool
  let owned: boolean
  if (connection !== null && typeof connection === 'object' && 'pool' in connection) {
    if (connection.pool === null || typeof connection.pool?.query !== 'function') {
      throw invalid(
        'createPostgresCheckpointer({ pool }) needs a pg.Pool (an object with query and connect).',
      )
    }
    pool = connection.pool
    owned = false
  } else if (
    connection !== null &&
    typeof connection === 'object' &&
    typeof connection.connectionString === 'string' &&
    connection.connectionString !== ''
  ) {
    const password = passwordOf(connection.connectionString)
    if (password !== undefined) secrets.push(password, encodeURIComponent(password))
    secrets.push(connection.connectionString)
    pool = new pg.Pool({
      ...(connection.poolConfig as pg.PoolConfig | undefined),
      connectionString: connection.connectionString,
    })
    // an idle connection the server dropped must not crash the host: the next query reconnects
    ;(pool as pg.Pool).on('error', () => {})
    owned = true
  } else {
    throw invalid(
      'createPostgresCheckpointer needs { connectionString: "postgres://..." } or { pool: new pg.Pool(...) }.',
    )
  }

  const statements = sqlFor(tables)
  let ready: Promise<void> | undefined
  let closed = false

  const fail = (error: unknown, doing: string) => toStoreError(error, doing, secrets)
  /** Checks once that the tables are migrated; a failure is not remembered, so migrate() then a retry works. */
  const ensureReady = (): Promise<void> => {
    if (closed) return Promise.reject(invalid('This PostgreSQL checkpointer was closed.'))
    ready ??= (async () => {
      let version: number
      try {
        const { rows } = await pool.query(statements.version)
        version = Number(rows[0]?.version ?? 0)
      } catch (error) {
        throw fail(error, 'check the checkpoint tables')
      }
      if (version > LATEST_VERSION) throw tooNew(version)
      if (version < LATEST_VERSION) throw notMigrated(tables, version)
    })().catch((error: unknown) => {
      ready = undefined
      throw error
    })
    return ready
  }

  return {
    pool,

    blobs: {
      async put(key, json) {
        checkBlob(key, json)
        await ensureReady()
        try {
          await pool.query(statements.putBlob, [key, json])
        } catch (error) {
          throw fail(error, `store blob ${key}`)
        }
      },
      async get(key) {
        checkBlob(key, '')
        await ensureReady()
        try {
          const { rows } = await pool.query(statements.getBlob, [key])
          const json = rows[0]?.json
          return typeof json === 'string' ? json : undefined
        } catch (error) {
          throw fail(error, `read blob ${key}`)
        }
      },
    },

    async read(threadId) {
      checkThreadId(threadId)
      await ensureReady()
      let rows: Record<string, unknown>[]
      try {
        rows = (await pool.query(statements.read, [threadId])).rows
      } catch (error) {
        throw fail(error, `read thread "${threadId}"`)
      }
      return rows.map((row) => row.record as CheckpointRecord)
    },

    async append(threadId, expectedLength, records) {
      checkThreadId(threadId)
      if (!Number.isSafeInteger(expectedLength) || expectedLength < 0) {
        throw invalid(`append(threadId, expectedLength) needs a length >= 0, not ${String(expectedLength)}.`)
      }
      if (records.length === 0) return
      const batch = `[${records.map(toRowText).join(',')}]`
      await ensureReady()
      let inserted: number
      try {
        const result =
          expectedLength === 0
            ? await pool.query(statements.appendNew, [threadId, records.length, batch])
            : await pool.query(statements.appendTo, [threadId, expectedLength, records.length, batch])
        inserted = result.rowCount ?? 0
      } catch (error) {
        // two writers creating one thread: the loser's insert hits the primary key
        if ((error as { code?: unknown }).code === '23505') throw conflict(threadId, expectedLength)
        throw fail(error, `append to thread "${threadId}"`)
      }
      if (inserted !== records.length) throw conflict(threadId, expectedLength)
    },

    async delete(threadId) {
      checkThreadId(threadId)
      await ensureReady()
      let client: PostgresPoolClient
      try {
        client = await pool.connect()
      } catch (error) {
        throw fail(error, `delete thread "${threadId}"`)
      }
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        // the thread row first: an append in flight holds it, so its records are visible to the next statement
        await client.query(statements.deleteThread, [threadId])
        await client.query(statements.deleteRecords, [threadId])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
        })
        throw fail(error, `delete thread "${threadId}"`)
      } finally {
        client.release(broken)
      }
    },

    async migrate() {
      if (closed) throw invalid('This PostgreSQL checkpointer was closed.')
      let client: PostgresPoolClient
      try {
        client = await pool.connect()
      } catch (error) {
        throw fail(error, 'migrate the checkpoint tables')
      }
      try {
        const applied = await applyMigrations(client, tables)
        ready = undefined
        return applied
      } catch (error) {
        if (PostgresCheckpointerError.isInstance(error)) throw error
        throw fail(error, 'migrate the checkpoint tables')
      } finally {
        client.release()
      }
    },

    async close() {
      if (closed) return
      closed = true
      if (owned) await pool.end()
    },

    [Symbol.asyncDispose]() {
      return this.close()
    },
  }
}

function sqlFor(t: PostgresTables) {
  const insertRecords = (claimed: string, from: string) =>
    `INSERT INTO ${t.records} (thread_id, seq, record)
     SELECT ${claimed}.thread_id, ${from} + item.ordinality - 1, item.value
     FROM ${claimed}, json_array_elements($BATCH::json) WITH ORDINALITY AS item(value, ordinality)`
  return {
    version: `SELECT max(version) AS version FROM ${t.migrations}`,
    read: `SELECT record FROM ${t.records} WHERE thread_id = $1 ORDER BY seq`,
    // a new thread: the insert of its row is the claim; a racing creator waits, then finds the row
    appendNew: `WITH claimed AS (
       INSERT INTO ${t.threads} (thread_id, length) VALUES ($1, $2)
       ON CONFLICT (thread_id) DO NOTHING
       RETURNING thread_id
     ) ${insertRecords('claimed', '0').replace('$BATCH', '$3')}`,
    // an existing thread: compare-and-set on its length; a concurrent writer waits for the row lock and re-checks
    appendTo: `WITH claimed AS (
       UPDATE ${t.threads} SET length = $2 + $3, updated_at = now()
       WHERE thread_id = $1 AND length = $2
       RETURNING thread_id
     ) ${insertRecords('claimed', '$2').replace('$BATCH', '$4')}`,
    putBlob: `INSERT INTO ${t.blobs} (key, json) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
    getBlob: `SELECT json FROM ${t.blobs} WHERE key = $1`,
    deleteThread: `DELETE FROM ${t.threads} WHERE thread_id = $1`,
    deleteRecords: `DELETE FROM ${t.records} WHERE thread_id = $1`,
  }
}

function toRowText(record: CheckpointRecord): string {
  const text = JSON.stringify(record)
  if (typeof text !== 'string') throw invalid('A checkpoint record must be a JSON object.')
  return text
}

function checkThreadId(threadId: string): void {
  if (typeof threadId !== 'string') throw invalid('A thread id must be a string.')
  // PostgreSQL text cannot hold NUL, and an unpaired surrogate would be stored as U+FFFD: two ids would meet
  if (threadId.includes('\u0000') || UNPAIRED_SURROGATE.test(threadId)) {
    throw invalid(
      `The thread id ${JSON.stringify(threadId)} cannot be stored in PostgreSQL: it holds a NUL character or an unpaired surrogate.`,
    )
  }
}

function checkBlob(key: string, json: string): void {
  if (typeof key !== 'string' || key === '' || key.includes('\u0000') || typeof json !== 'string') {
    throw invalid('A blob needs a non-empty string key and its JSON text.')
  }
  // JSON.stringify escapes NUL; a raw one would not fit in a text column
  if (json.includes('\u0000'))
    throw invalid(`The blob ${key} is not JSON text: it holds a raw NUL character.`)
}

function passwordOf(connectionString: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(connectionString).password)
    return password === '' ? undefined : password
  } catch {
    return undefined
  }
}

function invalid(message: string): PostgresCheckpointerError {
  return new PostgresCheckpointerError({ reason: 'invalid-input', message })
}

function conflict(threadId: string, expectedLength: number): CheckpointConflictError {
  return new CheckpointConflictError({
    message: `Thread "${threadId}" does not have the ${expectedLength} checkpoint records this writer read: another run wrote to it. Nothing was written.`,
    threadId,
  })
}

function notMigrated(tables: PostgresTables, version: number): PostgresCheckpointerError {
  return new PostgresCheckpointerError({
    reason: 'not-migrated',
    message: `The checkpoint tables ${tables.threads} and ${tables.records} are at migration ${version}, not ${LATEST_VERSION}: run \`await checkpointer.migrate()\` once (or apply postgresCheckpointerSql()) before the first run.`,
  })
}

function toStoreError(error: unknown, doing: string, secrets: readonly string[]): PostgresCheckpointerError {
  if (PostgresCheckpointerError.isInstance(error)) return error
  const code = (error as { code?: unknown } | undefined)?.code
  const sqlState = typeof code === 'string' ? code : undefined
  const detail = error instanceof Error ? error.message : String(error)
  if (sqlState === '42P01' || sqlState === '3F000') {
    return new PostgresCheckpointerError({
      reason: 'not-migrated',
      sqlState,
      cause: error,
      secrets,
      message: `Could not ${doing}: the checkpoint tables do not exist (${detail}). Run \`await checkpointer.migrate()\` once (or apply postgresCheckpointerSql()) before the first run.`,
    })
  }
  const unavailable =
    (sqlState !== undefined && (CONNECTION_LOST.has(sqlState) || /^(0800[0-6]|57P0[1-3])$/.test(sqlState))) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(detail)
  return new PostgresCheckpointerError({
    reason: unavailable ? 'unavailable' : 'query-failed',
    ...(sqlState === undefined ? {} : { sqlState }),
    cause: error,
    secrets,
    message: unavailable
      ? `Could not ${doing}: the PostgreSQL server is unreachable (${detail}). Nothing was written; try again once it is back.`
      : `Could not ${doing}: PostgreSQL refused the query (${detail}).`,
  })
}

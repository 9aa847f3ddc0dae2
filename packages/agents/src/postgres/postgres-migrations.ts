import { PostgresCheckpointerError } from './postgres-checkpointer-error'

/** Where the checkpointer's tables live. */
export interface PostgresTableOptions {
  /** The schema that holds the tables; created by the first migration when missing. Default `public`. */
  schema?: string
  /** Put before every table name, so several stores can share a schema. Default `ql_`. */
  tablePrefix?: string
}

/** One versioned step of the checkpointer's schema, as SQL you can review or run yourself. */
export interface PostgresMigration {
  /** Applied in increasing order; recorded in the `<prefix>checkpoint_migrations` table. */
  version: number
  name: string
  /** The SQL of this step for the given schema and prefix (several statements, no transaction control). */
  sql: string
}

/** Quoted, validated names of the checkpointer's tables. @internal */
export interface PostgresTables {
  schema: string
  threads: string
  records: string
  blobs: string
  migrations: string
  /** A stable key for the advisory lock that serialises migrations of these tables. */
  lockKey: string
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
/** PostgreSQL truncates identifiers past 63 bytes; the longest table suffix is `checkpoint_migrations`. */
const MAX_PREFIX = 63 - 'checkpoint_migrations'.length

/** Validates and quotes the schema and table names. @internal */
export function postgresTables(options: PostgresTableOptions = {}): PostgresTables {
  const schema = options.schema ?? 'public'
  const prefix = options.tablePrefix ?? 'ql_'
  if (!IDENTIFIER.test(schema) || schema.length > 63) {
    throw new PostgresCheckpointerError({
      reason: 'invalid-input',
      message: `The schema name ${JSON.stringify(schema)} is not a plain identifier: use letters, digits and _ (not first), at most 63 characters.`,
    })
  }
  if (prefix !== '' && (!IDENTIFIER.test(prefix) || prefix.length > MAX_PREFIX)) {
    throw new PostgresCheckpointerError({
      reason: 'invalid-input',
      message: `The table prefix ${JSON.stringify(prefix)} is not a plain identifier: use letters, digits and _ (not first), at most ${MAX_PREFIX} characters.`,
    })
  }
  const table = (name: string) => `"${schema}"."${prefix}${name}"`
  return {
    schema: `"${schema}"`,
    threads: table('checkpoint_threads'),
    records: table('checkpoint_records'),
    blobs: table('checkpoint_blobs'),
    migrations: table('checkpoint_migrations'),
    lockKey: `${schema}.${prefix}checkpoint`,
  }
}

const STEPS: readonly { version: number; name: string; sql: (t: PostgresTables) => string }[] = [
  {
    version: 1,
    name: 'create checkpoint threads, records and blobs',
    sql: (t) => `CREATE TABLE ${t.threads} (
  thread_id  text        PRIMARY KEY,
  -- how many records the thread has: the compare-and-set of every append
  length     bigint      NOT NULL CHECK (length > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${t.records} (
  thread_id  text   NOT NULL,
  -- the record's index in its thread's log, from 0; a taken seq cannot be written twice
  seq        bigint NOT NULL CHECK (seq >= 0),
  -- json, not jsonb: it keeps the record's text as written (key order, escaped NUL characters), so a resumed run
  -- sees exactly the state an uninterrupted one would; json's ->, ->> operators still query it
  record     json   NOT NULL,
  PRIMARY KEY (thread_id, seq)
);
CREATE TABLE ${t.blobs} (
  -- the SHA-256 of the value's JSON: compile({ blobs }) keeps this reference in the record instead
  key        text        PRIMARY KEY,
  json       text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  },
]

/** The version the tables must be at for this version of `@ql/agents`. @internal */
export const LATEST_VERSION = STEPS[STEPS.length - 1]?.version ?? 0

/**
 * The checkpointer's migrations as SQL, for the given schema and table prefix: to review them, or
 * to run them with your own migration tool. Each step's SQL creates its objects only; record the
 * versions you applied in `<prefix>checkpoint_migrations` (see {@link postgresCheckpointerSql},
 * which does both) so that `migrate()` does not apply them again.
 */
export function postgresCheckpointerMigrations(options: PostgresTableOptions = {}): PostgresMigration[] {
  const tables = postgresTables(options)
  return STEPS.map((step) => ({ version: step.version, name: step.name, sql: step.sql(tables) }))
}

/**
 * One SQL script that brings the tables to the latest version from nothing, as `migrate()` would:
 * for `psql -v ON_ERROR_STOP=1 -f`, or to read before you let the code run it. It records each
 * version in `<prefix>checkpoint_migrations`.
 */
export function postgresCheckpointerSql(options: PostgresTableOptions = {}): string {
  const tables = postgresTables(options)
  const parts = [
    '-- @ql/agents PostgreSQL checkpointer: every migration, in one transaction',
    'BEGIN;',
    `SELECT pg_advisory_xact_lock(hashtext(${literal(tables.lockKey)}));`,
    `CREATE SCHEMA IF NOT EXISTS ${tables.schema};`,
    migrationsTableSql(tables),
  ]
  for (const step of STEPS) {
    parts.push(`-- migration ${step.version}: ${step.name}`, step.sql(tables))
    parts.push(
      `INSERT INTO ${tables.migrations} (version, name) VALUES (${step.version}, ${literal(step.name)});`,
    )
  }
  parts.push('COMMIT;', '')
  return parts.join('\n')
}

/** @internal */
export function migrationsTableSql(tables: PostgresTables): string {
  return `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`
}

/** The client a migration runs on: one connection, so the transaction holds. @internal */
export interface MigrationClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
}

/**
 * Applies the missing migrations in one transaction, under an advisory lock so that several
 * processes starting at once apply each step exactly once. Returns the versions it applied.
 * @internal
 */
export async function applyMigrations(client: MigrationClient, tables: PostgresTables): Promise<number[]> {
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [tables.lockKey])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${tables.schema}`)
    await client.query(migrationsTableSql(tables))
    const { rows } = await client.query(`SELECT version FROM ${tables.migrations}`)
    const applied = new Set(rows.map((row) => Number(row.version)))
    const newest = Math.max(0, ...applied)
    if (newest > LATEST_VERSION) throw tooNew(newest)
    const done: number[] = []
    for (const step of STEPS) {
      if (applied.has(step.version)) continue
      await client.query(step.sql(tables))
      await client.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [
        step.version,
        step.name,
      ])
      done.push(step.version)
    }
    await client.query('COMMIT')
    return done
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
}

/** @internal */
export function tooNew(version: number): PostgresCheckpointerError {
  return new PostgresCheckpointerError({
    reason: 'schema-too-new',
    message: `The checkpoint tables are at migration ${version}, newer than the ${LATEST_VERSION} this version of @ql/agents knows: upgrade @ql/agents in this process.`,
  })
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

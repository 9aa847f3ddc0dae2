// @ql/agents/postgres: a checkpointer on PostgreSQL through `pg` (an optional peer dependency).

export type {
  PostgresCheckpointer,
  PostgresCheckpointerOptions,
  PostgresConnection,
  PostgresPool,
  PostgresPoolClient,
  PostgresPoolConfig,
  PostgresQueryResult,
} from './postgres-checkpointer'
export { createPostgresCheckpointer } from './postgres-checkpointer'
export type { PostgresCheckpointerErrorReason } from './postgres-checkpointer-error'
export { PostgresCheckpointerError } from './postgres-checkpointer-error'
export type { PostgresMigration, PostgresTableOptions } from './postgres-migrations'
export { postgresCheckpointerMigrations, postgresCheckpointerSql } from './postgres-migrations'

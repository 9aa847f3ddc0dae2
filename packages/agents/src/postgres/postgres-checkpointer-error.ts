import { isQlError, QlError, type QlErrorOptions } from '@ql/provider'

/** Why a {@link PostgresCheckpointerError} was thrown. */
export type PostgresCheckpointerErrorReason =
  /** The tables are missing or behind this version of `@ql/agents`: run `migrate()`. */
  | 'not-migrated'
  /** The database holds migrations newer than this version of `@ql/agents` knows. */
  | 'schema-too-new'
  /** The server could not be reached, or dropped the connection; retryable. */
  | 'unavailable'
  /** A thread id or record PostgreSQL cannot store, or a bad option. */
  | 'invalid-input'
  /** Any other failure the server reported; `cause` holds the driver's error. */
  | 'query-failed'

/**
 * The PostgreSQL checkpointer could not do what was asked: its tables are not migrated, the
 * server is unreachable, or the server refused a query. `reason` says which; `cause` holds the
 * driver's error (with any password from the connection string redacted). A lost race for a
 * thread is not this error but `CheckpointConflictError`. Code `checkpoint_store`; retryable when
 * the server was unreachable.
 */
export class PostgresCheckpointerError extends QlError {
  /** True when `error` is a `PostgresCheckpointerError`, from any copy of this package. */
  static override isInstance(error: unknown): error is PostgresCheckpointerError {
    return isQlError(error, 'checkpoint_store')
  }
  /** What kind of failure this is. */
  readonly reason: PostgresCheckpointerErrorReason
  /** PostgreSQL's SQLSTATE code (for example `42P01`), or the socket error code, when there was one. */
  readonly sqlState?: string

  constructor(options: QlErrorOptions & { reason: PostgresCheckpointerErrorReason; sqlState?: string }) {
    super({
      ...options,
      code: 'checkpoint_store',
      retryable: options.retryable ?? options.reason === 'unavailable',
    })
    this.name = 'PostgresCheckpointerError'
    this.reason = options.reason
    if (options.sqlState !== undefined) this.sqlState = options.sqlState
  }

  protected override jsonDetails() {
    return { reason: this.reason, ...(this.sqlState === undefined ? {} : { sqlState: this.sqlState }) }
  }
}

import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CheckpointConflictError } from '../src/index'
import {
  createPostgresCheckpointer,
  type PostgresCheckpointer,
  PostgresCheckpointerError,
} from '../src/postgres/index'
import { checkpointerConformance } from '../src/testing/index'
import { describeWithPostgres, dropSchema, POSTGRES_URL, randomSchema } from './fixtures/postgres-server'

let pool: pg.Pool
beforeAll(() => {
  pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 12 })
})
afterAll(async () => {
  await pool?.end()
})

const schemas = new WeakMap<object, string>()
async function freshStore(): Promise<PostgresCheckpointer> {
  const schema = randomSchema()
  const store = createPostgresCheckpointer({ pool }, { schema })
  schemas.set(store, schema)
  await store.migrate()
  return store
}
async function dropStore(store: object): Promise<void> {
  const schema = schemas.get(store)
  if (schema !== undefined) await dropSchema(pool, schema)
}

describeWithPostgres('PostgreSQL checkpointer: conformance kit', () => {
  for (const test of checkpointerConformance(freshStore, dropStore)) it(test.name, test.run, 60_000)
})

import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { z } from 'zod/v4'
import {
  CheckpointConflictError,
  type Checkpointer,
  type CheckpointRecord,
  createGraph,
  createMemoryCheckpointer,
  END,
  interrupt,
  START,
} from '../src/index'
import {
  createPostgresCheckpointer,
  type PostgresCheckpointer,
  PostgresCheckpointerError,
  postgresCheckpointerMigrations,
  postgresCheckpointerSql,
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

/** Drops the `at` timestamps, which differ between two runs. */
function withoutTimes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, inner) => (key === 'at' ? undefined : inner)))
}

const step = (n: number, extra: Record<string, unknown> = {}): CheckpointRecord => ({
  type: 'step',
  step: n,
  writes: [{ id: `${n}:n:0`, node: 'n', update: { n, ...extra } }],
  next: [],
  at: 1,
})

describeWithPostgres('PostgreSQL checkpointer: migrations', () => {
  it('migrate() creates the schema and tables once, then applies nothing', async () => {
    const schema = randomSchema()
    try {
      const store = createPostgresCheckpointer({ pool }, { schema })
      expect(await store.migrate()).toEqual([1])
      expect(await store.migrate()).toEqual([])
      const { rows } = await pool.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      )
      expect(rows.map((row) => row.table_name)).toEqual([
        'ql_checkpoint_blobs',
        'ql_checkpoint_migrations',
        'ql_checkpoint_records',
        'ql_checkpoint_threads',
      ])
    } finally {
      await dropSchema(pool, schema)
    }
  })

  it('several processes migrating at once apply each version exactly once', async () => {
    const schema = randomSchema()
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: POSTGRES_URL, max: 1 }))
    try {
      const applied = await Promise.all(
        pools.map((each) => createPostgresCheckpointer({ pool: each }, { schema }).migrate()),
      )
      expect(applied.flat()).toEqual([1])
    } finally {
      await Promise.all(pools.map((each) => each.end()))
      await dropSchema(pool, schema)
    }
  })

  it('a store used before migrate() says to run it, then works once migrated', async () => {
    const schema = randomSchema()
    try {
      const store = createPostgresCheckpointer({ pool }, { schema })
      const error = await store.read('t').catch((caught: unknown) => caught)
      expect(PostgresCheckpointerError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ reason: 'not-migrated', code: 'checkpoint_store', retryable: false })
      expect((error as Error).message).toMatch(/migrate\(\)/)
      await expect(store.append('t', 0, [step(0)])).rejects.toMatchObject({ reason: 'not-migrated' })
      await store.migrate()
      await store.append('t', 0, [step(0)])
      expect(await store.read('t')).toEqual([step(0)])
    } finally {
      await dropSchema(pool, schema)
    }
  })

  it('the SQL script applied by hand (as with psql -f) leaves nothing for migrate() to do', async () => {
    const schema = randomSchema()
    const client = await pool.connect()
    try {
      const sql = postgresCheckpointerSql({ schema, tablePrefix: 'app_' })
      expect(sql).toContain(`CREATE TABLE "${schema}"."app_checkpoint_records"`)
      await client.query(sql)
      const store = createPostgresCheckpointer({ pool }, { schema, tablePrefix: 'app_' })
      expect(await store.migrate()).toEqual([])
      await store.append('t', 0, [step(0)])
      expect(await store.read('t')).toEqual([step(0)])
      const migrations = postgresCheckpointerMigrations({ schema, tablePrefix: 'app_' })
      expect(migrations.map((migration) => migration.version)).toEqual([1])
      expect(migrations[0]?.sql).toContain('PRIMARY KEY (thread_id, seq)')
    } finally {
      client.release()
      await dropSchema(pool, schema)
    }
  })

  it('a database migrated by a newer version is refused, not written', async () => {
    const schema = randomSchema()
    try {
      const store = createPostgresCheckpointer({ pool }, { schema })
      await store.migrate()
      await pool.query(
        `INSERT INTO "${schema}".ql_checkpoint_migrations (version, name) VALUES (99, 'future')`,
      )
      const fresh = createPostgresCheckpointer({ pool }, { schema })
      await expect(fresh.read('t')).rejects.toMatchObject({ reason: 'schema-too-new' })
      await expect(fresh.migrate()).rejects.toMatchObject({ reason: 'schema-too-new' })
    } finally {
      await dropSchema(pool, schema)
    }
  })

  it('stores with different table prefixes share a schema without meeting', async () => {
    const schema = randomSchema()
    try {
      const a = createPostgresCheckpointer({ pool }, { schema, tablePrefix: 'a_' })
      const b = createPostgresCheckpointer({ pool }, { schema, tablePrefix: '' })
      await a.migrate()
      await b.migrate()
      await a.append('t', 0, [step(1)])
      await b.append('t', 0, [step(2), step(3)])
      expect(await a.read('t')).toEqual([step(1)])
      expect(await b.read('t')).toEqual([step(2), step(3)])
    } finally {
      await dropSchema(pool, schema)
    }
  })
})

describeWithPostgres('PostgreSQL checkpointer: writes', () => {
  let store: PostgresCheckpointer
  beforeAll(async () => {
    store = await freshStore()
  })
  afterAll(async () => {
    if (store !== undefined) await dropStore(store)
  })

  it('keeps one row per record, numbered from 0, with the record as json text', async () => {
    await store.append('rows', 0, [step(0), step(1)])
    await store.append('rows', 2, [step(2)])
    const schema = schemas.get(store) as string
    const { rows } = await pool.query(
      `SELECT seq, record->>'type' AS type, (record->>'step')::int AS step FROM "${schema}".ql_checkpoint_records WHERE thread_id = 'rows' ORDER BY seq`,
    )
    expect(rows).toEqual([
      { seq: '0', type: 'step', step: 0 },
      { seq: '1', type: 'step', step: 1 },
      { seq: '2', type: 'step', step: 2 },
    ])
    const thread = await pool.query(
      `SELECT length FROM "${schema}".ql_checkpoint_threads WHERE thread_id = 'rows'`,
    )
    expect(thread.rows).toEqual([{ length: '3' }])
  })

  it('round-trips what jsonb could not hold: NUL characters and unpaired surrogates', async () => {
    const value = { nul: 'a\u0000b', high: 'x\uD800y', low: '\uDC00', pair: '🧵', backslash: '\\u0000' }
    await store.append('awkward', 0, [step(0, value), step(1)])
    expect(await store.read('awkward')).toEqual([step(0, value), step(1)])
  })

  it('keeps key order, so a run resumed from PostgreSQL has the state an uninterrupted run has, key for key', async () => {
    const build = (checkpointer: Checkpointer) =>
      createGraph({
        state: z.object({ zeta: z.string(), a: z.number(), scores: z.record(z.string(), z.number()) }),
      })
        .addNode('ask', () => ({ scores: { zz: 1, b: 2, aaa: 3 }, a: Number(interrupt<string>('?')) }))
        .addEdge(START, 'ask')
        .addEdge('ask', END)
        .compile({ checkpointer })
    const texts: string[] = []
    for (const checkpointer of [createMemoryCheckpointer(), store]) {
      await build(checkpointer).run({ zeta: 'z', a: 1, scores: { q: 1, a: 2 } }, { threadId: 'order' })
      const done = await build(checkpointer).resume('order', '5')
      texts.push(JSON.stringify([done.state, await build(checkpointer).history('order')].map(withoutTimes)))
    }
    expect(texts[1]).toBe(texts[0])
    expect(JSON.stringify(await store.read('order'))).toContain('"scores":{"zz":1,"b":2,"aaa":3}')
  })

  it('keeps large node outputs in its blob table: the record holds the reference, a resume reads the value back', async () => {
    const big = 'x'.repeat(100_000)
    const build = () =>
      createGraph({ state: z.object({ text: z.string(), done: z.boolean() }) })
        .addNode('write', () => ({ text: big }))
        .addNode('ask', () => ({ done: interrupt<boolean>('ok?') }))
        .addEdge(START, 'write')
        .addEdge('write', 'ask')
        .addEdge('ask', END)
        .compile({ checkpointer: store, blobs: { store: store.blobs, thresholdBytes: 1_000 } })
    await build().run({ text: '', done: false }, { threadId: 'blobs' })
    const done = await build().resume('blobs', true)
    expect(done.state.text).toBe(big)
    const log = JSON.stringify(await store.read('blobs'))
    expect(log.length).toBeLessThan(5_000)
    expect(log).toContain('$qlBlob')
    const schema = schemas.get(store) as string
    const { rows } = await pool.query(
      `SELECT key, length(json) AS bytes FROM "${schema}".ql_checkpoint_blobs`,
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]?.bytes).toBe(big.length + 2)
    expect(await store.blobs.get(rows[0]?.key)).toBe(JSON.stringify(big))
    expect(await store.blobs.get('missing')).toBeUndefined()
    await store.blobs.put(rows[0]?.key, JSON.stringify(big))
    await expect(store.blobs.put('', '1')).rejects.toMatchObject({ reason: 'invalid-input' })
    await expect(store.blobs.put('k', 'a\u0000')).rejects.toMatchObject({ reason: 'invalid-input' })
  })

  it('refuses thread ids PostgreSQL text cannot hold, and bad lengths, with a typed error', async () => {
    for (const id of ['a\u0000b', 'x\uD800']) {
      await expect(store.append(id, 0, [step(0)])).rejects.toMatchObject({ reason: 'invalid-input' })
      await expect(store.read(id)).rejects.toMatchObject({ reason: 'invalid-input' })
    }
    for (const length of [-1, 1.5, Number.NaN]) {
      await expect(store.append('t', length, [step(0)])).rejects.toMatchObject({ reason: 'invalid-input' })
    }
    await store.append('empty', 0, [])
    expect(await store.read('empty')).toEqual([])
  })

  it('never loses an update: writers on separate connections append with retries, and every record lands once', async () => {
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: POSTGRES_URL, max: 2 }))
    const schema = schemas.get(store) as string
    try {
      const writers = pools.map((each) => createPostgresCheckpointer({ pool: each }, { schema }))
      await Promise.all(
        writers.flatMap((writer, w) =>
          [0, 1].map(async (lane) => {
            for (let i = 0; i < 15; ) {
              const length = (await writer.read('contended')).length
              try {
                await writer.append('contended', length, [step(length, { w, lane, i })])
                i++
              } catch (error) {
                if (!CheckpointConflictError.isInstance(error)) throw error
              }
            }
          }),
        ),
      )
      const log = await store.read('contended')
      expect(log).toHaveLength(90)
      // each record was written at the length its writer read: no hole, no overwrite
      expect(log.map((record) => (record as { step: number }).step)).toEqual(log.map((_, index) => index))
      const keys = new Set(
        log.map((record) =>
          JSON.stringify((record as Extract<CheckpointRecord, { type: 'step' }>).writes[0]?.update),
        ),
      )
      expect(keys.size).toBe(90)
    } finally {
      await Promise.all(pools.map((each) => each.end()))
    }
  })

  it('a delete racing appends leaves either the whole thread or none of it', async () => {
    for (let round = 0; round < 10; round++) {
      const id = `deleted-${round}`
      await store.append(id, 0, [step(0)])
      const results = await Promise.allSettled([
        store.append(id, 1, [step(1), step(2)]),
        store.delete(id),
        store.append(id, 0, [step(9)]),
      ])
      for (const result of results) {
        if (result.status === 'rejected') expect(CheckpointConflictError.isInstance(result.reason)).toBe(true)
      }
      const log = await store.read(id)
      const schema = schemas.get(store) as string
      const { rows } = await pool.query(
        `SELECT length FROM "${schema}".ql_checkpoint_threads WHERE thread_id = $1`,
        [id],
      )
      // the thread row and the records agree, and the log is contiguous from 0
      expect(Number(rows[0]?.length ?? 0)).toBe(log.length)
      expect([0, 1, 3]).toContain(log.length)
    }
  })
})

describeWithPostgres('PostgreSQL checkpointer: connections', () => {
  it('owns the pool it made from a connection string: close() ends it, and the store refuses work after', async () => {
    const schema = randomSchema()
    const store = createPostgresCheckpointer(
      { connectionString: POSTGRES_URL, poolConfig: { max: 2 } },
      { schema },
    )
    try {
      await store.migrate()
      await store.append('t', 0, [step(0)])
      expect(await store.read('t')).toEqual([step(0)])
    } finally {
      await dropSchema(pool, schema)
      await store.close()
    }
    expect((store.pool as pg.Pool).ended).toBe(true)
    await expect(store.read('t')).rejects.toMatchObject({ reason: 'invalid-input' })
    await expect(store.migrate()).rejects.toMatchObject({ reason: 'invalid-input' })
    await store.close()
  })

  it('leaves a pool it was given open, also through await using', async () => {
    const schema = randomSchema()
    try {
      {
        await using store = createPostgresCheckpointer({ pool }, { schema })
        await store.migrate()
      }
      expect(pool.ended).toBe(false)
      expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }])
    } finally {
      await dropSchema(pool, schema)
    }
  })

  it('an unreachable server is a retryable typed error whose message and cause hold no password', async () => {
    const store = createPostgresCheckpointer({
      connectionString: 'postgres://app:s3cr%C3%A9t-pw@127.0.0.1:1/test',
      poolConfig: { connectionTimeoutMillis: 5_000 },
    })
    try {
      const error = await store.read('t').catch((caught: unknown) => caught)
      expect(error).toMatchObject({ reason: 'unavailable', retryable: true, code: 'checkpoint_store' })
      const everything = JSON.stringify({
        json: (error as PostgresCheckpointerError).toJSON(),
        message: (error as Error).message,
        cause: String((error as Error).cause),
        stack: (error as Error).stack,
      })
      expect(everything).not.toContain('s3cr')
      await expect(store.append('t', 0, [step(0)])).rejects.toMatchObject({ reason: 'unavailable' })
      await expect(store.migrate()).rejects.toMatchObject({ reason: 'unavailable' })
      await expect(store.delete('t')).rejects.toMatchObject({ reason: 'unavailable' })
    } finally {
      await store.close()
    }
  })

  it('bad options are typed errors naming what to pass', () => {
    expect(() => createPostgresCheckpointer({} as never)).toThrow(/connectionString/)
    expect(() => createPostgresCheckpointer({ connectionString: '' })).toThrow(/connectionString/)
    expect(() => createPostgresCheckpointer({ pool: null } as never)).toThrow(/pg\.Pool/)
    expect(() => createPostgresCheckpointer({ pool }, { schema: 'bad"; drop' })).toThrow(
      PostgresCheckpointerError,
    )
    expect(() => createPostgresCheckpointer({ pool }, { tablePrefix: 'x-y' })).toThrow(/table prefix/)
    expect(() => createPostgresCheckpointer({ pool }, { tablePrefix: 'p'.repeat(60) })).toThrow(/at most/)
  })

  it('a failing query is a typed query-failed error with the SQLSTATE', async () => {
    const schema = randomSchema()
    try {
      const store = createPostgresCheckpointer({ pool }, { schema })
      await store.migrate()
      await store.read('t')
      // the tables vanish under a store that already checked them
      await dropSchema(pool, schema)
      await expect(store.read('t')).rejects.toMatchObject({ reason: 'not-migrated', sqlState: '42P01' })
      await pool.query(`CREATE SCHEMA "${schema}"`)
      await pool.query(`CREATE TABLE "${schema}".ql_checkpoint_records (thread_id int)`)
      await expect(store.read('t')).rejects.toMatchObject({ reason: 'query-failed', sqlState: '42703' })
    } finally {
      await dropSchema(pool, schema)
    }
  })
})

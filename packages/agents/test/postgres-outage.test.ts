// The database goes away in the middle of a run: a real TCP proxy in front of the server is cut
// (every connection reset, new ones refused) and later restored.
import { connect, createServer, type Server, type Socket } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { z } from 'zod/v4'
import { createGraph, END, START } from '../src/index'
import { createPostgresCheckpointer, PostgresCheckpointerError } from '../src/postgres/index'
import { describeWithPostgres, dropSchema, POSTGRES_URL, randomSchema } from './fixtures/postgres-server'

/** A TCP proxy to the server that can be cut and restored on the same port. */
class CuttableProxy {
  #server: Server | undefined
  #sockets = new Set<Socket>()
  port = 0
  constructor(readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host)
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket)
        socket.on('close', () => this.#sockets.delete(socket))
        socket.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve))
    this.port = (server.address() as { port: number }).port
    this.#server = server
  }

  /** Resets every open connection and refuses new ones until `open()`. */
  async cut(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const socket of this.#sockets) socket.resetAndDestroy()
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve())
  }
}

const target = new URL(POSTGRES_URL)
const proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) })
const schema = randomSchema()
let pool: pg.Pool

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 })
  await proxy.open()
})
afterAll(async () => {
  await proxy.cut()
  await dropSchema(pool, schema).catch(() => {})
  await pool.end()
})

describeWithPostgres('PostgreSQL checkpointer when the server goes away', () => {
  it('a run whose checkpoint write meets a dead server fails with a retryable typed error, and resumes from its last written step once the server is back', async () => {
    const through = new URL(POSTGRES_URL)
    through.host = `127.0.0.1:${proxy.port}`
    const checkpointer = createPostgresCheckpointer(
      { connectionString: through.toString(), poolConfig: { max: 2, connectionTimeoutMillis: 5_000 } },
      { schema },
    )
    await checkpointer.migrate()
    let cutAt: number | undefined
    const graph = createGraph({ state: z.object({ seen: z.array(z.number()) }), name: 'outage' })
      .addNode('count', async (state, context) => {
        if (context.step === 10 && cutAt === undefined) {
          cutAt = context.step
          await proxy.cut()
        }
        return { seen: [...state.seen, context.step] }
      })
      .addEdge(START, 'count')
      .addConditionalEdges('count', (state) => (state.seen.length < 20 ? 'count' : END))
      .compile({ checkpointer })

    const error = await graph.run({ seen: [] }, { threadId: 'outage' }).catch((caught: unknown) => caught)
    expect(PostgresCheckpointerError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true })

    // while it is down, reads fail the same way
    await expect(checkpointer.read('outage')).rejects.toMatchObject({ reason: 'unavailable' })

    await proxy.open()
    const stopped = await graph.getState('outage')
    expect(stopped).toMatchObject({ step: 10, state: { seen: Array.from({ length: 10 }, (_, k) => k) } })
    const done = await graph.resume('outage')
    expect(done.status).toBe('done')
    expect(done.state.seen).toEqual(Array.from({ length: 20 }, (_, k) => k))
    await checkpointer.close()
  }, 60_000)
})

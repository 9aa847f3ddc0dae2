import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { createRedisRouterState } from '../src/redis/index'
import { type FakeProvider, startFakeProvider } from '../src/testing/index'
import { describeWithRedis, REDIS_URL, testPrefix } from './fixtures/redis-server'
import { http, ok } from './router-fixtures'

const root = mkdtempSync(join(tmpdir(), 'ql-router-redis-'))
const script = join(root, 'redis-router-child.mjs')
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0)
const MINUTE = 60_000

afterAll(() => rmSync(root, { recursive: true, force: true }))

/** One child process (a replica), driven over IPC. */
class Replica {
  readonly #child: ChildProcess
  readonly #waiting: ((message: { type: string }) => void)[] = []
  readonly #inbox: { type: string }[] = []
  readonly exited: Promise<number | null>

  constructor(args: string[]) {
    this.#child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.#child.on('message', (message: { type: string }) => {
      const waiter = this.#waiting.shift()
      if (waiter === undefined) this.#inbox.push(message)
      else waiter(message)
    })
    this.exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)))
  }

  /** The next message from the child (fails the test if the child dies first). */
  next<T extends { type: string }>(): Promise<T> {
    const queued = this.#inbox.shift()
    if (queued !== undefined) return Promise.resolve(queued as T)
    return Promise.race([
      new Promise<T>((resolve) => this.#waiting.push(resolve as (message: { type: string }) => void)),
      this.exited.then((code) => {
        throw new Error(`the replica exited (${code}) before answering`)
      }),
    ])
  }

  async ask<T extends { type: string }>(message: unknown): Promise<T> {
    this.#child.send(message as never)
    return this.next<T>()
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL')
  }
}

type Outcomes = Record<string, number>

describeWithRedis('three processes sharing one Redis and one 60-rpm target', () => {
  let fake: FakeProvider
  let replicas: Replica[] = []
  let prefix = ''

  beforeAll(async () => {
    // the children run the router from source, bundled once (Node 20 cannot run .ts itself)
    await build({
      entryPoints: [join(import.meta.dirname, 'fixtures', 'redis-router-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@ql/source'],
      outfile: script,
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    })
  }, 120_000)

  // each test: a fresh fake, three fresh replicas (fresh breakers) and its own key prefix
  beforeEach(async () => {
    prefix = testPrefix()
    fake = await startFakeProvider({ protocol: 'openai' })
    replicas = ['a', 'b', 'c'].map((name) => new Replica([REDIS_URL, prefix, fake.baseURL, name]))
    for (const replica of replicas) expect((await replica.next()).type).toBe('ready')
  }, 120_000)

  afterEach(async () => {
    for (const replica of replicas) {
      replica.kill()
      await replica.exited
    }
    await fake?.close()
    const state = createRedisRouterState({ url: REDIS_URL }, { prefix })
    await state.ready()
    await state.clear()
    await state.close()
  })

  async function setClock(now: number): Promise<void> {
    await Promise.all(replicas.map((replica) => replica.ask({ type: 'clock', now })))
  }

  /** Every replica makes `calls` calls at once (8 at a time); returns the requests the fake received. */
  async function burstAll(calls: number): Promise<{ received: number; outcomes: Outcomes[] }> {
    const before = fake.requests.length
    const results = await Promise.all(
      replicas.map((replica) =>
        replica.ask<{ type: string; outcomes: Outcomes }>({ type: 'burst', calls, concurrency: 8 }),
      ),
    )
    return { received: fake.requests.length - before, outcomes: results.map((result) => result.outcomes) }
  }

  it('the target receives at most 60 requests in any minute, and 60 again once the minute has passed', async () => {
    fake.enqueue(...Array.from({ length: 200 }, () => ok()))
    // [virtual time, requests the fake received then]
    const arrivals: [number, number][] = []

    await setClock(T0)
    const first = await burstAll(40) // 120 calls at once across three processes
    arrivals.push([T0, first.received])
    expect(first.received).toBe(60)
    const total = (key: string, outcomes: Outcomes[]) => outcomes.reduce((sum, o) => sum + (o[key] ?? 0), 0)
    expect(total('ok', first.outcomes)).toBe(60)
    expect(total('at its limits', first.outcomes)).toBe(60)

    await setClock(T0 + MINUTE / 2)
    const half = await burstAll(10)
    arrivals.push([T0 + MINUTE / 2, half.received])
    expect(half.received).toBe(0)

    // the window slides: the calls of T0 leave it at T0 + 60 s exactly
    await setClock(T0 + MINUTE - 1)
    const almost = await burstAll(5)
    arrivals.push([T0 + MINUTE - 1, almost.received])
    expect(almost.received).toBe(0)

    await setClock(T0 + MINUTE)
    const next = await burstAll(40)
    arrivals.push([T0 + MINUTE, next.received])
    expect(next.received).toBe(60)

    // measured at the fake: no 60-second window holds more than 60 requests
    for (const [start] of arrivals) {
      const inWindow = arrivals
        .filter(([at]) => at >= start && at < start + MINUTE)
        .reduce((sum, [, count]) => sum + count, 0)
      expect(inWindow).toBeLessThanOrEqual(60)
    }
  }, 120_000)

  it('when one process opens the breaker, the others send nothing from their next call on', async () => {
    await setClock(T0)
    fake.enqueue(http(500), http(500), http(500), http(500))
    const before = fake.requests.length
    const [a, b, c] = replicas as [Replica, Replica, Replica]
    const opened = await a.ask<{ type: string; calls: number; stored: { state: string } }>({
      type: 'until-breaker-opens',
      maxCalls: 4,
    })
    expect(opened.calls).toBe(2)
    expect(opened.stored.state).toBe('open')
    expect(fake.requests.length - before).toBe(2)

    const others = await Promise.all(
      [b, c].map((replica) =>
        replica.ask<{ type: string; outcomes: Outcomes }>({ type: 'burst', calls: 5, concurrency: 1 }),
      ),
    )
    // their own breakers are closed: the shared one, read once per call, keeps them off
    for (const { outcomes } of others) expect(outcomes).toEqual({ 'cooling down': 5 })
    expect(fake.requests.length - before).toBe(2)
  }, 60_000)
})

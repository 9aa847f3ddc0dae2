import { createClient } from '@redis/client'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createRedisRouterState,
  type RedisRouterState,
  RouterStateUnavailableError,
} from '../src/redis/index'
import { InvalidRouterConfigError } from '../src/router/state/invalid-router-config-error'
import { closedPort, describeWithRedis, REDIS_URL, rawClient, testPrefix } from './fixtures/redis-server'
import { describeRouterStateStore } from './router-state-store-spec'

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0)

/** Every store a test made, cleared and closed after it. */
const stores: RedisRouterState[] = []
async function store(options: Parameters<typeof createRedisRouterState>[1] = {}): Promise<RedisRouterState> {
  const made = createRedisRouterState(
    { url: REDIS_URL },
    { prefix: testPrefix(), timeoutMs: 10_000, ...options },
  )
  stores.push(made)
  await made.ready()
  return made
}
afterEach(async () => {
  for (const made of stores.splice(0)) {
    await made.clear().catch(() => {})
    await made.close()
  }
})

describeWithRedis('createRedisRouterState against the real Redis', () => {
  describeRouterStateStore(
    'redis',
    async ({ now }) => {
      const made = createRedisRouterState(
        { url: REDIS_URL },
        { prefix: testPrefix(), now, timeoutMs: 10_000 },
      )
      await made.ready()
      return made
    },
    {
      capacity: true,
      dispose: async (made) => {
        const redis = made as RedisRouterState
        expect(await redis.clear()).toBeGreaterThanOrEqual(0)
        await redis.close()
      },
    },
  )

  it('shares state between stores with the same prefix, and keeps other prefixes apart', async () => {
    const prefix = testPrefix()
    const a = await store({ prefix })
    const b = await store({ prefix })
    const other = await store()
    const until = Date.now() + 60_000
    await a.extendCooldown('t', until)
    await a.setBreaker('t', { state: 'open', since: Date.now(), retryAt: until })
    await a.recordLatency('t', 'total', 250)
    const [seen] = await b.readTargets(['t'])
    expect(seen).toMatchObject({ cooldownUntil: until, breaker: { state: 'open' }, totalMs: 250 })
    expect((await other.readTargets(['t']))[0]).toMatchObject({
      cooldownUntil: undefined,
      breaker: undefined,
    })
  })

  it('updates atomically under concurrent writers: no lost latency sample, no lost cooldown, no over-reservation', async () => {
    const prefix = testPrefix()
    const writers = await Promise.all([
      store({ prefix, latencyAlpha: 1 }),
      store({ prefix }),
      store({ prefix }),
    ])
    const now = Date.now()
    // concurrent extends from three stores: the latest deadline wins whatever the order
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => writers[i % 3]?.extendCooldown('t', now + 10_000 + i * 1000)),
    )
    expect(await writers[0]?.getCooldown('t')).toBe(now + 39_000)
    // 90 concurrent reservations against rpm 20: exactly 20 granted
    const results = await Promise.all(
      Array.from({ length: 90 }, (_, i) => writers[i % 3]?.reserveCapacity('t', { rpm: 20, tokens: 1 })),
    )
    expect(results.filter((result) => result?.ok).length).toBe(20)
    // alpha 1: each sample replaces the average; 30 samples through a read-modify-write script
    await Promise.all(Array.from({ length: 30 }, (_, i) => writers[0]?.recordLatency('t', 'ttft', i)))
    expect(await writers[0]?.getLatency('t', 'ttft')).toBe(29)
  })

  it('gives every key a TTL and keeps the rate window bounded', async () => {
    const made = await store()
    const raw = await rawClient()
    try {
      const now = Date.now()
      await made.extendCooldown('t', now + 5_000)
      await made.setBreaker('t', { state: 'open', since: now, retryAt: now + 30_000 })
      await made.recordLatency('t', 'ttft', 10)
      for (let i = 0; i < 25; i++) await made.reserveCapacity('t', { rpm: 10, tpm: 10_000, tokens: 5 })
      const keys = await raw.keys(`${made.prefix}*`)
      expect(keys.sort()).toEqual([`${made.prefix}k:t`, `${made.prefix}s:t`, `${made.prefix}w:t`])
      for (const key of keys) {
        const ttl = await raw.pTTL(key)
        expect(ttl, key).toBeGreaterThan(0)
        expect(ttl, key).toBeLessThanOrEqual(86_400_000)
      }
      // refused calls leave nothing behind: the window holds the 10 granted calls only
      expect(await raw.zCard(`${made.prefix}w:t`)).toBe(10)
      expect(await raw.hLen(`${made.prefix}k:t`)).toBe(11) // 10 reservations and the running sum
      expect(await raw.pTTL(`${made.prefix}w:t`)).toBeLessThanOrEqual(61_000)
    } finally {
      raw.destroy()
    }
  })

  it('evicts old window entries as the clock moves, so a window never holds more than its limit', async () => {
    const clock = { time: T0 }
    const made = await store({ now: () => clock.time })
    const raw = await rawClient()
    try {
      for (let minute = 0; minute < 5; minute++) {
        clock.time = T0 + minute * 61_000
        for (let i = 0; i < 7; i++) await made.reserveCapacity('t', { rpm: 5, tokens: 3 })
        expect(await raw.zCard(`${made.prefix}w:t`)).toBe(5)
        expect(await raw.hGet(`${made.prefix}k:t`, '#sum')).toBe('15')
      }
    } finally {
      raw.destroy()
    }
  })

  it('loads its scripts again after the server forgot them (SCRIPT FLUSH)', async () => {
    const made = await store()
    await made.recordLatency('t', 'total', 100)
    const raw = await rawClient()
    try {
      await raw.scriptFlush()
    } finally {
      raw.destroy()
    }
    expect(await made.recordLatency('t', 'total', 200)).toBeCloseTo(130)
  })

  it('works on a client you pass in, and leaves it open on close', async () => {
    const client = createClient({ url: REDIS_URL, disableOfflineQueue: true })
    client.on('error', () => {})
    await client.connect()
    try {
      const made = createRedisRouterState({ client }, { prefix: testPrefix() })
      await made.ready()
      expect(await made.extendCooldown('t', Date.now() + 10_000)).toBeGreaterThan(Date.now())
      expect(await made.clear()).toBe(1)
      await made.close()
      expect(client.isReady).toBe(true)
      await expect(made.getCooldown('t')).rejects.toBeInstanceOf(RouterStateUnavailableError)
    } finally {
      client.destroy()
    }
  })

  it('ignores bad samples and deadlines like the memory store, and rejects bad snapshots', async () => {
    const made = await store()
    expect(await made.recordLatency('t', 'total', Number.NaN)).toBeUndefined()
    expect(await made.extendCooldown('t', Number.POSITIVE_INFINITY)).toBeUndefined()
    await expect(made.setBreaker('t', { state: 'broken' as never, since: 1 })).rejects.toBeInstanceOf(
      InvalidRouterConfigError,
    )
    await expect(made.reserveCapacity('t', { rpm: 0, tokens: 1 })).rejects.toBeInstanceOf(
      InvalidRouterConfigError,
    )
    await expect(made.getLatency('t', 'p99' as never)).rejects.toBeInstanceOf(InvalidRouterConfigError)
    // settling nonsense is ignored
    await made.settleCapacity('t', 'x', Number.NaN)
  })
})

describe('createRedisRouterState without a server', () => {
  it('fails fast with a typed error, never hangs, never leaks the password, and closes cleanly', async () => {
    const port = await closedPort()
    const made = createRedisRouterState(
      { url: `redis://user:s3cret-pw-9f2@127.0.0.1:${port}` },
      { prefix: testPrefix(), timeoutMs: 5_000, connectTimeoutMs: 500 },
    )
    try {
      const operations: (() => Promise<unknown>)[] = [
        () => made.readTargets(['a']),
        () => made.extendCooldown('a', Date.now() + 1000),
        () => made.reserveCapacity('a', { rpm: 1, tokens: 0 }),
        () => made.setBreaker('a', { state: 'open', since: Date.now() }),
      ]
      for (const operation of operations) {
        const error = await operation().then(
          () => undefined,
          (caught: unknown) => caught,
        )
        expect(RouterStateUnavailableError.isInstance(error)).toBe(true)
        expect(JSON.stringify((error as RouterStateUnavailableError).toJSON())).not.toContain('s3cret')
        expect((error as Error).message).not.toContain('s3cret')
      }
      await expect(made.ready(200)).rejects.toMatchObject({
        code: 'router_state_unavailable',
        operation: 'ready',
      })
    } finally {
      await made.close()
      await made.close()
    }
  })

  it('rejects bad options with InvalidRouterConfigError', () => {
    expect(() => createRedisRouterState({} as never)).toThrow(InvalidRouterConfigError)
    expect(() => createRedisRouterState(null as never)).toThrow(InvalidRouterConfigError)
    expect(() => createRedisRouterState({ url: 'not a url' })).toThrow(InvalidRouterConfigError)
    expect(() => createRedisRouterState({ url: REDIS_URL }, { prefix: '' })).toThrow(/prefix/)
    expect(() => createRedisRouterState({ url: REDIS_URL }, { timeoutMs: -1 })).toThrow(/timeoutMs/)
    expect(() => createRedisRouterState({ url: REDIS_URL }, { latencyAlpha: 2 })).toThrow(/latencyAlpha/)
  })
})

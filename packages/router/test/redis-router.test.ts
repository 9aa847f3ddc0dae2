import { AllTargetsFailedError } from '@ql/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRouter, type Router, type StateStoreEvent } from '../src/index'
import { createRedisRouterState, type RedisRouterState } from '../src/redis/index'
import {
  closedPort,
  describeWithRedis,
  REDIS_URL,
  type RedisProxy,
  rawClient,
  startRedisProxy,
  testPrefix,
} from './fixtures/redis-server'
import { closeAll, failure, fakeTarget, http, ok, request } from './router-fixtures'

const cleanups: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A Redis store on `url` under `prefix`, connected, cleared and closed after the test. */
async function redisState(prefix: string, url = REDIS_URL): Promise<RedisRouterState> {
  const state = createRedisRouterState({ url }, { prefix, timeoutMs: 5_000 })
  cleanups.push(async () => {
    await state.clear().catch(() => {})
    await state.close()
  })
  await state.ready(10_000)
  return state
}

function track(router: Router): StateStoreEvent[] {
  const events: StateStoreEvent[] = []
  router.on('state-store', (event) => events.push(event))
  cleanups.push(() => router.close())
  return events
}

describeWithRedis('createRouter with the Redis state store', () => {
  it('holds an rpm limit across routers: the third call anywhere is refused without reaching the target', async () => {
    const target = await fakeTarget('openai', [ok('a1'), ok('b1'), ok('never')])
    cleanups.push(() => closeAll(target))
    const prefix = testPrefix()
    const make = async () =>
      createRouter({
        targets: [{ id: 'limited', model: target.model, limits: { rpm: 2 } }],
        state: await redisState(prefix),
      })
    const a = await make()
    const b = await make()
    track(a)
    track(b)
    expect((await a.generate(request)).text).toBe('a1')
    expect((await b.generate(request)).text).toBe('b1')
    // b's own limiter has room (one call), the shared window has none
    const error = await failure(b.generate(request))
    expect(AllTargetsFailedError.isInstance(error)).toBe(true)
    expect(error.message).toContain('at its limits')
    expect(target.requests).toHaveLength(2)
    // a refused reservation gives the local slot back
    expect(b.health().targets[0]?.inFlight).toBe(0)
  })

  it('settles tpm reservations with the actual usage, so a window estimated full takes calls again', async () => {
    const target = await fakeTarget('openai', [ok('one'), ok('two')])
    cleanups.push(() => closeAll(target))
    const prefix = testPrefix()
    const state = await redisState(prefix)
    const router = createRouter({
      targets: [{ id: 't', model: target.model, limits: { tpm: 1_500 } }],
      state,
    })
    track(router)
    // the estimate counts maxTokens (1000): a second call fits only once the first is settled at 15
    expect((await router.generate({ ...request, maxTokens: 1_000 })).text).toBe('one')
    const raw = await rawClient()
    cleanups.push(() => raw.destroy())
    await expect.poll(async () => Number(await raw.hGet(`${prefix}k:t`, '#sum'))).toBe(15)
    expect((await router.generate({ ...request, maxTokens: 1_000 })).text).toBe('two')
  })

  it('waitForCapacity waits for the shared window to slide, or gives up when it cannot before the deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    cleanups.push(() => vi.useRealTimers())
    const target = await fakeTarget('openai', [ok('a1'), ok('a2'), ok('b after the window slid')])
    cleanups.push(() => closeAll(target))
    const prefix = testPrefix()
    const make = (state: RedisRouterState, timeoutMs: number) =>
      createRouter({
        targets: [{ id: 't', model: target.model, limits: { rpm: 2 } }],
        state,
        waitForCapacity: true,
        timeouts: { totalMs: timeoutMs },
      })
    const a = make(await redisState(prefix), 120_000)
    const impatient = make(await redisState(prefix), 5_000)
    const patientState = await redisState(prefix)
    const reservations = vi.spyOn(patientState, 'reserveCapacity')
    const patient = make(patientState, 120_000)
    const [, , patientEvents] = [a, impatient, patient].map(track)
    expect((await a.generate(request)).text).toBe('a1')
    expect((await a.generate(request)).text).toBe('a2')

    // the window has room again only in 60 s, after this call's deadline
    const error = await failure(impatient.generate(request))
    expect(error.code).toBe('rate_limited')
    expect(error.message).toContain('shares with other routers')

    const waiting = patient.generate(request)
    // let it reach the wait: the shared window refuses it twice (when it picks the target, then in
    // the capacity wait), over real Redis round trips. Until then a Redis call is in flight on a
    // fake 5 s timeout timer, which moving the clock would fire: the router would go on with its
    // own (empty) window and never wait for the shared one.
    await vi.waitFor(
      () => {
        const refused = reservations.mock.settledResults.filter(
          (result) => result.type === 'fulfilled' && !result.value.ok,
        )
        expect(refused).toHaveLength(2)
      },
      { timeout: 10_000, interval: 20 },
    )
    expect(target.requests).toHaveLength(2)
    // then move the clock past the window
    await vi.advanceTimersByTimeAsync(60_000)
    expect((await waiting).text).toBe('b after the window slid')
    expect(target.requests).toHaveLength(3)
    // the store answered every time: the call waited for the shared window, not for a timeout
    expect(patientEvents).toEqual([])
  })

  it('shares cooldowns, breakers and latencies between routers', async () => {
    const flaky = await fakeTarget('openai', [http(429, { 'retry-after': '60' })])
    const backup = await fakeTarget('anthropic', [ok('a'), ok('b')])
    cleanups.push(() => closeAll(flaky, backup))
    const prefix = testPrefix()
    const make = async () =>
      createRouter({
        targets: [
          { id: 'flaky', model: flaky.model },
          { id: 'backup', model: backup.model },
        ],
        state: await redisState(prefix),
        retry: { maxRetriesPerTarget: 0 },
      })
    const a = await make()
    const b = await make()
    track(a)
    track(b)
    expect((await a.generate(request)).text).toBe('a')
    // the cooldown write is not awaited by the call: wait for it to land
    const reader = await redisState(prefix)
    await expect.poll(async () => (await reader.getCooldown('flaky')) ?? 0).toBeGreaterThan(Date.now())
    expect((await b.generate(request)).text).toBe('b')
    expect(flaky.requests).toHaveLength(1)
    await expect
      .poll(async () => (await reader.getLatency('backup', 'total')) ?? -1)
      .toBeGreaterThanOrEqual(0)
  })

  it('stops sending to a target another router opened the breaker of, after one read of the store', async () => {
    const failing = await fakeTarget('openai', [http(500), http(500)])
    const backup = await fakeTarget('anthropic', [ok('a1'), ok('a2'), ok('b')])
    cleanups.push(() => closeAll(failing, backup))
    const prefix = testPrefix()
    const make = async () =>
      createRouter({
        targets: [
          { id: 'failing', model: failing.model },
          { id: 'backup', model: backup.model },
        ],
        state: await redisState(prefix),
        breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
        retry: { maxRetriesPerTarget: 0 },
      })
    const a = await make()
    const b = await make()
    track(a)
    track(b)
    const opened = new Promise<void>((resolve) =>
      a.on('breaker', (event) => {
        if (event.state === 'open') resolve()
      }),
    )
    expect((await a.generate(request)).text).toBe('a1')
    expect((await a.generate(request)).text).toBe('a2')
    await opened
    const reader = await redisState(prefix)
    await expect.poll(async () => (await reader.getBreaker('failing'))?.state).toBe('open')
    expect((await b.generate(request)).text).toBe('b')
    expect(failing.requests).toHaveLength(2)
    expect(b.health().targets[0]?.unavailableUntil).toBeGreaterThan(Date.now() + 50_000)
  })

  it('keeps routing while Redis is cut, says so, and picks the shared state up again once Redis is back', async () => {
    const proxy: RedisProxy = await startRedisProxy()
    cleanups.push(() => proxy.close())
    const target = await fakeTarget('openai', [ok('before'), ok('during'), ok('after')])
    cleanups.push(() => closeAll(target))
    const prefix = testPrefix()
    const state = await redisState(prefix, proxy.url)
    const router = createRouter({ targets: [{ id: 't', model: target.model, limits: { rpm: 100 } }], state })
    const events = track(router)
    expect((await router.generate(request)).text).toBe('before')
    expect(events).toEqual([])

    proxy.cut()
    expect((await router.generate(request)).text).toBe('during')
    expect(events).toHaveLength(1)
    // the first failure may be a write still in flight from the call before (a latency sample)
    expect(events[0]).toMatchObject({ store: 'redis', available: false, operation: expect.any(String) })
    expect((events[0]?.error as Error | undefined)?.name).toBe('RouterStateUnavailableError')

    proxy.restore()
    await state.ready(15_000)
    // a cooldown set by another router while this one was cut off is seen again
    const direct = await redisState(prefix)
    await direct.extendCooldown('t', Date.now() + 60_000)
    const error = await failure(router.generate(request))
    expect(error.message).toContain('cooling down')
    expect(events).toHaveLength(2)
    expect(events[1]).toEqual({ store: 'redis', available: true })
    await direct.clearCooldown('t')
    expect(target.requests).toHaveLength(2)
  })
})

describe('createRouter with a Redis store that cannot be reached', () => {
  it('routes on local state (limits still hold in the process), reports the outage once, and never fails a call for it', async () => {
    const port = await closedPort()
    const target = await fakeTarget('openai', [ok('one'), ok('two')])
    cleanups.push(() => closeAll(target))
    const state = createRedisRouterState(
      { url: `redis://127.0.0.1:${port}` },
      { prefix: testPrefix(), connectTimeoutMs: 200 },
    )
    cleanups.push(() => state.close())
    const router = createRouter({
      targets: [{ id: 't', model: target.model, limits: { rpm: 2 } }],
      state,
      breaker: { volumeThreshold: 1 },
    })
    const events = track(router)
    expect((await router.generate(request)).text).toBe('one')
    expect(await collectText(router)).toBe('two')
    const error = await failure(router.generate(request))
    expect(error.message).toContain('at its limits')
    expect(target.requests).toHaveLength(2)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ store: 'redis', available: false })
  })
})

async function collectText(router: Router): Promise<string> {
  const stream = router.stream(request)
  for await (const _ of stream) {
    // drain
  }
  return (await stream.response).text
}

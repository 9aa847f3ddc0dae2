import { type ChatStreamEvent, OverloadedError } from '@ql/provider'
import { createMockChatModel, type MockChatModel } from '@ql/provider/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createMemoryRouterState,
  createRouter,
  InvalidRouterConfigError,
  type Router,
  type RouterConfig,
} from '../src/index'
import { request } from './router-fixtures'

// Latencies here are fake time: each mock answers after `latency.ms` of it (its delayMs), and the
// router reads the same faked Date, so every measured latency is exact and nothing sleeps.

afterEach(() => {
  vi.useRealTimers()
})

/** A model that answers after `latency.ms` (fake time), or fails while `latency.fail` is set. */
function timedModel(modelId: string, latency: { ms: number; fail?: boolean }): MockChatModel {
  return createMockChatModel({
    modelId,
    script: () =>
      latency.fail === true
        ? { error: new OverloadedError({ message: `${modelId} is overloaded` }) }
        : { text: modelId, usage: { inputTokens: 1, outputTokens: 1 }, delayMs: latency.ms },
  })
}

/** A least-latency router over `slow` and `fast` (in that order), and the target of every answer. */
function latencyRouter(slow: MockChatModel, fast: MockChatModel, extra: Partial<RouterConfig> = {}) {
  const router = createRouter({
    targets: [
      { id: 'slow', model: slow },
      { id: 'fast', model: fast },
    ],
    strategy: 'least-latency',
    breaker: false,
    retry: { maxRetriesPerTarget: 0 },
    ...extra,
  })
  const answered: string[] = []
  router.on('usage', (event) => answered.push(event.targetId))
  return { router, answered }
}

/** One `generate` call, run to its end: each takes 1 s of fake time (every answer comes within it). */
async function call(router: Router): Promise<void> {
  const pending = router.generate(request)
  await vi.advanceTimersByTimeAsync(1_000)
  await pending
}

/** One stream, read to its end; 1 s of fake time. */
async function stream(router: Router): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = []
  const done = (async () => {
    for await (const event of router.stream(request)) events.push(event)
  })()
  await vi.advanceTimersByTimeAsync(1_000)
  await done
  return events
}

const fakeTime = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_000_000 })

describe('least-latency: latencies expire after latencyTtlMs', () => {
  it('sends a call to a slow target again after the TTL, and follows it once it recovered', async () => {
    fakeTime()
    const slowLatency = { ms: 500 }
    const slow = timedModel('slow', slowLatency)
    const fast = timedModel('fast', { ms: 100 })
    const { router, answered } = latencyRouter(slow, fast) // the default TTL: 60 s
    await call(router) // t = 0 s: both unmeasured, the first in configuration order
    await call(router) // t = 1 s: the other unmeasured one
    expect(answered).toEqual(['slow', 'fast'])
    expect(router.health().targets.map((target) => target.latencyMs)).toEqual([500, 100])

    slowLatency.ms = 50 // it recovers, but only a call to it can find out
    answered.length = 0
    for (let i = 0; i < 6; i++) {
      await call(router) // t = 2, 22, 42, 62, 82, 102 s
      vi.advanceTimersByTime(19_000)
    }
    // at 62 s `slow`'s one sample (0.5 s) is over 60 s old and `fast`'s (42 s) is not: explored
    expect(answered).toEqual(['fast', 'fast', 'fast', 'slow', 'slow', 'slow'])
    // the new sample replaced the stale average (moved by alpha 0.3 it would be 365 ms)
    expect(router.health().targets[0]?.latencyMs).toBe(50)
    router.close()
  })

  it('with latencyTtlMs: false keeps a slow measure forever (the behaviour before the TTL)', async () => {
    fakeTime()
    const slowLatency = { ms: 500 }
    const { router, answered } = latencyRouter(
      timedModel('slow', slowLatency),
      timedModel('fast', { ms: 100 }),
      {
        latencyTtlMs: false,
      },
    )
    await call(router)
    await call(router)
    slowLatency.ms = 50
    for (let i = 0; i < 6; i++) {
      await call(router)
      vi.advanceTimersByTime(60_000)
    }
    expect(answered).toEqual(['slow', 'fast', 'fast', 'fast', 'fast', 'fast', 'fast', 'fast'])
    router.close()
  })

  it('a stale target gets one exploring call at a time, not every call', async () => {
    fakeTime()
    const slowLatency = { ms: 500 }
    const slow = timedModel('slow', slowLatency)
    const fast = timedModel('fast', { ms: 100 })
    const { router, answered } = latencyRouter(slow, fast, { latencyTtlMs: 10_000 })
    await call(router) // `slow` measured at 0.5 s
    await call(router) // `fast` measured at 1.1 s
    vi.advanceTimersByTime(8_600) // t = 10.6 s: `slow` stale, `fast` still fresh

    // a burst: one call explores `slow`, the other five go to `fast`
    slowLatency.ms = 2_000
    const burst = Array.from({ length: 6 }, () => router.generate(request))
    await vi.advanceTimersByTimeAsync(0)
    expect([slow.calls.length, fast.calls.length]).toEqual([2, 6])
    // a call while the exploring one runs: `slow` shows its last latency (500 ms), not a stale one
    const late = router.generate(request)
    await vi.advanceTimersByTimeAsync(0)
    expect([slow.calls.length, fast.calls.length]).toEqual([2, 7])
    await vi.advanceTimersByTimeAsync(2_000)
    await Promise.all([...burst, late])
    // the exploring call measured 2 s: `slow` is fresh (and slow) again, so traffic stays on `fast`
    expect(router.health().targets[0]?.latencyMs).toBe(2_000)
    await call(router)
    expect(slow.calls).toHaveLength(2)
    expect(answered.filter((id) => id === 'slow')).toHaveLength(2)
    router.close()
  })

  it('an exploring call that fails frees the slot: the next call explores again', async () => {
    fakeTime()
    const slowLatency: { ms: number; fail?: boolean } = { ms: 500 }
    const slow = timedModel('slow', slowLatency)
    const fast = timedModel('fast', { ms: 100 })
    const { router, answered } = latencyRouter(slow, fast, { latencyTtlMs: 10_000 })
    await call(router)
    await call(router)
    vi.advanceTimersByTime(8_600) // `slow` stale, `fast` fresh
    slowLatency.fail = true
    await call(router) // explores `slow`, which fails: the call fails over to `fast`
    expect(slow.calls).toHaveLength(2)
    slowLatency.fail = false
    await call(router) // still stale, and nobody explores it: explored again
    expect(slow.calls).toHaveLength(3)
    expect(answered).toEqual(['slow', 'fast', 'fast', 'slow'])
    router.close()
  })

  it('streams and generate calls go stale apart (time to first token, total time)', async () => {
    fakeTime()
    const slow = timedModel('slow', { ms: 500 })
    const fast = timedModel('fast', { ms: 100 })
    const { router, answered } = latencyRouter(slow, fast, { latencyTtlMs: 10_000 })
    await call(router) // total time of `slow` at 0.5 s
    await call(router) // of `fast` at 1.1 s
    expect((await stream(router)).at(-1)).toMatchObject({ type: 'finish' }) // `slow`'s first token at 2.5 s
    await stream(router) // `fast`'s at 3.1 s
    vi.advanceTimersByTime(6_800) // t = 10.8 s: only `slow`'s total time is stale
    await call(router) // explores `slow`
    await stream(router) // by fresh times to first token: `fast`
    expect(answered).toEqual(['slow', 'fast', 'slow', 'fast', 'slow', 'fast'])
    router.close()
  })

  it('ages a shared latency by its newest sample from any router, and restarts it in the store', async () => {
    fakeTime()
    const state = createMemoryRouterState({ now: () => Date.now() })
    const slowLatency = { ms: 500 }
    const slow = timedModel('slow', slowLatency)
    const fast = timedModel('fast', { ms: 100 })
    const a = latencyRouter(slow, fast, { state, latencyTtlMs: 10_000 })
    const b = latencyRouter(slow, fast, { state, latencyTtlMs: 10_000 })
    await call(a.router) // t = 0 s
    await call(a.router)
    await call(b.router) // t = 2 s: b orders on what it read before (nothing), then reads the store
    await call(b.router) // t = 3 s: by the shared latencies
    expect([a.answered, b.answered]).toEqual([
      ['slow', 'fast'],
      ['slow', 'fast'],
    ])
    slowLatency.ms = 50
    vi.advanceTimersByTime(7_000)
    await call(b.router) // t = 11 s: `fast` (and b reads the store)
    vi.advanceTimersByTime(600)
    // t = 12.6 s: the store's newest `slow` sample is b's of 2.5 s: stale; b explores it, and the
    // store replaces the stale average with the new sample
    await call(b.router)
    expect(b.answered).toEqual(['slow', 'fast', 'fast', 'slow'])
    expect(state.readTargets(['slow'])).toMatchObject([{ totalMs: 50 }])
    await call(a.router) // a orders on its last read (stale, `fast` first), then reads the store
    await call(a.router) // a follows the shared 50 ms
    expect(a.answered).toEqual(['slow', 'fast', 'fast', 'slow'])
    a.router.close()
    b.router.close()
  })
})

describe('latencyTtlMs config', () => {
  const targets = [{ id: 'a', model: createMockChatModel({ script: [] }) }]

  it.each([0, -1, Number.POSITIVE_INFINITY, Number.NaN, '60s', true])(
    'rejects %s with a typed error naming latencyTtlMs',
    (latencyTtlMs) => {
      let thrown: unknown
      try {
        createRouter({ targets, latencyTtlMs: latencyTtlMs as number })
      } catch (error) {
        thrown = error
      }
      expect(InvalidRouterConfigError.isInstance(thrown)).toBe(true)
      expect(thrown).toMatchObject({ code: 'invalid_router_config', path: 'latencyTtlMs' })
      expect((thrown as Error).message).toMatch(/latencyTtlMs: expected a positive, finite number/)
    },
  )

  it('accepts a positive number of milliseconds, and false', () => {
    expect(() => createRouter({ targets, latencyTtlMs: 1 }).close()).not.toThrow()
    expect(() => createRouter({ targets, latencyTtlMs: 0.5 }).close()).not.toThrow()
    expect(() => createRouter({ targets, latencyTtlMs: false }).close()).not.toThrow()
  })
})

import { describe, expect, it } from 'vitest'
import { createMemoryRouterState } from '../src/router/state/create-memory-router-state'
import { InvalidRouterConfigError } from '../src/router/state/invalid-router-config-error'
import type { RouterStateStore } from '../src/router/state/router-state-store'

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0)

/**
 * The behaviour every RouterStateStore must have, written against the interface only (every call
 * awaited), so a shared store (issue 17: Redis) can run the same suite with its own factory.
 */
function describeRouterStateStore(
  name: string,
  create: (clock: { now: () => number }) => RouterStateStore | Promise<RouterStateStore>,
): void {
  describe(`RouterStateStore conformance: ${name}`, () => {
    const setup = async () => {
      const clock = { time: T0, now: () => clock.time }
      const store = await create(clock)
      return { clock, store }
    }

    it('has a kind', async () => {
      const { store } = await setup()
      expect(typeof store.kind).toBe('string')
    })

    it('reads unknown targets as empty, in the order asked', async () => {
      const { store } = await setup()
      expect(await store.readTargets(['b', 'a'])).toEqual([
        {
          targetId: 'b',
          cooldownUntil: undefined,
          breaker: undefined,
          ttftMs: undefined,
          totalMs: undefined,
        },
        {
          targetId: 'a',
          cooldownUntil: undefined,
          breaker: undefined,
          ttftMs: undefined,
          totalMs: undefined,
        },
      ])
      expect(await store.readTargets([])).toEqual([])
      expect(await store.getCooldown('a')).toBeUndefined()
      expect(await store.getBreaker('a')).toBeUndefined()
      expect(await store.getLatency('a', 'ttft')).toBeUndefined()
    })

    it('extends a cooldown, never shortens it (re-cooling keeps the later deadline)', async () => {
      const { store } = await setup()
      expect(await store.extendCooldown('a', T0 + 1000)).toBe(T0 + 1000)
      expect(await store.extendCooldown('a', T0 + 5000)).toBe(T0 + 5000)
      expect(await store.extendCooldown('a', T0 + 2000)).toBe(T0 + 5000)
      expect(await store.getCooldown('a')).toBe(T0 + 5000)
      expect((await store.readTargets(['a']))[0]?.cooldownUntil).toBe(T0 + 5000)
      expect(await store.getCooldown('b')).toBeUndefined()
    })

    it('ends a cooldown at its deadline, or when cleared', async () => {
      const { clock, store } = await setup()
      await store.extendCooldown('a', T0 + 1000)
      clock.time = T0 + 999
      expect(await store.getCooldown('a')).toBe(T0 + 1000)
      clock.time = T0 + 1000
      expect(await store.getCooldown('a')).toBeUndefined()
      expect((await store.readTargets(['a']))[0]?.cooldownUntil).toBeUndefined()
      // after expiry, a shorter deadline than the old one applies again
      expect(await store.extendCooldown('a', T0 + 1500)).toBe(T0 + 1500)
      await store.clearCooldown('a')
      expect(await store.getCooldown('a')).toBeUndefined()
      await store.clearCooldown('never-seen')
    })

    it('ignores cooldown deadlines that are past or not finite', async () => {
      const { store } = await setup()
      expect(await store.extendCooldown('a', T0 - 1)).toBeUndefined()
      expect(await store.extendCooldown('a', Number.NaN)).toBeUndefined()
      expect(await store.extendCooldown('a', Infinity)).toBeUndefined()
      await store.extendCooldown('a', T0 + 100)
      expect(await store.extendCooldown('a', Number.NaN)).toBe(T0 + 100)
    })

    it('stores breaker snapshots; an older one never replaces a newer one', async () => {
      const { store } = await setup()
      const open = { state: 'open' as const, since: T0 + 100, retryAt: T0 + 30_100, failures: 5 }
      expect(await store.setBreaker('a', open)).toEqual(open)
      const stale = { state: 'closed' as const, since: T0 }
      expect(await store.setBreaker('a', stale)).toEqual(open)
      expect(await store.getBreaker('a')).toEqual(open)
      const halfOpen = { state: 'half-open' as const, since: T0 + 30_100 }
      expect(await store.setBreaker('a', halfOpen)).toEqual(halfOpen)
      expect((await store.readTargets(['a']))[0]?.breaker).toEqual(halfOpen)
    })

    it('keeps its own copy of a breaker snapshot', async () => {
      const { store } = await setup()
      const snapshot = { state: 'open' as const, since: T0 }
      await store.setBreaker('a', snapshot)
      snapshot.since = 0
      expect((await store.getBreaker('a'))?.since).toBe(T0)
    })

    it('keeps one latency EWMA per kind', async () => {
      const { store } = await setup()
      expect(await store.recordLatency('a', 'ttft', 100)).toBe(100)
      expect(await store.recordLatency('a', 'ttft', 200)).toBeCloseTo(130)
      expect(await store.recordLatency('a', 'total', 1000)).toBe(1000)
      expect(await store.getLatency('a', 'ttft')).toBeCloseTo(130)
      expect(await store.getLatency('a', 'total')).toBe(1000)
      const [state] = await store.readTargets(['a'])
      expect(state?.ttftMs).toBeCloseTo(130)
      expect(state?.totalMs).toBe(1000)
      expect(await store.recordLatency('b', 'total', Number.NaN)).toBeUndefined()
      expect(await store.recordLatency('a', 'total', -5)).toBe(1000)
    })

    it('keeps targets apart', async () => {
      const { store } = await setup()
      await store.extendCooldown('a', T0 + 1000)
      await store.setBreaker('b', { state: 'open', since: T0 })
      await store.recordLatency('c', 'ttft', 10)
      const [a, b, c] = await store.readTargets(['a', 'b', 'c'])
      expect([a?.cooldownUntil, a?.breaker, a?.ttftMs]).toEqual([T0 + 1000, undefined, undefined])
      expect([b?.cooldownUntil, b?.breaker?.state, b?.ttftMs]).toEqual([undefined, 'open', undefined])
      expect([c?.cooldownUntil, c?.breaker, c?.ttftMs]).toEqual([undefined, undefined, 10])
    })
  })
}

describeRouterStateStore('memory', ({ now }) => createMemoryRouterState({ now }))

describe('createMemoryRouterState', () => {
  it('answers synchronously (no promise on the hot path)', () => {
    const store = createMemoryRouterState()
    expect(store.kind).toBe('memory')
    expect(Array.isArray(store.readTargets(['a']))).toBe(true)
    expect(store.extendCooldown('a', Date.now() + 60_000)).toBeTypeOf('number')
    expect(store.reserveCapacity).toBeUndefined()
  })

  it('uses the latency weight it is given, and rejects a bad one', () => {
    const store = createMemoryRouterState({ latencyAlpha: 1 })
    store.recordLatency('a', 'total', 100)
    expect(store.recordLatency('a', 'total', 300)).toBe(300)
    expect(() => createMemoryRouterState({ latencyAlpha: 0 })).toThrow(InvalidRouterConfigError)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import type { RouterStateStore } from '../src/router/state/router-state-store'

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0)

/** Options of {@link describeRouterStateStore}. */
export interface RouterStateStoreSpecOptions {
  /** Releases a store after its test (closes connections, deletes its keys). */
  dispose?: (store: RouterStateStore) => unknown
  /** Runs the shared-capacity cases: the store implements `reserveCapacity` / `settleCapacity`. */
  capacity?: boolean
}

/**
 * The behaviour every RouterStateStore must have, written against the interface only (every call
 * awaited), so a shared store (issue 17: Redis) can run the same suite with its own factory.
 */
export function describeRouterStateStore(
  name: string,
  create: (clock: { now: () => number }) => RouterStateStore | Promise<RouterStateStore>,
  options: RouterStateStoreSpecOptions = {},
): void {
  describe(`RouterStateStore conformance: ${name}`, () => {
    const created: RouterStateStore[] = []
    afterEach(async () => {
      for (const store of created.splice(0)) await options.dispose?.(store)
    })

    const setup = async () => {
      const clock = { time: T0, now: () => clock.time }
      const store = await create(clock)
      created.push(store)
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

    it('stamps each latency sample, and a sample after a stale average (maxAgeMs) replaces it', async () => {
      const { clock, store } = await setup()
      expect(await store.recordLatency('a', 'total', 100, { maxAgeMs: 10_000 })).toBe(100)
      clock.time = T0 + 10_000
      // exactly maxAgeMs old still counts: the sample moves the average
      expect(await store.recordLatency('a', 'total', 200, { maxAgeMs: 10_000 })).toBeCloseTo(130)
      let [state] = await store.readTargets(['a'])
      expect([state?.totalAt, state?.ttftAt]).toEqual([T0 + 10_000, undefined])
      clock.time = T0 + 20_001
      expect(await store.recordLatency('a', 'total', 40, { maxAgeMs: 10_000 })).toBe(40)
      ;[state] = await store.readTargets(['a'])
      expect([state?.totalMs, state?.totalAt]).toEqual([40, T0 + 20_001])
      // without maxAgeMs an old average still moves by alpha, whatever its age
      clock.time = T0 + 100_000
      expect(await store.recordLatency('a', 'total', 140)).toBeCloseTo(70)
      expect(await store.recordLatency('a', 'ttft', 5, { maxAgeMs: 1 })).toBe(5)
      ;[state] = await store.readTargets(['a'])
      expect([state?.totalAt, state?.ttftAt]).toEqual([T0 + 100_000, T0 + 100_000])
      // an ignored sample stamps nothing
      clock.time = T0 + 200_000
      await store.recordLatency('a', 'ttft', Number.NaN, { maxAgeMs: 1 })
      expect((await store.readTargets(['a']))[0]?.ttftAt).toBe(T0 + 100_000)
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

    it.runIf(options.capacity === true)('reserves rpm capacity over a sliding 60-second window', async () => {
      const { clock, store } = await setup()
      const reserve = store.reserveCapacity?.bind(store)
      if (reserve === undefined) throw new Error('the store has no reserveCapacity')
      for (let i = 0; i < 3; i++) {
        clock.time = T0 + i * 10_000
        expect(await reserve('a', { rpm: 3, tokens: 0 })).toMatchObject({ ok: true })
      }
      clock.time = T0 + 30_000
      // full: the oldest call leaves the window at T0 + 60 s
      expect(await reserve('a', { rpm: 3, tokens: 0 })).toEqual({
        ok: false,
        reason: 'rpm',
        retryAt: T0 + 60_000,
      })
      // other targets have their own windows
      expect(await reserve('b', { rpm: 3, tokens: 0 })).toMatchObject({ ok: true })
      clock.time = T0 + 59_999
      expect(await reserve('a', { rpm: 3, tokens: 0 })).toMatchObject({ ok: false, reason: 'rpm' })
      clock.time = T0 + 60_000
      expect(await reserve('a', { rpm: 3, tokens: 0 })).toMatchObject({ ok: true })
      expect(await reserve('a', { rpm: 3, tokens: 0 })).toEqual({
        ok: false,
        reason: 'rpm',
        retryAt: T0 + 70_000,
      })
      // no limit, no refusal
      expect(await reserve('a', { tokens: 5 })).toMatchObject({ ok: true })
    })

    it.runIf(options.capacity === true)(
      'reserves tpm capacity and settles it with the actual usage',
      async () => {
        const { clock, store } = await setup()
        const reserve = store.reserveCapacity?.bind(store)
        const settle = store.settleCapacity?.bind(store)
        if (reserve === undefined || settle === undefined)
          throw new Error('the store has no capacity methods')
        const first = await reserve('a', { tpm: 1000, tokens: 600 })
        if (!first.ok) throw new Error('expected capacity')
        clock.time = T0 + 1000
        expect(await reserve('a', { tpm: 1000, tokens: 600 })).toEqual({
          ok: false,
          reason: 'tpm',
          retryAt: T0 + 60_000,
        })
        // the call used far fewer tokens than estimated: the window has room again
        await settle('a', first.reservationId, 100)
        const second = await reserve('a', { tpm: 1000, tokens: 600 })
        expect(second).toMatchObject({ ok: true })
        // more tokens than the whole limit can never fit
        expect(await reserve('a', { tpm: 1000, tokens: 5000 })).toEqual({
          ok: false,
          reason: 'tpm',
          retryAt: Number.POSITIVE_INFINITY,
        })
        // unknown and expired reservations are ignored
        await settle('a', 'no-such-reservation', 10)
        clock.time = T0 + 120_000
        await settle('a', first.reservationId, 10_000)
        expect(await reserve('a', { tpm: 1000, tokens: 1000 })).toMatchObject({ ok: true })
        // rpm and tpm together: both block until the call at T0 + 120 s leaves the window
        expect(await reserve('a', { rpm: 1, tpm: 1000, tokens: 1 })).toEqual({
          ok: false,
          reason: 'rpm',
          retryAt: T0 + 180_000,
        })
      },
    )
  })
}

import { AbortedError, RateLimitedError } from '@ql/provider'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InvalidRouterConfigError } from '../src/router/state/invalid-router-config-error'
import type { Lease } from '../src/router/state/target-limiter'
import { TargetLimiter } from '../src/router/state/target-limiter'

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0)
const now = () => Date.now()

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
})
afterEach(() => {
  vi.useRealTimers()
})

function granted(result: ReturnType<TargetLimiter['tryAcquire']>): Lease {
  if (!result.ok) throw new Error(`expected a lease, got ${result.reason} until ${result.retryAt}`)
  return result.lease
}

/** Settles a promise's state without waiting on it: 'pending' | 'resolved' | 'rejected'. */
function track<T>(promise: Promise<T>) {
  const state: { status: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = {
    status: 'pending',
  }
  promise.then(
    (value) => {
      state.status = 'resolved'
      state.value = value
    },
    (error: unknown) => {
      state.status = 'rejected'
      state.error = error
    },
  )
  return state
}

const flush = () => vi.advanceTimersByTimeAsync(0)

describe('TargetLimiter: configuration', () => {
  it.each([
    [{ rpm: Number.NaN }, 'limits.rpm'],
    [{ rpm: -1 }, 'limits.rpm'],
    [{ rpm: 0 }, 'limits.rpm'],
    [{ tpm: 1.5 }, 'limits.tpm'],
    [{ maxConcurrency: '4' as never }, 'limits.maxConcurrency'],
    [{ maxConcurrency: -Infinity }, 'limits.maxConcurrency'],
  ])('rejects %j with a typed error naming %s', (limits, path) => {
    try {
      new TargetLimiter(limits, now)
      expect.unreachable()
    } catch (error) {
      expect(InvalidRouterConfigError.isInstance(error)).toBe(true)
      expect((error as InvalidRouterConfigError).path).toBe(path)
      expect((error as Error).message).toContain(path)
      expect((error as InvalidRouterConfigError).toJSON().details).toEqual({ path })
    }
  })

  it('names the target in the path when told, and rejects limits that are not an object', () => {
    expect(() => new TargetLimiter({ rpm: 0 }, now, 'targets[2].limits')).toThrow(/targets\[2\]\.limits\.rpm/)
    expect(() => new TargetLimiter(null as never, now)).toThrow(InvalidRouterConfigError)
    expect(() => new TargetLimiter(5 as never, now)).toThrow(/must be an object/)
  })

  it('reads undefined and Infinity as no limit', () => {
    const limiter = new TargetLimiter({ rpm: Infinity, tpm: undefined, maxConcurrency: 2 }, now)
    expect(limiter.limits).toEqual({ maxConcurrency: 2 })
    expect(new TargetLimiter(undefined).limits).toEqual({})
  })

  it('without limits only counts calls in flight', () => {
    const limiter = new TargetLimiter(undefined, now)
    const leases = Array.from({ length: 1000 }, () => granted(limiter.tryAcquire(1e9)))
    expect(limiter.inFlight).toBe(1000)
    for (const lease of leases) lease.release()
    expect(limiter.inFlight).toBe(0)
    expect(limiter.usage()).toEqual({ inFlight: 0, waiting: 0, requestsInWindow: 0, tokensInWindow: 0 })
  })
})

describe('TargetLimiter: rpm', () => {
  it('allows rpm calls in any 60 s window and says when the next one fits', () => {
    const limiter = new TargetLimiter({ rpm: 2 }, now)
    granted(limiter.tryAcquire(0)).release()
    vi.advanceTimersByTime(30_000)
    granted(limiter.tryAcquire(0)).release()
    expect(limiter.tryAcquire(0)).toEqual({ ok: false, reason: 'rpm', retryAt: T0 + 60_000 })
    vi.advanceTimersByTime(29_999)
    expect(limiter.tryAcquire(0).ok).toBe(false)
    vi.advanceTimersByTime(1)
    granted(limiter.tryAcquire(0))
    expect(limiter.tryAcquire(0)).toEqual({ ok: false, reason: 'rpm', retryAt: T0 + 90_000 })
    expect(limiter.usage().requestsInWindow).toBe(2)
  })
})

describe('TargetLimiter: tpm', () => {
  it('counts estimated tokens, corrected by the actual usage on release', () => {
    const limiter = new TargetLimiter({ tpm: 1000 }, now)
    const first = granted(limiter.tryAcquire(600))
    expect(limiter.tryAcquire(500)).toEqual({ ok: false, reason: 'tpm', retryAt: T0 + 60_000 })
    first.release(300)
    expect(limiter.usage().tokensInWindow).toBe(300)
    granted(limiter.tryAcquire(500))
    expect(limiter.usage().tokensInWindow).toBe(800)
  })

  it('says when enough tokens leave the window', () => {
    const limiter = new TargetLimiter({ tpm: 1000 }, now)
    granted(limiter.tryAcquire(400))
    vi.advanceTimersByTime(10_000)
    granted(limiter.tryAcquire(400))
    vi.advanceTimersByTime(10_000)
    granted(limiter.tryAcquire(200))
    // 700 more tokens need the first two calls gone: the second leaves at 10 s + 60 s
    expect(limiter.tryAcquire(700)).toEqual({ ok: false, reason: 'tpm', retryAt: T0 + 70_000 })
    expect(limiter.tryAcquire(300)).toEqual({ ok: false, reason: 'tpm', retryAt: T0 + 60_000 })
  })

  it('a call larger than the whole limit never fits', async () => {
    const limiter = new TargetLimiter({ tpm: 1000 }, now)
    expect(limiter.tryAcquire(1001)).toEqual({ ok: false, reason: 'tpm', retryAt: Infinity })
    const error = await limiter.acquire(1001, { deadline: Infinity }).catch((e: unknown) => e)
    expect(RateLimitedError.isInstance(error)).toBe(true)
    expect((error as RateLimitedError).retryable).toBe(false)
    expect((error as Error).message).toContain('can never fit')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('ignores a correction for a call that already left the window, and bad token counts', () => {
    const limiter = new TargetLimiter({ tpm: 1000 }, now)
    const lease = granted(limiter.tryAcquire(500))
    vi.advanceTimersByTime(61_000)
    lease.release(900)
    expect(limiter.usage().tokensInWindow).toBe(0)
    granted(limiter.tryAcquire(Number.NaN)).release(Number.NaN)
    granted(limiter.tryAcquire(-50)).release(-1)
    expect(limiter.usage().tokensInWindow).toBe(0)
  })

  it('keeps the window bounded when calls keep coming (compaction)', () => {
    const limiter = new TargetLimiter({ rpm: 10_000 }, now)
    for (let i = 0; i < 5000; i++) {
      granted(limiter.tryAcquire(1)).release()
      vi.advanceTimersByTime(30)
    }
    // the last call was 30 ms ago: the calls of the last 60 s are the last 1999 (60 s / 30 ms - 1)
    expect(limiter.usage().requestsInWindow).toBe(1999)
  })
})

describe('TargetLimiter: concurrency', () => {
  it('limits calls in flight; release is idempotent', () => {
    const limiter = new TargetLimiter({ maxConcurrency: 1 }, now)
    const lease = granted(limiter.tryAcquire(10))
    expect(limiter.tryAcquire(10)).toEqual({ ok: false, reason: 'concurrency', retryAt: Infinity })
    lease.release()
    lease.release()
    expect(limiter.inFlight).toBe(0)
    granted(limiter.tryAcquire(10))
    expect(limiter.inFlight).toBe(1)
  })

  it('reports the time-bound limit (and its time) before concurrency', () => {
    const limiter = new TargetLimiter({ rpm: 1, maxConcurrency: 1 }, now)
    granted(limiter.tryAcquire(0))
    expect(limiter.tryAcquire(0)).toEqual({ ok: false, reason: 'rpm', retryAt: T0 + 60_000 })
  })
})

describe('TargetLimiter: acquire', () => {
  it('resolves at once when there is room', async () => {
    const limiter = new TargetLimiter({ maxConcurrency: 1 }, now)
    const lease = await limiter.acquire(1, { deadline: T0 })
    expect(limiter.inFlight).toBe(1)
    lease.release()
  })

  it('resolves as soon as a lease is released, with no timer left', async () => {
    const limiter = new TargetLimiter({ maxConcurrency: 1 }, now)
    const held = granted(limiter.tryAcquire(1))
    const waiting = track(limiter.acquire(1, { deadline: T0 + 10_000 }))
    await flush()
    expect(waiting.status).toBe('pending')
    expect(limiter.waiting).toBe(1)
    held.release()
    await Promise.resolve()
    await Promise.resolve()
    expect(waiting.status).toBe('resolved')
    expect(limiter.inFlight).toBe(1)
    expect(limiter.waiting).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('serves waiters first come, first served, and tryAcquire does not jump the queue', async () => {
    const limiter = new TargetLimiter({ maxConcurrency: 1 }, now)
    const held = granted(limiter.tryAcquire(1))
    const order: string[] = []
    const leases: Record<string, Lease> = {}
    for (const name of ['a', 'b', 'c']) {
      void limiter.acquire(1, { deadline: Infinity }).then((lease) => {
        order.push(name)
        leases[name] = lease
      })
    }
    expect(limiter.tryAcquire(1)).toMatchObject({ ok: false, reason: 'concurrency' })
    held.release()
    await flush()
    expect(order).toEqual(['a'])
    // room now, but 'b' and 'c' are first
    expect(limiter.tryAcquire(1).ok).toBe(false)
    leases.a?.release()
    await flush()
    leases.b?.release()
    await flush()
    expect(order).toEqual(['a', 'b', 'c'])
    leases.c?.release()
    expect(limiter.inFlight).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a small call waits behind a big one that does not fit yet (no starvation)', async () => {
    const limiter = new TargetLimiter({ tpm: 1000 }, now)
    granted(limiter.tryAcquire(800))
    const big = track(limiter.acquire(900, { deadline: T0 + 120_000 }))
    const small = track(limiter.acquire(100, { deadline: T0 + 120_000 }))
    await flush()
    expect(small.status).toBe('pending')
    expect(limiter.tryAcquire(100)).toEqual({ ok: false, reason: 'tpm', retryAt: T0 + 60_000 })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(big.status).toBe('resolved')
    expect(small.status).toBe('resolved')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('wakes when the rpm window frees a slot, without a release', async () => {
    const limiter = new TargetLimiter({ rpm: 1 }, now)
    granted(limiter.tryAcquire(0))
    const waiting = track(limiter.acquire(0, { deadline: T0 + 120_000 }))
    await vi.advanceTimersByTimeAsync(59_999)
    expect(waiting.status).toBe('pending')
    await vi.advanceTimersByTimeAsync(1)
    expect(waiting.status).toBe('resolved')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects with a RateLimitedError at the deadline, leaving no timer', async () => {
    const limiter = new TargetLimiter({ maxConcurrency: 1 }, now)
    granted(limiter.tryAcquire(1))
    const waiting = track(limiter.acquire(1, { deadline: T0 + 1000 }))
    await vi.advanceTimersByTimeAsync(999)
    expect(waiting.status).toBe('pending')
    await vi.advanceTimersByTimeAsync(1)
    expect(waiting.status).toBe('rejected')
    expect(RateLimitedError.isInstance(waiting.error)).toBe(true)
    expect((waiting.error as Error).message).toContain('1 calls in flight')
    expect((waiting.error as RateLimitedError).retryAfterMs).toBeUndefined()
    expect(limiter.waiting).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects at once when the limit lasts past the deadline (a long wait sends the call elsewhere)', async () => {
    const limiter = new TargetLimiter({ rpm: 1 }, now)
    granted(limiter.tryAcquire(0))
    const error = await limiter.acquire(0, { deadline: T0 + 5000 }).catch((e: unknown) => e)
    expect(RateLimitedError.isInstance(error)).toBe(true)
    expect((error as RateLimitedError).retryAfterMs).toBe(60_000)
    expect((error as Error).message).toContain('1 requests per minute')
    expect(vi.getTimerCount()).toBe(0)
    // a deadline already past
    const past = await limiter.acquire(0, { deadline: T0 - 1 }).catch((e: unknown) => e)
    expect(RateLimitedError.isInstance(past)).toBe(true)
  })

  it('lets a call through whose capacity frees exactly at its deadline', async () => {
    const limiter = new TargetLimiter({ rpm: 1 }, now)
    granted(limiter.tryAcquire(0))
    const waiting = track(limiter.acquire(0, { deadline: T0 + 60_000 }))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(waiting.status).toBe('resolved')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects with an AbortedError when the signal aborts, removing its listener and timer', async () => {
    const limiter = new TargetLimiter({ maxConcurrency: 1 }, now)
    const held = granted(limiter.tryAcquire(1))
    const controller = new AbortController()
    const remove = vi.spyOn(controller.signal, 'removeEventListener')
    const waiting = track(limiter.acquire(1, { deadline: T0 + 10_000, signal: controller.signal }))
    const behind = track(limiter.acquire(1, { deadline: T0 + 10_000 }))
    await flush()
    controller.abort(new Error('user cancelled'))
    await flush()
    expect(waiting.status).toBe('rejected')
    expect(AbortedError.isInstance(waiting.error)).toBe(true)
    expect((waiting.error as Error).cause).toEqual(new Error('user cancelled'))
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function))
    // the next in line takes the slot when it frees
    held.release()
    await flush()
    expect(behind.status).toBe('resolved')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects at once for an already aborted signal, and for a deadline that is not a number', async () => {
    const limiter = new TargetLimiter(undefined, now)
    const aborted = await limiter
      .acquire(1, { deadline: Infinity, signal: AbortSignal.abort() })
      .catch((e: unknown) => e)
    expect(AbortedError.isInstance(aborted)).toBe(true)
    const bad = await limiter.acquire(1, { deadline: Number.NaN }).catch((e: unknown) => e)
    expect(InvalidRouterConfigError.isInstance(bad)).toBe(true)
    const missing = await limiter.acquire(1, {} as never).catch((e: unknown) => e)
    expect(InvalidRouterConfigError.isInstance(missing)).toBe(true)
  })

  it('removes the abort listener when the wait ends another way', async () => {
    const limiter = new TargetLimiter({ maxConcurrency: 1 }, now)
    const held = granted(limiter.tryAcquire(1))
    const controller = new AbortController()
    const remove = vi.spyOn(controller.signal, 'removeEventListener')
    const waiting = limiter.acquire(1, { deadline: Infinity, signal: controller.signal })
    held.release()
    ;(await waiting).release()
    expect(remove).toHaveBeenCalledTimes(1)
    controller.abort()
    expect(limiter.inFlight).toBe(0)
  })

  it('waits past setTimeout’s range by re-arming its deadline timer', async () => {
    const limiter = new TargetLimiter({ maxConcurrency: 1 }, now)
    const held = granted(limiter.tryAcquire(1))
    const deadline = T0 + 3_000_000_000 // ~35 days: beyond a 32-bit timer
    const waiting = track(limiter.acquire(1, { deadline }))
    await vi.advanceTimersByTimeAsync(2_147_483_647)
    expect(waiting.status).toBe('pending')
    await vi.advanceTimersByTimeAsync(3_000_000_000 - 2_147_483_647)
    expect(waiting.status).toBe('rejected')
    held.release()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('cancelWaiting rejects every waiter and clears its timers; the limiter stays usable', async () => {
    const limiter = new TargetLimiter({ rpm: 1 }, now)
    const held = granted(limiter.tryAcquire(0))
    const a = track(limiter.acquire(0, { deadline: T0 + 100_000 }))
    const b = track(limiter.acquire(0, { deadline: Infinity }))
    await flush()
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    limiter.cancelWaiting()
    await flush()
    expect([a.status, b.status]).toEqual(['rejected', 'rejected'])
    expect(AbortedError.isInstance(a.error)).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    held.release()
    vi.advanceTimersByTime(60_000)
    granted(limiter.tryAcquire(0))
  })
})

describe('TargetLimiter: what the provider reports', () => {
  it('skips the target until the reset when the provider says nothing remains', () => {
    const limiter = new TargetLimiter(undefined, now)
    limiter.observeHeaders({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' })
    expect(limiter.tryAcquire(1)).toEqual({ ok: false, reason: 'provider-reported', retryAt: T0 + 2000 })
    expect(limiter.usage().providerBlockedUntil).toBe(T0 + 2000)
    vi.advanceTimersByTime(2000)
    granted(limiter.tryAcquire(1))
    expect(limiter.usage().providerBlockedUntil).toBeUndefined()
  })

  it('counts down the remaining requests and tokens it learned', () => {
    const limiter = new TargetLimiter(undefined, now)
    limiter.observeHeaders({
      'anthropic-ratelimit-requests-remaining': '2',
      'anthropic-ratelimit-requests-reset': new Date(T0 + 10_000).toISOString(),
      'anthropic-ratelimit-input-tokens-remaining': '100',
      'anthropic-ratelimit-input-tokens-reset': new Date(T0 + 5000).toISOString(),
    })
    expect(limiter.tryAcquire(200)).toEqual({ ok: false, reason: 'provider-reported', retryAt: T0 + 5000 })
    granted(limiter.tryAcquire(60))
    expect(limiter.tryAcquire(60)).toEqual({ ok: false, reason: 'provider-reported', retryAt: T0 + 5000 })
    granted(limiter.tryAcquire(40))
    expect(limiter.tryAcquire(0)).toEqual({ ok: false, reason: 'provider-reported', retryAt: T0 + 10_000 })
    vi.advanceTimersByTime(10_000)
    granted(limiter.tryAcquire(1000))
  })

  it('a retry-after blocks the target; a block only extends', () => {
    const limiter = new TargetLimiter(undefined, now)
    limiter.observeHeaders({ 'retry-after': '5' })
    limiter.observeHeaders({ 'retry-after': '1' })
    expect(limiter.tryAcquire(1)).toEqual({ ok: false, reason: 'provider-reported', retryAt: T0 + 5000 })
    limiter.observeHeaders({ 'retry-after-ms': '8000' })
    expect(limiter.tryAcquire(1)).toMatchObject({ retryAt: T0 + 8000 })
  })

  it('ignores remaining counts without a reset time, and malformed headers', () => {
    const limiter = new TargetLimiter(undefined, now)
    limiter.observeHeaders({ 'x-ratelimit-remaining-requests': '0' })
    limiter.observeHeaders({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': 'soon' })
    limiter.observeHeaders({
      'retry-after': '-3',
      'x-ratelimit-remaining-tokens': '-1',
      'x-ratelimit-reset-tokens': '0',
    })
    limiter.observeHeaders(undefined)
    granted(limiter.tryAcquire(1))
  })

  it('a newer report of remaining capacity wakes a waiter', async () => {
    const limiter = new TargetLimiter(undefined, now)
    limiter.observeHeaders({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' })
    const waiting = track(limiter.acquire(1, { deadline: T0 + 60_000 }))
    await flush()
    expect(waiting.status).toBe('pending')
    limiter.observeHeaders({ 'x-ratelimit-remaining-requests': '5', 'x-ratelimit-reset-requests': '30s' })
    await flush()
    expect(waiting.status).toBe('resolved')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a waiter whose deadline falls before the provider’s reset is let go at once', async () => {
    const limiter = new TargetLimiter(undefined, now)
    limiter.observeHeaders({ 'retry-after': '30' })
    const error = await limiter.acquire(1, { deadline: T0 + 1000 }).catch((e: unknown) => e)
    expect((error as RateLimitedError).retryAfterMs).toBe(30_000)
    expect((error as Error).message).toContain('provider reported')
  })
})

/** mulberry32: a small seeded generator. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('TargetLimiter: never exceeds its limits (random interleavings)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, async () => {
      const random = seeded(seed)
      const rpm = 3 + Math.floor(random() * 8)
      const tpm = 500 + Math.floor(random() * 2000)
      const maxConcurrency = 1 + Math.floor(random() * 4)
      const limiter = new TargetLimiter({ rpm, tpm, maxConcurrency }, now)
      const grants: { time: number; tokens: number }[] = []
      const held: { lease: Lease; grant: { time: number; tokens: number } }[] = []
      let maxInFlight = 0
      const onGrant = (lease: Lease, tokens: number) => {
        const grant = { time: Date.now(), tokens }
        grants.push(grant)
        held.push({ lease, grant })
        maxInFlight = Math.max(maxInFlight, limiter.inFlight)
      }
      let rejected = 0
      let acquired = 0
      for (let step = 0; step < 400; step++) {
        const op = random()
        const tokens = Math.floor(random() * 400)
        if (op < 0.3) {
          const result = limiter.tryAcquire(tokens)
          if (result.ok) onGrant(result.lease, tokens)
        } else if (op < 0.55) {
          const controller = new AbortController()
          void limiter
            .acquire(tokens, {
              deadline: Date.now() + Math.floor(random() * 90_000),
              signal: controller.signal,
            })
            .then(
              (lease) => {
                acquired++
                onGrant(lease, tokens)
              },
              () => rejected++,
            )
          if (random() < 0.1) controller.abort()
        } else if (op < 0.8 && held.length > 0) {
          const [item] = held.splice(Math.floor(random() * held.length), 1)
          if (item !== undefined) {
            // actual usage at most the estimate: the sum of final values in any window is at
            // most what the limiter counted when it granted the window's last call
            item.grant.tokens = Math.floor(item.grant.tokens * random())
            item.lease.release(item.grant.tokens)
          }
        } else {
          await vi.advanceTimersByTimeAsync(Math.floor(random() * 20_000))
        }
        await flush()
      }
      for (const item of held.splice(0)) item.lease.release()
      await vi.advanceTimersByTimeAsync(200_000)
      for (const item of held.splice(0)) item.lease.release()
      limiter.cancelWaiting()
      await flush()

      expect(maxInFlight).toBeLessThanOrEqual(maxConcurrency)
      for (let i = 0; i < grants.length; i++) {
        const end = (grants[i] as { time: number }).time
        const inWindow = grants.filter((grant) => grant.time > end - 60_000 && grant.time <= end)
        expect(inWindow.length).toBeLessThanOrEqual(rpm)
        expect(inWindow.reduce((sum, grant) => sum + grant.tokens, 0)).toBeLessThanOrEqual(tpm)
      }
      expect(grants.length).toBeGreaterThan(rpm)
      expect(limiter.inFlight).toBe(0)
      expect(limiter.waiting).toBe(0)
      expect(vi.getTimerCount()).toBe(0)
      // both paths ran: calls that waited and got in, and calls let go (deadline, abort, never fits)
      expect(acquired).toBeGreaterThan(0)
      expect(rejected).toBeGreaterThan(0)
    })
  }
})

describe('TargetLimiter: cancelled leases', () => {
  it('takes a cancelled call out of the rpm and tpm windows and frees its slot; cancel after release does nothing', () => {
    const limiter = new TargetLimiter({ rpm: 2, tpm: 1_000, maxConcurrency: 2 }, now)
    const first = granted(limiter.tryAcquire(400))
    const second = granted(limiter.tryAcquire(400))
    expect(limiter.tryAcquire(1)).toMatchObject({ ok: false, reason: 'rpm' })
    second.cancel()
    second.cancel()
    expect(limiter.usage()).toMatchObject({ requestsInWindow: 1, tokensInWindow: 400, inFlight: 1 })
    const third = granted(limiter.tryAcquire(600))
    expect(limiter.tryAcquire(1)).toMatchObject({ ok: false, reason: 'rpm' })
    first.release(400)
    first.cancel()
    expect(limiter.usage()).toMatchObject({ requestsInWindow: 2, tokensInWindow: 1_000, inFlight: 1 })
    third.release(600)
    // once the window passes, the cancelled entry leaves with the others and nothing drifts
    vi.advanceTimersByTime(60_000)
    expect(limiter.usage()).toMatchObject({ requestsInWindow: 0, tokensInWindow: 0, inFlight: 0 })
    granted(limiter.tryAcquire(1))
    granted(limiter.tryAcquire(1))
  })
})

import {
  AbortedError,
  AllTargetsFailedError,
  InvalidRequestError,
  type QlError,
  RateLimitedError,
} from '@ql/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRouter } from '../src/index'
import { closeAll, failure, fakeTarget, http, ok, recordEvents, request } from './router-fixtures'

afterEach(() => {
  vi.useRealTimers()
})

describe('createRouter: generate', () => {
  it('answers from the first target, with usage, cost and a usage event', async () => {
    const primary = await fakeTarget('openai', [ok('Oslo')])
    const backup = await fakeTarget('anthropic')
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model, pricing: { inputPerMTokens: 1, outputPerMTokens: 2 } },
          { id: 'backup', model: backup.model },
        ],
      })
      const events = recordEvents(router)
      const response = await router.generate(request)
      expect(response.text).toBe('Oslo')
      expect(response.provider).toBe('openai')
      expect(response.usage).toMatchObject({ inputTokens: 12, outputTokens: 3 })
      expect(response.cost?.totalCost).toBeCloseTo((12 * 1 + 3 * 2) / 1e6, 12)
      expect(events.map(([name]) => name)).toEqual(['attempt', 'usage'])
      expect(events[1]?.[1]).toMatchObject({ targetId: 'primary', attempts: 1, cost: response.cost })
      expect(backup.requests).toHaveLength(0)
      expect(router.provider).toBe('router')
      router.close()
    } finally {
      await closeAll(primary, backup)
    }
  })

  it('retries a 5xx on the same target, then answers', async () => {
    const primary = await fakeTarget('openai', [http(503), ok()])
    try {
      const router = createRouter({ targets: [{ id: 'primary', model: primary.model }], random: () => 0 })
      const events = recordEvents(router)
      const response = await router.generate(request)
      expect(response.text).toBe('Oslo')
      expect(primary.requests).toHaveLength(2)
      expect(events.map(([name]) => name)).toEqual(['attempt', 'attempt-failed', 'retry', 'attempt', 'usage'])
      router.close()
    } finally {
      await closeAll(primary)
    }
  })

  it('retries 529 overloaded (Anthropic) and fails over on a second one', async () => {
    const primary = await fakeTarget('anthropic', [http(529), http(529)])
    const backup = await fakeTarget('bedrock', [ok('Oslo from Bedrock')])
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model },
          { id: 'backup', model: backup.model },
        ],
        random: () => 0,
      })
      const events = recordEvents(router)
      const response = await router.generate(request)
      expect(response.text).toBe('Oslo from Bedrock')
      expect(primary.requests).toHaveLength(2)
      const fallback = events.find(([name]) => name === 'fallback')?.[1]
      expect(fallback).toMatchObject({ from: 'primary', to: 'backup', reason: 'failover' })
      expect((fallback as { error: QlError }).error.code).toBe('overloaded')
      router.close()
    } finally {
      await closeAll(primary, backup)
    }
  })

  it('waits for a short retry-after hint, then retries the same target', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const primary = await fakeTarget('openai', [http(429, { 'retry-after': '2' }), ok()])
    try {
      const router = createRouter({ targets: [{ id: 'primary', model: primary.model }], random: () => 0 })
      const retried = new Promise<number>((resolve) => router.on('retry', (event) => resolve(event.delayMs)))
      const answer = router.generate(request)
      expect(await retried).toBe(2000)
      expect(primary.requests).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(2000)
      expect((await answer).text).toBe('Oslo')
      expect(primary.requests).toHaveLength(2)
      router.close()
    } finally {
      await closeAll(primary)
    }
  })

  it('sends the call to another target when the hint is longer than the cap, and keeps the first one cooling', async () => {
    const primary = await fakeTarget('openai', [http(429, { 'retry-after': '60' })])
    const backup = await fakeTarget('anthropic', [ok('from backup'), ok('again from backup')])
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model },
          { id: 'backup', model: backup.model },
        ],
        retry: { maxRetryAfterMs: 5000 },
      })
      const events = recordEvents(router)
      expect((await router.generate(request)).text).toBe('from backup')
      const cooldown = events.find(([name]) => name === 'cooldown')?.[1] as {
        until: number
        targetId: string
      }
      expect(cooldown.targetId).toBe('primary')
      expect(cooldown.until - Date.now()).toBeGreaterThan(50_000)
      const health = router.health()
      expect(health.targets[0]?.unavailableUntil).toBe(cooldown.until)
      // the next call skips the cooling target without a request
      expect((await router.generate(request)).text).toBe('again from backup')
      expect(primary.requests).toHaveLength(1)
      router.close()
    } finally {
      await closeAll(primary, backup)
    }
  })

  it('re-cooling extends a cooldown and never shortens it', async () => {
    const primary = await fakeTarget('openai', [http(429, { 'retry-after': '60' })])
    const backup = await fakeTarget('openai', [
      http(429, { 'retry-after': '30' }),
      http(429, { 'retry-after': '120' }),
    ])
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model },
          { id: 'backup', model: backup.model },
        ],
        retry: { maxRetryAfterMs: 1000 },
      })
      const first = await failure(router.generate(request))
      expect(first).toBeInstanceOf(AllTargetsFailedError)
      // both cool: the error says when the first comes back (backup, ~30 s)
      expect(first.retryAfterMs).toBeGreaterThan(25_000)
      expect(first.retryAfterMs).toBeLessThanOrEqual(30_000)
      const before = router.health().targets[1]?.unavailableUntil as number
      // nothing is available: the next call fails at once, without a request
      const second = await failure(router.generate(request))
      expect(second).toBeInstanceOf(AllTargetsFailedError)
      expect((second as AllTargetsFailedError).attempts).toHaveLength(0)
      expect(second.message).toContain('cooling down')
      expect(backup.requests).toHaveLength(1)
      expect(router.health().targets[1]?.unavailableUntil).toBe(before)
      expect(router.health().available).toBe(false)
      router.close()
    } finally {
      await closeAll(primary, backup)
    }
  })

  it('throws a caller mistake (400) as itself, without retrying or counting it against the target', async () => {
    const primary = await fakeTarget('openai', [
      http(400),
      http(400),
      http(400),
      http(400),
      http(400),
      http(400),
    ])
    const backup = await fakeTarget('openai')
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model },
          { id: 'backup', model: backup.model },
        ],
        breaker: { volumeThreshold: 2 },
      })
      for (let i = 0; i < 6; i++)
        expect(await failure(router.generate(request))).toBeInstanceOf(InvalidRequestError)
      expect(primary.requests).toHaveLength(6)
      expect(backup.requests).toHaveLength(0)
      expect(router.health().targets[0]?.breaker).toBe('closed')
      router.close()
    } finally {
      await closeAll(primary, backup)
    }
  })

  it('gives up with AllTargetsFailedError carrying every attempt', async () => {
    const a = await fakeTarget('openai', [http(500), http(502)])
    const b = await fakeTarget('anthropic', [http(503)])
    try {
      const router = createRouter({
        targets: [
          { id: 'a', model: a.model },
          { id: 'b', model: b.model },
        ],
        random: () => 0,
      })
      const error = (await failure(router.generate(request))) as AllTargetsFailedError
      expect(error).toBeInstanceOf(AllTargetsFailedError)
      expect(error.attempts.map((attempt) => [attempt.targetId, attempt.error.code])).toEqual([
        ['a', 'unavailable'],
        ['a', 'unavailable'],
        ['b', 'unavailable'],
      ])
      router.close()
    } finally {
      await closeAll(a, b)
    }
  })

  it("cancels a pending backoff at once on the caller's abort, leaving no timer behind", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const primary = await fakeTarget('openai', [http(429, { 'retry-after': '3' })])
    try {
      const router = createRouter({ targets: [{ id: 'primary', model: primary.model }] })
      const controller = new AbortController()
      const retried = new Promise<void>((resolve) => router.on('retry', () => resolve()))
      const answer = failure(router.generate(request, { signal: controller.signal, timeoutMs: 60_000 }))
      await retried
      await Promise.resolve()
      expect(vi.getTimerCount()).toBeGreaterThan(0)
      controller.abort()
      const error = await answer
      expect(error).toBeInstanceOf(AbortedError)
      expect(vi.getTimerCount()).toBe(0)
      expect(primary.requests).toHaveLength(1)
      router.close()
    } finally {
      await closeAll(primary)
    }
  })

  it('fails with a TimeoutError when the overall deadline passes, and cancels the attempt in flight', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const primary = await fakeTarget('openai', [http(503), { fault: { type: 'stall' } }])
    try {
      const router = createRouter({
        targets: [{ id: 'primary', model: primary.model }],
        retry: { initialDelayMs: 4000 },
        timeouts: { totalMs: 5000 },
        random: () => 0.9,
      })
      const retried = new Promise<number>((resolve) => router.on('retry', (event) => resolve(event.delayMs)))
      const second = new Promise<void>((resolve) =>
        router.on('attempt', (event) => event.attempt === 2 && resolve()),
      )
      const answer = failure(router.generate(request))
      expect(await retried).toBe(3600)
      await vi.advanceTimersByTimeAsync(3600)
      await second
      // the second attempt hangs on a stalled server until the call's deadline
      await vi.advanceTimersByTimeAsync(1400)
      const error = await answer
      expect(error.code).toBe('timeout')
      expect(error.message).toContain('5000 ms')
      router.close()
    } finally {
      await closeAll(primary)
    }
  })

  it('uses the rate-limit reset headers of a 429 without retry-after', async () => {
    const primary = await fakeTarget('openai', [
      http(429, { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '40s' }),
    ])
    const backup = await fakeTarget('openai', [ok('from backup')])
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model },
          { id: 'backup', model: backup.model },
        ],
      })
      const events = recordEvents(router)
      expect((await router.generate(request)).text).toBe('from backup')
      const failed = events.find(([name]) => name === 'attempt-failed')?.[1] as { error: QlError }
      expect(failed.error).toBeInstanceOf(RateLimitedError)
      const cooldown = events.find(([name]) => name === 'cooldown')?.[1] as { until: number }
      expect(cooldown.until - Date.now()).toBeGreaterThan(35_000)
      router.close()
    } finally {
      await closeAll(primary, backup)
    }
  })

  it('waits for the limit a 429 says is exhausted, not for the reset of one that still has room', async () => {
    const primary = await fakeTarget('openai', [
      http(429, {
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '2s',
        'x-ratelimit-remaining-tokens': '90000',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
    ])
    const backup = await fakeTarget('openai', [ok('from backup')])
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model },
          { id: 'backup', model: backup.model },
        ],
      })
      let waitMs = Number.NaN
      router.on('cooldown', (event) => {
        waitMs = event.until - Date.now()
      })
      await router.generate(request)
      expect(waitMs).toBeGreaterThan(500)
      expect(waitMs).toBeLessThanOrEqual(2_000)
      router.close()
    } finally {
      await closeAll(primary, backup)
    }
  })
})

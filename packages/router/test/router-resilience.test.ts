import { AllTargetsFailedError, type QlError } from '@ql/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryRouterState, createRouter } from '../src/index'
import { closeAll, failure, fakeTarget, http, ok, recordEvents, request } from './router-fixtures'

afterEach(() => {
  vi.useRealTimers()
})

describe('createRouter: circuit breakers', () => {
  it('opens on target failures, skips the target, probes it half-open and closes on success', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const flaky = await fakeTarget('openai', [http(503), http(502), http(500)])
    const backup = await fakeTarget('anthropic')
    try {
      const router = createRouter({
        targets: [
          { id: 'flaky', model: flaky.model },
          { id: 'backup', model: backup.model },
        ],
        breaker: { volumeThreshold: 3, resetTimeoutMs: 10_000 },
        retry: { maxRetriesPerTarget: 0 },
      })
      const breakerEvents: unknown[] = []
      router.on('breaker', (event) => breakerEvents.push(event))
      for (let i = 0; i < 3; i++) {
        backup.enqueue(ok(`backup ${i}`))
        expect((await router.generate(request)).text).toBe(`backup ${i}`)
      }
      expect(breakerEvents).toEqual([{ targetId: 'flaky', state: 'open', previous: 'closed' }])
      expect(router.health().targets[0]).toMatchObject({ id: 'flaky', breaker: 'open' })
      expect(router.health().targets[0]?.unavailableUntil).toBe(Date.now() + 10_000)

      // open: the target gets no request
      backup.enqueue(ok('skipped flaky'))
      expect((await router.generate(request)).text).toBe('skipped flaky')
      expect(flaky.requests).toHaveLength(3)

      // after resetTimeout: half-open, one probe goes through and closes the breaker
      await vi.advanceTimersByTimeAsync(10_000)
      expect(router.health().targets[0]?.breaker).toBe('half-open')
      flaky.enqueue(ok('probe'))
      expect((await router.generate(request)).text).toBe('probe')
      expect(breakerEvents.slice(1)).toEqual([
        { targetId: 'flaky', state: 'half-open', previous: 'open' },
        { targetId: 'flaky', state: 'closed', previous: 'half-open' },
      ])
      router.close()
    } finally {
      await closeAll(flaky, backup)
    }
  })

  it('a failed probe opens the breaker again; only one probe goes out while half-open', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const flaky = await fakeTarget('openai', [http(503), http(503)])
    const backup = await fakeTarget('openai')
    try {
      const router = createRouter({
        targets: [
          { id: 'flaky', model: flaky.model },
          { id: 'backup', model: backup.model },
        ],
        breaker: { volumeThreshold: 2, resetTimeoutMs: 5_000 },
        retry: { maxRetriesPerTarget: 0 },
      })
      for (let i = 0; i < 2; i++) {
        backup.enqueue(ok())
        await router.generate(request)
      }
      expect(router.health().targets[0]?.breaker).toBe('open')
      await vi.advanceTimersByTimeAsync(5_000)
      // two calls at once: the first is the probe (which fails), the second goes straight to backup
      flaky.enqueue(http(503))
      backup.enqueue(ok('one'), ok('two'), ok('three'))
      const answers = await Promise.all([router.generate(request), router.generate(request)])
      expect(answers.map((a) => a.text).sort()).toEqual(['one', 'two'])
      expect(flaky.requests).toHaveLength(3)
      expect(router.health().targets[0]?.breaker).toBe('open')
      router.close()
    } finally {
      await closeAll(flaky, backup)
    }
  })

  it('an aborted call does not count against the target', async () => {
    const slow = await fakeTarget('openai', [
      { ...ok(), delayMs: 200 },
      { ...ok(), delayMs: 200 },
      { ...ok(), delayMs: 200 },
    ])
    try {
      const router = createRouter({
        targets: [{ id: 'slow', model: slow.model }],
        breaker: { volumeThreshold: 2 },
      })
      for (let i = 0; i < 3; i++) {
        const controller = new AbortController()
        const started = new Promise<void>((resolve) => router.once('attempt', () => resolve()))
        const answer = failure(router.generate(request, { signal: controller.signal }))
        await started
        controller.abort()
        expect((await answer).code).toBe('aborted')
      }
      expect(router.health().targets[0]?.breaker).toBe('closed')
      router.close()
    } finally {
      await closeAll(slow)
    }
  })
})

describe('createRouter: retry budget', () => {
  it('keeps upstream attempts per call under 1.2 during a total outage, breakers off', async () => {
    // an empty script answers every request with HTTP 500: a total outage of all three targets
    const fakes = await Promise.all([fakeTarget('openai'), fakeTarget('anthropic'), fakeTarget('openai')])
    try {
      const router = createRouter({
        targets: fakes.map((fake, index) => ({ id: `t${index}`, model: fake.model })),
        breaker: false,
        retry: { maxAttempts: 5, maxRetriesPerTarget: 2 },
        random: () => 0,
      })
      const calls = 300
      for (let i = 0; i < calls; i++) {
        expect(await failure(router.generate(request))).toBeInstanceOf(AllTargetsFailedError)
      }
      const upstream = fakes.reduce((sum, fake) => sum + fake.requests.length, 0)
      // every call earns 0.1 of a retry; the reserve of 10 is spent first
      expect(upstream).toBeLessThanOrEqual(calls * 1.1 + 10)
      expect(upstream / calls).toBeLessThan(1.2)
      expect(router.health().retryBudget).toBe(0)
      const last = (await failure(router.generate(request))) as AllTargetsFailedError
      expect(last.message).toContain('retry budget')
      router.close()
    } finally {
      await closeAll(...fakes)
    }
  })

  it('with breakers, a total outage costs far fewer attempts: open targets get no requests', async () => {
    const fakes = await Promise.all([fakeTarget('openai'), fakeTarget('bedrock'), fakeTarget('anthropic')])
    try {
      const router = createRouter({
        targets: fakes.map((fake, index) => ({ id: `t${index}`, model: fake.model })),
        random: () => 0,
      })
      const calls = 300
      for (let i = 0; i < calls; i++) await failure(router.generate(request))
      const upstream = fakes.reduce((sum, fake) => sum + fake.requests.length, 0)
      expect(upstream / calls).toBeLessThan(0.2)
      expect(router.health().targets.map((target) => target.breaker)).toEqual(['open', 'open', 'open'])
      const error = (await failure(router.generate(request))) as AllTargetsFailedError
      expect(error.attempts).toHaveLength(0)
      expect(error.message).toContain('circuit open')
      expect(error.retryAfterMs).toBeGreaterThan(0)
      router.close()
    } finally {
      await closeAll(...fakes)
    }
  })
})

describe('createRouter: waiting for a cooling target', () => {
  it('waits for the first target to come back when asked to, within the deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const only = await fakeTarget('openai', [http(429, { 'retry-after': '20' }), ok('after the wait')])
    try {
      const router = createRouter({
        targets: [{ id: 'only', model: only.model }],
        retry: { maxRetryAfterMs: 1000, waitForTarget: 30_000 },
      })
      const cooled = new Promise<void>((resolve) => router.on('cooldown', () => resolve()))
      const answer = router.generate(request, { timeoutMs: 60_000 })
      await cooled
      await vi.advanceTimersByTimeAsync(20_000)
      expect((await answer).text).toBe('after the wait')
      router.close()
    } finally {
      await closeAll(only)
    }
  })

  it('does not wait past the deadline: fails at once with the time until the target is back', async () => {
    const only = await fakeTarget('openai', [http(429, { 'retry-after': '20' })])
    try {
      const router = createRouter({
        targets: [{ id: 'only', model: only.model }],
        retry: { maxRetryAfterMs: 1000, waitForTarget: true },
      })
      const error = await failure(router.generate(request, { timeoutMs: 5_000 }))
      expect(error).toBeInstanceOf(AllTargetsFailedError)
      expect(error.retryAfterMs).toBeGreaterThan(15_000)
      expect((error as AllTargetsFailedError).attempts.map((a) => a.error.code)).toEqual(['rate_limited'])
      router.close()
    } finally {
      await closeAll(only)
    }
  })
})

describe('createRouter: fallbacks by cause', () => {
  it('skips a target whose context window the input does not fit, before calling it', async () => {
    const small = await fakeTarget('openai')
    const large = await fakeTarget('anthropic', [ok('from the large model')])
    try {
      const router = createRouter({
        targets: [
          { id: 'small', model: small.model, contextWindow: 4 },
          { id: 'large', model: large.model, contextWindow: 200_000 },
        ],
      })
      expect((await router.generate(request)).text).toBe('from the large model')
      expect(small.requests).toHaveLength(0)
      router.close()
    } finally {
      await closeAll(small, large)
    }
  })

  it('fails with ContextLengthExceededError, without a request, when no target fits', async () => {
    const small = await fakeTarget('openai')
    try {
      const router = createRouter({ targets: [{ id: 'small', model: small.model, contextWindow: 4 }] })
      const error = await failure(router.generate(request))
      expect(error.code).toBe('context_length_exceeded')
      expect(error.message).toContain('small (4 tokens')
      expect(small.requests).toHaveLength(0)
      router.close()
    } finally {
      await closeAll(small)
    }
  })

  it('on context_length_exceeded, moves to a target with a larger window (not a health failure)', async () => {
    const small = await fakeTarget('openai', [http(400, undefined, 'context_length_exceeded')])
    const other = await fakeTarget('openai')
    const large = await fakeTarget('openai', [ok('large answers')])
    try {
      const router = createRouter({
        targets: [
          { id: 'small', model: small.model, contextWindow: 8_000 },
          { id: 'other', model: other.model, contextWindow: 8_000 },
          { id: 'large', model: large.model, contextWindow: 128_000 },
        ],
        breaker: { volumeThreshold: 1 },
      })
      const log = recordEvents(router)
      expect((await router.generate(request)).text).toBe('large answers')
      expect(other.requests).toHaveLength(0)
      const fallback = log.find(([name]) => name === 'fallback')?.[1]
      expect(fallback).toMatchObject({ from: 'small', to: 'large', reason: 'context-window' })
      expect(router.health().targets[0]?.breaker).toBe('closed')
      router.close()
    } finally {
      await closeAll(small, other, large)
    }
  })

  it('on content_filtered, tries the configured content-filter fallback only', async () => {
    const strict = await fakeTarget('openai', [http(400, undefined, 'content_filter')])
    const general = await fakeTarget('openai')
    const lenient = await fakeTarget('anthropic', [ok('lenient answers')])
    try {
      const router = createRouter({
        targets: [
          { id: 'strict', model: strict.model },
          { id: 'general', model: general.model },
          { id: 'lenient', model: lenient.model },
        ],
        fallbacks: { contentFilter: ['lenient'] },
      })
      const log = recordEvents(router)
      expect((await router.generate(request)).text).toBe('lenient answers')
      expect(general.requests).toHaveLength(0)
      expect(log.find(([name]) => name === 'fallback')?.[1]).toMatchObject({ reason: 'content-filter' })
      router.close()
    } finally {
      await closeAll(strict, general, lenient)
    }
  })

  it('without a content-filter fallback, the refusal is the answer', async () => {
    const strict = await fakeTarget('openai', [http(400, undefined, 'content_filter')])
    const general = await fakeTarget('openai')
    try {
      const router = createRouter({
        targets: [
          { id: 'strict', model: strict.model },
          { id: 'general', model: general.model },
        ],
      })
      expect((await failure(router.generate(request))).code).toBe('content_filtered')
      expect(general.requests).toHaveLength(0)
      router.close()
    } finally {
      await closeAll(strict, general)
    }
  })

  it('an answer stopped by the content filter goes to the content-filter fallback when there is one', async () => {
    const strict = await fakeTarget('openai', [{ text: '', finishReason: 'content-filter' }])
    const lenient = await fakeTarget('openai', [ok('lenient')])
    try {
      const router = createRouter({
        targets: [
          { id: 'strict', model: strict.model },
          { id: 'lenient', model: lenient.model },
        ],
        fallbacks: { contentFilter: ['lenient'] },
      })
      expect((await router.generate(request)).text).toBe('lenient')
      router.close()
    } finally {
      await closeAll(strict, lenient)
    }
  })
})

describe('createRouter: conditional routing and strategies', () => {
  it('routes by metadata tags, and fails typed when no target matches', async () => {
    const eu = await fakeTarget('bedrock', [ok('eu')])
    const us = await fakeTarget('openai', [ok('us')])
    try {
      const router = createRouter({
        targets: [
          { id: 'eu', model: eu.model, when: { tags: ['eu'] } },
          { id: 'us', model: us.model, when: { metadata: { region: 'us' } } },
        ],
      })
      expect((await router.generate(request, { metadata: { tags: ['eu'] } })).text).toBe('eu')
      expect((await router.generate(request, { metadata: { region: 'us' } })).text).toBe('us')
      const error = await failure(router.generate(request, { metadata: { region: 'apac' } }))
      expect(error).toBeInstanceOf(AllTargetsFailedError)
      expect(error.message).toContain('matches the request')
      router.close()
    } finally {
      await closeAll(eu, us)
    }
  })

  it('orders targets with the configured strategy (lowest-cost, and a function)', async () => {
    const pricey = await fakeTarget('openai', [ok('pricey')])
    const cheap = await fakeTarget('openai', [ok('cheap')])
    try {
      const targets = [
        { id: 'pricey', model: pricey.model, pricing: { inputPerMTokens: 10, outputPerMTokens: 30 } },
        { id: 'cheap', model: cheap.model, pricing: { inputPerMTokens: 0.1, outputPerMTokens: 0.4 } },
      ]
      const byCost = createRouter({ targets, strategy: 'lowest-cost' })
      expect((await byCost.generate(request)).text).toBe('cheap')
      const custom = createRouter({
        targets,
        strategy: (views) => views.filter((view) => view.id === 'pricey'),
      })
      expect((await custom.generate(request)).text).toBe('pricey')
      byCost.close()
      custom.close()
    } finally {
      await closeAll(pricey, cheap)
    }
  })

  it('nests: a router is a target of another router', async () => {
    const a = await fakeTarget('openai', [http(500), http(500)])
    const b = await fakeTarget('anthropic', [ok('inner b')])
    try {
      const inner = createRouter({ id: 'inner', targets: [{ id: 'a', model: a.model }], random: () => 0 })
      const outer = createRouter({
        targets: [
          { id: 'inner', model: inner },
          { id: 'b', model: b.model },
        ],
      })
      const failed: QlError[] = []
      outer.on('attempt-failed', (event) => failed.push(event.error))
      expect((await outer.generate(request)).text).toBe('inner b')
      // the inner router's give-up is not retried by the outer one: attempts never multiply
      expect(a.requests).toHaveLength(2)
      expect(failed.map((error) => error.code)).toEqual(['all_targets_failed'])
      inner.close()
      outer.close()
    } finally {
      await closeAll(a, b)
    }
  })
})

describe('createRouter: limits', () => {
  it('skips a target at its concurrency limit, or waits for it when asked to', async () => {
    const busy = await fakeTarget('openai', [{ ...ok('first'), delayMs: 30 }, ok('second'), ok('third')])
    const backup = await fakeTarget('openai', [ok('backup')])
    try {
      const skipping = createRouter({
        targets: [
          { id: 'busy', model: busy.model, limits: { maxConcurrency: 1 } },
          { id: 'backup', model: backup.model },
        ],
      })
      const [first, second] = await Promise.all([skipping.generate(request), skipping.generate(request)])
      expect([first.text, second.text]).toEqual(['first', 'backup'])
      skipping.close()

      const waiting = createRouter({
        targets: [{ id: 'busy', model: busy.model, limits: { maxConcurrency: 1 } }],
        waitForCapacity: true,
      })
      const answers = await Promise.all([waiting.generate(request), waiting.generate(request)])
      expect(answers.map((a) => a.text)).toEqual(['second', 'third'])
      waiting.close()
    } finally {
      await closeAll(busy, backup)
    }
  })

  it('a target at its rpm limit is skipped, and the error says so when nothing else can take the call', async () => {
    const only = await fakeTarget('openai', [ok()])
    try {
      const router = createRouter({ targets: [{ id: 'only', model: only.model, limits: { rpm: 1 } }] })
      await router.generate(request)
      const error = await failure(router.generate(request))
      expect(error).toBeInstanceOf(AllTargetsFailedError)
      expect(error.message).toContain('at its limits')
      expect(only.requests).toHaveLength(1)
      router.close()
    } finally {
      await closeAll(only)
    }
  })
})

describe('createRouter: shared state', () => {
  it('a cooldown one router sets keeps the target out of another router sharing the store', async () => {
    const shared = await fakeTarget('openai', [http(429, { 'retry-after': '60' })])
    const backup = await fakeTarget('anthropic', [ok('first router'), ok('second router')])
    try {
      const state = createMemoryRouterState()
      const make = () =>
        createRouter({
          targets: [
            { id: 'shared', model: shared.model },
            { id: 'backup', model: backup.model },
          ],
          state,
        })
      const first = make()
      const second = make()
      expect((await first.generate(request)).text).toBe('first router')
      expect((await second.generate(request)).text).toBe('second router')
      expect(shared.requests).toHaveLength(1)
      expect(second.health().targets[0]?.unavailableUntil).toBeGreaterThan(Date.now() + 50_000)
      first.close()
      second.close()
    } finally {
      await closeAll(shared, backup)
    }
  })
})

import { getEventListeners } from 'node:events'
import { type ChatStreamEvent, isQlError, type QlError } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { createRouter, type Router } from '../src/index'
import type { FakeStep } from '../src/testing/index'
import { closeAll, fakeTarget, ok, request } from './router-fixtures'

/** A seeded PRNG (mulberry32): jitter and weighted choice are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const long = 'Oslo is the capital of Norway, on the Oslofjord.'

/** The fault schedule of each fake, by the index of the request it receives. */
const schedules: Record<'a' | 'b' | 'c', (i: number) => FakeStep> = {
  // OpenAI: 429 with a short hint, 429 with only reset headers, 500, resets, a long hint, stalls
  a: (i): FakeStep => {
    if (i % 100 === 11) return { fault: { type: 'stall' } }
    switch (i % 20) {
      case 1:
        return { fault: { type: 'http', status: 429, headers: { 'retry-after-ms': '5' } } }
      case 3:
        return {
          fault: {
            type: 'http',
            status: 429,
            headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20ms' },
          },
        }
      case 5:
        return { fault: { type: 'http', status: 500 } }
      case 7:
        return { fault: { type: 'reset' } }
      case 9:
        return { fault: { type: 'http', status: 503, headers: { 'retry-after-ms': '1500' } } }
      default:
        return { ...ok(long), chunkSize: 8 }
    }
  },
  // Anthropic: 529 overloaded, malformed frames, and cuts after the first content
  b: (i): FakeStep => {
    if (i % 50 === 4)
      return {
        text: long,
        chunkSize: 8,
        fault: { type: 'error-event', afterChunks: 5, errorType: 'overloaded_error' },
      }
    if (i % 25 === 6) return { text: long, fault: { type: 'malformed', afterChunks: 1 } }
    if (i % 10 === 2) return { fault: { type: 'http', status: 529 } }
    return { ...ok(long), chunkSize: 8 }
  },
  // Bedrock: healthy
  c: () => ({ ...ok(long), chunkSize: 8 }),
}

/** Counts failures by their attempts' codes, for the printout. */
function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const outcome of outcomes) {
    const attempts = (outcome.error as { attempts?: { targetId: string; error: QlError }[] } | undefined)
      ?.attempts
    const keys = attempts?.map((a) => `${a.targetId}:${a.error.code}`) ?? [outcome.error?.code ?? 'none']
    for (const key of keys.length === 0 ? ['no attempt'] : keys) counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

interface Outcome {
  ok: boolean
  error?: QlError
  /** A stream that failed after content reached the consumer: a typed error by design, not a lost call. */
  cutAfterContent?: boolean
}

async function runCall(router: Router, index: number, signal: AbortSignal): Promise<Outcome> {
  const streaming = index % 3 === 0
  let sawContent = false
  try {
    if (!streaming) {
      const response = await router.generate(request, { signal, timeoutMs: 20_000 })
      return { ok: response.text === long }
    }
    let text = ''
    for await (const event of router.stream(request, {
      signal,
      timeoutMs: 20_000,
    }) as AsyncIterable<ChatStreamEvent>) {
      if (event.type === 'text-delta') {
        sawContent = true
        text += event.delta
      }
    }
    return { ok: text === long }
  } catch (error) {
    if (!isQlError(error)) throw new Error(`an untyped failure escaped the router: ${String(error)}`)
    return { ok: false, error, cutAfterContent: streaming && sawContent }
  }
}

/**
 * Resolves when the first target that takes no calls now could take them again: an open breaker
 * turning half-open (its event) or a cooldown ending (the deadline `health()` reports). No timer or
 * listener is left behind.
 */
function nextOpening(router: Router): Promise<void> {
  const now = Date.now()
  const waiting = router.health().targets.filter((target) => target.unavailableUntil !== undefined)
  if (waiting.length === 0) return Promise.resolve()
  const deadlines = waiting
    .filter((target) => target.breaker !== 'open')
    .map((target) => Math.max(now + 1, target.unavailableUntil ?? now))
  const breakerOpen = waiting.some((target) => target.breaker === 'open')
  return new Promise<void>((resolve) => {
    const timer = deadlines.length > 0 ? setTimeout(done, Math.min(...deadlines) - now) : undefined
    function onBreaker(event: { state: string }): void {
      if (event.state === 'half-open') done()
    }
    function done(): void {
      clearTimeout(timer)
      router.off('breaker', onBreaker)
      resolve()
    }
    if (breakerOpen) router.on('breaker', onBreaker)
  })
}

async function burst(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<Outcome>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(count)
  let next = 0
  let settled = 0
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      outcomes[index] = await call(index)
      settled++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  expect(settled).toBe(count)
  return outcomes
}

describe('createRouter under load with a deterministic fault schedule', () => {
  it('loses no call, types every failure, keeps attempts down in an outage, and recovers', {
    timeout: 240_000,
  }, async () => {
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length
    const fakes = {
      a: await fakeTarget('openai'),
      b: await fakeTarget('anthropic'),
      c: await fakeTarget('bedrock'),
    }
    const calls = Number(process.env.QL_ROUTER_LOAD_CALLS ?? 2000)
    const router = createRouter({
      targets: [
        { id: 'a', model: fakes.a.model, timeoutMs: 5_000 },
        { id: 'b', model: fakes.b.model, timeoutMs: 5_000 },
        { id: 'c', model: fakes.c.model, timeoutMs: 5_000 },
      ],
      strategy: 'weighted',
      // the schedule fails ~14% of first attempts, above the default budget's 10%: give it 20%
      // (Envoy's default); with the default, about 0.3% of calls here give up with the budget spent
      retry: {
        maxAttempts: 3,
        initialDelayMs: 2,
        maxDelayMs: 20,
        maxRetryAfterMs: 1_000,
        budget: { ratio: 0.2, reserve: 10 },
      },
      breaker: { volumeThreshold: 10, resetTimeoutMs: 300, rollingWindowMs: 2_000 },
      timeouts: { firstTokenMs: 5_000 },
      random: seeded(42),
    })
    // each attempt is exactly one HTTP request (the SDKs' retries are off): its step is queued as
    // it starts, from the schedule (phase 1), from nothing (phase 2: the fake answers HTTP 500
    // when its script is empty, a total outage), or a plain answer (phase 3)
    let phase: 'mixed' | 'outage' | 'healed' = 'mixed'
    const received = { a: 0, b: 0, c: 0 }
    router.on('attempt', (event) => {
      const id = event.targetId as 'a' | 'b' | 'c'
      const index = received[id]++
      if (phase === 'mixed') fakes[id].enqueue(schedules[id](index))
      else if (phase === 'healed') fakes[id].enqueue({ ...ok(long), chunkSize: 8 })
    })
    const breakerLog: string[] = []
    router.on('breaker', (event) => breakerLog.push(`${event.targetId}:${event.state}`))
    let warmed = 0
    const sent = () => fakes.a.requests.length + fakes.b.requests.length + fakes.c.requests.length - warmed
    const caller = new AbortController()
    try {
      // warm up: each SDK's first call loads modules lazily (the AWS credential chain, HTTP/2)
      for (const id of ['a', 'b', 'c'] as const) {
        fakes[id].enqueue(ok(long), ok(long))
        await fakes[id].model.generate(request)
        for await (const _ of fakes[id].model.stream(request)) {
          // drain
        }
      }
      warmed = sent()
      // ---- phase 1: mixed faults; one target (Bedrock) stays healthy ----
      const outcomes = await burst(calls, 32, (index) => runCall(router, index, caller.signal))
      const cut = outcomes.filter((o) => o.cutAfterContent === true).length
      const succeeded = outcomes.filter((o) => o.ok).length
      const failedOther = outcomes.filter((o) => !o.ok && o.cutAfterContent !== true)
      const mixedAttempts = sent()
      const successRate = succeeded / (calls - cut)
      console.info(
        `load phase 1: ${calls} calls (1/3 streams), ${mixedAttempts} upstream requests ` +
          `(${(mixedAttempts / calls).toFixed(3)} per call), ${succeeded} answered, ${cut} streams cut after content (typed error), ` +
          `${failedOther.length} other failures ${JSON.stringify(tally(failedOther))}, ` +
          `success ${(successRate * 100).toFixed(2)}% of the calls not cut; breakers: ${breakerLog.join(' ') || 'none changed'}`,
      )
      expect(outcomes.every((o) => o.ok || isQlError(o.error))).toBe(true)
      expect(successRate).toBeGreaterThanOrEqual(0.999)

      // ---- phase 2: total outage ----
      // phase 1 can leave a breaker open (its 300 ms reset not yet passed) or a target cooling on a
      // long retry-after hint (up to 1.5 s); either would sit out the outage and never report 'open'.
      // Start the outage with every target taking calls, so each one must be taken out by its breaker.
      while (router.health().targets.some((target) => target.unavailableUntil !== undefined)) {
        await nextOpening(router)
      }
      phase = 'outage'
      breakerLog.length = 0
      const before = sent()
      const outageCalls = 1000
      const failures = await burst(outageCalls, 16, (index) => runCall(router, index + 1, caller.signal))
      const outageAttempts = sent() - before
      console.info(
        `load phase 2 (total outage): ${outageCalls} calls, ${outageAttempts} upstream requests, ` +
          `${(outageAttempts / outageCalls).toFixed(3)} per call; breakers: ${breakerLog.join(' ')}`,
      )
      expect(failures.every((o) => !o.ok && isQlError(o.error))).toBe(true)
      expect(outageAttempts / outageCalls).toBeLessThanOrEqual(1.2)
      expect(new Set(breakerLog.filter((entry) => entry.endsWith(':open')))).toEqual(
        new Set(['a:open', 'b:open', 'c:open']),
      )

      // ---- phase 3: recovery: each breaker lets a probe through half-open and closes ----
      phase = 'healed'
      const closed = new Set<string>()
      router.on('breaker', (event) => {
        if (event.state === 'closed') closed.add(event.targetId)
      })
      let probes = 0
      while (closed.size < 3) {
        if (!router.health().available) await nextOpening(router)
        await runCall(router, 1, caller.signal)
        probes++
      }
      const after = await burst(300, 16, (index) => runCall(router, index, caller.signal))
      console.info(
        `load phase 3: every breaker closed again after ${probes} calls; then 300 calls, ${after.filter((o) => o.ok).length} answered`,
      )
      expect(after.every((o) => o.ok)).toBe(true)
    } finally {
      router.close()
      await closeAll(fakes.a, fakes.b, fakes.c)
    }
    // nothing left behind: no listener on the caller's signal, no timer of ours
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
    const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length
    console.info(`timers: ${timersBefore} before, ${timersAfter} after`)
    expect(timersAfter).toBeLessThanOrEqual(timersBefore + 1)
  })
})

import { type ChatStreamEvent, InvalidResponseError, type QlError } from '@ql/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRouter } from '../src/index'
import { closeAll, collect, failure, fakeTarget, http, ok, recordEvents, request } from './router-fixtures'

afterEach(() => {
  vi.useRealTimers()
})

const texts = (events: ChatStreamEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('')

describe('createRouter: stream', () => {
  it('streams from the first target, with cost on the finish event and the response', async () => {
    const primary = await fakeTarget('anthropic', [ok('Oslo is the capital')])
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model, pricing: { inputPerMTokens: 3, outputPerMTokens: 15 } },
        ],
      })
      const usage = new Promise((resolve) => router.on('usage', resolve))
      const stream = router.stream(request)
      const events = await collect(stream)
      const response = await stream.response
      expect(texts(events)).toBe('Oslo is the capital')
      expect(events[0]).toMatchObject({ type: 'metadata', provider: 'anthropic' })
      const finish = events.at(-1)
      expect(finish?.type).toBe('finish')
      expect(response.cost?.totalCost).toBeCloseTo((12 * 3 + 3 * 15) / 1e6, 12)
      if (finish?.type === 'finish') expect(finish.response.cost).toEqual(response.cost)
      expect(await usage).toMatchObject({ targetId: 'primary', streaming: true, cost: response.cost })
      router.close()
    } finally {
      await closeAll(primary)
    }
  })

  it('fails over before the first content event, and the consumer sees only the answering attempt', async () => {
    const a = await fakeTarget('openai', [{ fault: { type: 'reset' } }])
    const b = await fakeTarget('anthropic', [
      // a 200 stream whose error event comes before any text (Anthropic "Overloaded" at the start)
      { text: 'never', fault: { type: 'error-event', afterChunks: 1, errorType: 'overloaded_error' } },
    ])
    const c = await fakeTarget('bedrock', [ok('Oslo from Bedrock')])
    try {
      const router = createRouter({
        targets: [
          { id: 'a', model: a.model },
          { id: 'b', model: b.model },
          { id: 'c', model: c.model },
        ],
        retry: { maxRetriesPerTarget: 0 },
      })
      const log = recordEvents(router)
      const events = await collect(router.stream(request))
      expect(texts(events)).toBe('Oslo from Bedrock')
      const metadata = events.filter((event) => event.type === 'metadata')
      expect(metadata).toEqual([expect.objectContaining({ provider: 'bedrock' })])
      const failed = log
        .filter(([name]) => name === 'attempt-failed')
        .map(([, e]) => (e as { error: QlError }).error.code)
      expect(failed).toEqual(['unavailable', 'overloaded'])
      expect(log.filter(([name]) => name === 'fallback')).toHaveLength(2)
      router.close()
    } finally {
      await closeAll(a, b, c)
    }
  })

  it('after the first content event, a cut stream reaches the consumer as a typed error, with no failover', async () => {
    const primary = await fakeTarget('openai', [
      { text: 'Oslo is the capital of Norway', chunkSize: 4, fault: { type: 'reset', afterChunks: 3 } },
    ])
    const backup = await fakeTarget('openai', [ok()])
    try {
      const router = createRouter({
        targets: [
          { id: 'primary', model: primary.model },
          { id: 'backup', model: backup.model },
        ],
      })
      const seen: ChatStreamEvent[] = []
      const stream = router.stream(request)
      const error = await failure(
        (async () => {
          for await (const event of stream) seen.push(event)
        })(),
      )
      expect(['unavailable', 'invalid_response']).toContain(error.code)
      expect(texts(seen).length).toBeGreaterThan(0)
      expect(seen.some((event) => event.type === 'finish')).toBe(false)
      expect(await failure(stream.response)).toBe(error)
      expect(backup.requests).toHaveLength(0)
      router.close()
    } finally {
      await closeAll(primary, backup)
    }
  })

  it('a stream that ends without its terminal event fails loudly (no [DONE])', async () => {
    const primary = await fakeTarget('openai', [
      { text: 'Oslo is the capital', fault: { type: 'truncate', afterChunks: 3 } },
    ])
    try {
      const router = createRouter({ targets: [{ id: 'primary', model: primary.model }] })
      const error = await failure(collect(router.stream(request)))
      expect(error).toBeInstanceOf(InvalidResponseError)
      router.close()
    } finally {
      await closeAll(primary)
    }
  })

  it('fails over when the first token is later than firstTokenMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const slow = await fakeTarget('openai', [{ ...ok('slow'), delayMs: 10_000 }])
    const fast = await fakeTarget('openai', [ok('fast')])
    try {
      const router = createRouter({
        targets: [
          { id: 'slow', model: slow.model },
          { id: 'fast', model: fast.model },
        ],
        timeouts: { firstTokenMs: 2000 },
        retry: { maxRetriesPerTarget: 0 },
      })
      const log = recordEvents(router)
      const started = new Promise<void>((resolve) => router.on('attempt', () => resolve()))
      const events = collect(router.stream(request))
      await started
      await vi.advanceTimersByTimeAsync(2000)
      expect(texts(await events)).toBe('fast')
      const failed = log.find(([name]) => name === 'attempt-failed')?.[1] as {
        error: QlError
        targetId: string
      }
      expect(failed.targetId).toBe('slow')
      expect(failed.error.code).toBe('timeout')
      expect(failed.error.message).toContain('first-token')
      router.close()
    } finally {
      await closeAll(slow, fast)
    }
  })

  it('fails with a TimeoutError when a started stream stalls longer than stallMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const primary = await fakeTarget('openai', [
      { text: 'Oslo is the capital', fault: { type: 'stall', afterChunks: 3 } },
    ])
    try {
      const router = createRouter({
        targets: [{ id: 'primary', model: primary.model }],
        timeouts: { stallMs: 5000 },
      })
      const seen: ChatStreamEvent[] = []
      const done = failure(
        (async () => {
          for await (const event of router.stream(request)) seen.push(event)
        })(),
      )
      // wait until the stream started, then let the stall timer run out
      while (!seen.some((event) => event.type === 'text-delta')) await new Promise((r) => setImmediate(r))
      await vi.advanceTimersByTimeAsync(5000)
      const error = await done
      expect(error.code).toBe('timeout')
      expect(error.message).toContain('stalled')
      expect(texts(seen).length).toBeGreaterThan(0)
      router.close()
    } finally {
      await closeAll(primary)
    }
  })

  it('breaking out of a routed stream cancels the provider call', async () => {
    const primary = await fakeTarget('openai', [
      { text: 'Oslo is the capital of Norway and more', chunkSize: 2, chunkDelayMs: 5 },
    ])
    try {
      const router = createRouter({
        targets: [{ id: 'primary', model: primary.model, limits: { maxConcurrency: 1 } }],
      })
      for await (const event of router.stream(request)) if (event.type === 'text-delta') break
      // the lease is released: the target takes the next call
      expect(router.health().targets[0]?.inFlight).toBe(0)
      // the HTTP request itself ends: the fake sees the client leave (as in the conformance suite)
      await vi.waitFor(() => expect(primary.requests[0]?.clientLeftEarly).toBe(true), { timeout: 10_000 })
      router.close()
    } finally {
      await closeAll(primary)
    }
  })

  it('gives up on streams with AllTargetsFailedError too', async () => {
    const a = await fakeTarget('openai', [http(500), http(500)])
    try {
      const router = createRouter({ targets: [{ id: 'a', model: a.model }], random: () => 0 })
      const error = await failure(collect(router.stream(request)))
      expect(error.code).toBe('all_targets_failed')
      router.close()
    } finally {
      await closeAll(a)
    }
  })
})

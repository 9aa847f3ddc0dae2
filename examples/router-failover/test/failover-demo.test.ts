import { ConsoleSpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../src/cli'
import { DEMO_KEYS, OUTAGE_REQUESTS, runFailoverDemo } from '../src/failover-demo'

/** Loading three SDKs on a loaded machine is slow; the breaker's reset (3 s here) is part of the run. */
const TIMEOUT_MS = 60_000

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the router-failover demo (real SDKs against loopback fakes)', () => {
  it(
    'fails over from the failing provider, opens and closes its breaker, and exports a span per call and attempt',
    async () => {
      const spans: ReadableSpan[] = []
      // keeps every span (InMemorySpanExporter forgets them when the demo shuts its provider down)
      const memory: SpanExporter = {
        export: (batch, done) => {
          spans.push(...batch)
          done({ code: 0 })
        },
        shutdown: async () => {},
      }
      // the default exporter writes with console.dir: keep what it printed
      const printedSpans: unknown[] = []
      vi.spyOn(console, 'dir').mockImplementation((value) => {
        printedSpans.push(value)
      })
      const lines: string[] = []
      // a longer reset than the CLI's, so a slow machine cannot reach the half-open state early
      const result = await runFailoverDemo({
        print: (line) => lines.push(line),
        spanExporters: [new ConsoleSpanExporter(), memory],
        breakerResetMs: 3_000,
      })

      // failover: calls 1 and 2 are retried once on openai, then answered by anthropic
      expect(result.calls.map((call) => call.answeredBy)).toEqual([
        'anthropic',
        'anthropic',
        // the burst: anthropic takes one call at a time, bedrock the other (order of completion varies)
        ...result.calls.slice(2, 4).map((call) => call.answeredBy),
        'openai',
      ])
      expect(
        result.calls
          .slice(2, 4)
          .map((call) => call.answeredBy)
          .sort(),
      ).toEqual(['anthropic', 'bedrock'])
      expect(result.calls.map((call) => call.attempts)).toEqual([3, 3, 1, 1, 1])
      expect(result.fallbacks).toEqual([
        { from: 'openai', to: 'anthropic', code: 'unavailable' },
        { from: 'openai', to: 'anthropic', code: 'unavailable' },
      ])
      // the breaker: opened by the outage, half-open after the reset, closed by the probe
      expect(result.breakerChanges).toEqual([
        { targetId: 'openai', previous: 'closed', state: 'open' },
        { targetId: 'openai', previous: 'open', state: 'half-open' },
        { targetId: 'openai', previous: 'half-open', state: 'closed' },
      ])
      // openai got the outage's requests and the probe, nothing while its breaker was open
      expect(result.requests).toEqual({ openai: OUTAGE_REQUESTS + 1, anthropic: 3, bedrock: 1 })
      expect(lines.some((line) => line.includes('failover: openai → anthropic'))).toBe(true)
      expect(lines.some((line) => line.includes('circuit breaker of openai: open → half-open'))).toBe(true)

      // spans: one per call (the router's) and one per attempt, nested under it
      const calls = spans.filter((span) => span.name === 'chat demo-router')
      const attempts = spans.filter((span) => span.name !== 'chat demo-router')
      expect(calls).toHaveLength(5)
      expect(attempts).toHaveLength(3 + 3 + 1 + 1 + 1)
      const callIds = new Set(calls.map((span) => span.spanContext().spanId))
      for (const attempt of attempts) expect(callIds.has(attempt.parentSpanContext?.spanId ?? '')).toBe(true)
      const failed = attempts.filter((span) => span.attributes['error.type'] !== undefined)
      expect(failed).toHaveLength(OUTAGE_REQUESTS)
      expect(failed.every((span) => span.attributes['ql.router.target.id'] === 'openai')).toBe(true)
      expect(calls.map((span) => span.attributes['ql.router.fallbacks'])).toEqual(
        expect.arrayContaining([1, 1]),
      )
      expect(calls.every((span) => typeof span.attributes['gen_ai.usage.output_tokens'] === 'number')).toBe(
        true,
      )

      // the console exporter printed the same spans
      expect(printedSpans.map((span) => (span as { name: string }).name).sort()).toEqual(
        spans.map((span) => span.name).sort(),
      )

      // no key ever reaches what was printed or exported
      const everything = JSON.stringify([lines, printedSpans, spans.map(exported)])
      for (const key of Object.values(DEMO_KEYS)) expect(everything).not.toContain(key)
    },
    TIMEOUT_MS,
  )

  it('the command prints its help and refuses bad options', async () => {
    const out: string[] = []
    const err: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk))
      return true
    })
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk))
      return true
    })
    expect(await main(['--help'])).toBe(0)
    expect(out.join('')).toContain('Usage: router-failover')
    expect(await main(['--reset-ms', 'soon'])).toBe(2)
    expect(await main(['--fast'])).toBe(2)
    expect(err.join('')).toContain('unknown option --fast')
  })
})

/** What an exporter sees of a span. */
function exported(span: ReadableSpan) {
  return { name: span.name, attributes: span.attributes, status: span.status, events: span.events }
}

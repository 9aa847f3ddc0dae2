import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base'
import type { ChatRequest, ChatResponse } from '@ql/provider'
import { type BreakerState, createRouter, type Router } from '@ql/router'
import { createAnthropic } from '@ql/router/anthropic'
import { createBedrock } from '@ql/router/bedrock'
import { createOpenAI } from '@ql/router/openai'
import { type FakeProvider, type FakeStep, startFakeProvider } from '@ql/router/testing'

/** Requests the failing provider answers with HTTP 503 before it recovers. */
export const OUTAGE_REQUESTS = 4

/** How long the failing provider's breaker stays open before it lets a probe through, by default. */
export const DEFAULT_BREAKER_RESET_MS = 1_500

/**
 * Keys the fakes are called with. They look like real keys on purpose: the demo's test checks that
 * none of them ever shows up in an event, an error or a span.
 */
export const DEMO_KEYS = {
  openai: 'sk-proj-demoOpenAIkey0123456789abcdefABCDEF',
  anthropic: 'sk-ant-api03-demoAnthropicKey0123456789abcdef',
  awsAccessKeyId: 'AKIADEMOEXAMPLE00000',
  awsSecretAccessKey: 'demo/secret+AccessKey0123456789abcdefghij',
} as const

/** What the demo did, for a test or a caller that wants more than the printed lines. */
export interface DemoResult {
  /** Every call in order: which target answered, its text, the upstream attempts it took. */
  calls: { label: string; answeredBy: string; text: string; attempts: number }[]
  /** Every `fallback` event: `from` → `to`, and the error code that caused it. */
  fallbacks: { from: string; to: string; code: string }[]
  /** Every `breaker` event, in order. */
  breakerChanges: { targetId: string; previous: BreakerState; state: BreakerState }[]
  /** Requests each fake received (the failing one included). */
  requests: Record<TargetId, number>
  /** Everything printed, line by line (spans go to the exporters, not here). */
  lines: string[]
}

type TargetId = 'openai' | 'anthropic' | 'bedrock'

/** Options of {@link runFailoverDemo}. */
export interface FailoverDemoOptions {
  /** Where the demo's lines go. Default: `console.log`. */
  print?: (line: string) => void
  /** Where spans go. Default: one `ConsoleSpanExporter`, which prints each span as it ends. */
  spanExporters?: SpanExporter[]
  /** How long the failing provider's breaker stays open before its probe (ms). Default 1,500. */
  breakerResetMs?: number
  /** The longest the demo waits for the breaker to turn half-open before it gives up (ms). Default 60,000. */
  maxWaitMs?: number
}

const QUESTION: ChatRequest = {
  system: 'Answer in one short sentence.',
  messages: [{ role: 'user', content: 'What is the capital of Norway?' }],
  maxTokens: 64,
}

/** An answer from a healthy fake. */
function answer(text: string): FakeStep {
  return { text, usage: { inputTokens: 18, outputTokens: 9 }, chunkSize: 8 }
}

/**
 * Starts three loopback fake providers (OpenAI, Anthropic and Bedrock wire protocols), reaches them
 * through the real SDKs, routes five calls over them with `createRouter` while the first one fails,
 * and prints what the router does: retries, failovers, circuit-breaker changes, and an OpenTelemetry
 * span per call and per attempt (by default through `ConsoleSpanExporter`).
 *
 * 1. two calls while OpenAI fails: each is retried once on OpenAI, then fails over to Anthropic;
 *    the fourth failure opens OpenAI's breaker;
 * 2. a burst of two calls with the breaker open: OpenAI is skipped, Anthropic (one call at a time)
 *    takes one and Bedrock the other;
 * 3. the breaker turns half-open after `breakerResetMs`; the next call is its probe, OpenAI has
 *    recovered, and the breaker closes.
 */
export async function runFailoverDemo(options: FailoverDemoOptions = {}): Promise<DemoResult> {
  const lines: string[] = []
  const print = (line: string) => {
    lines.push(line)
    ;(options.print ?? console.log)(line)
  }
  const tracerProvider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'router-failover-example' }),
    spanProcessors: (options.spanExporters ?? [new ConsoleSpanExporter()]).map(
      (exporter) => new SimpleSpanProcessor(exporter),
    ),
  })
  const tracer = tracerProvider.getTracer('router-failover-example')

  const fakes: Partial<Record<TargetId, FakeProvider>> = {}
  let router: Router | undefined
  try {
    // the failing one: an outage of OUTAGE_REQUESTS requests, then it answers again
    fakes.openai = await startFakeProvider({
      protocol: 'openai',
      script: [
        ...Array.from(
          { length: OUTAGE_REQUESTS },
          (): FakeStep => ({ fault: { type: 'http', status: 503, message: 'The server is overloaded.' } }),
        ),
        answer('Oslo is the capital of Norway (OpenAI is back).'),
      ],
    })
    fakes.anthropic = await startFakeProvider({
      protocol: 'anthropic',
      script: Array.from({ length: 4 }, () => ({
        ...answer('Oslo is the capital of Norway (from Anthropic).'),
        delayMs: 20,
      })),
    })
    fakes.bedrock = await startFakeProvider({
      protocol: 'bedrock',
      script: Array.from({ length: 4 }, () => answer('Oslo is the capital of Norway (from Bedrock).')),
    })

    const openai = createOpenAI({ apiKey: DEMO_KEYS.openai, baseURL: fakes.openai.baseURL })
    const anthropic = createAnthropic({ apiKey: DEMO_KEYS.anthropic, baseURL: fakes.anthropic.baseURL })
    const bedrock = createBedrock({
      region: 'us-east-1',
      baseURL: fakes.bedrock.baseURL,
      credentials: {
        accessKeyId: DEMO_KEYS.awsAccessKeyId,
        secretAccessKey: DEMO_KEYS.awsSecretAccessKey,
      },
    })

    print('router-failover: three fake providers on 127.0.0.1, called through the real SDKs')
    print(
      `  openai     gpt-4.1-mini      ${fakes.openai.baseURL}  fails its first ${OUTAGE_REQUESTS} requests (HTTP 503)`,
    )
    print(`  anthropic  claude-haiku-4-5  ${fakes.anthropic.baseURL}  healthy, one call at a time`)
    print(`  bedrock    claude-haiku      ${fakes.bedrock.baseURL}  healthy`)

    router = createRouter({
      id: 'demo-router',
      // priority (the default): each call tries the targets in this order
      targets: [
        { id: 'openai', model: openai.chat('gpt-4.1-mini') },
        { id: 'anthropic', model: anthropic.chat('claude-haiku-4-5'), limits: { maxConcurrency: 1 } },
        { id: 'bedrock', model: bedrock.chat('us.anthropic.claude-haiku-4-5-20251001-v1:0') },
      ],
      // four attempts: one retry on a failing target still leaves one for each other target
      retry: { maxAttempts: 4, maxRetriesPerTarget: 1, initialDelayMs: 50, maxDelayMs: 200 },
      breaker: {
        volumeThreshold: OUTAGE_REQUESTS,
        errorThresholdPercentage: 50,
        rollingWindowMs: 60_000,
        resetTimeoutMs: options.breakerResetMs ?? DEFAULT_BREAKER_RESET_MS,
      },
      telemetry: { tracer },
    })
    const result = observe(router, print)

    const call = async (label: string, stream = false): Promise<ChatResponse> => {
      const response = stream ? await streamed(router as Router) : await (router as Router).generate(QUESTION)
      const attempts = result.attemptsByCall.get(result.callIds.get(response) ?? -1) ?? 0
      result.calls.push({ label, answeredBy: response.provider, text: response.text, attempts })
      print(`  ✓ ${label}: answered by ${response.provider} (${response.modelId}): "${response.text}"`)
      return response
    }

    print('')
    print('1. two calls while openai is down: retried once, then failed over')
    await call('call 1 (generate)')
    await call('call 2 (stream)', true)

    print('')
    print(
      "2. a burst of two calls with openai's breaker open: openai is skipped, anthropic takes one call at a time",
    )
    await Promise.all([call('call 3 (generate)'), call('call 4 (generate)')])

    print('')
    print(
      `3. after ${options.breakerResetMs ?? DEFAULT_BREAKER_RESET_MS} ms the breaker lets one probe through; openai has recovered`,
    )
    await halfOpen(router, 'openai', options.maxWaitMs ?? 60_000)
    await call('call 5 (generate)')

    print('')
    print('health:')
    for (const target of router.health().targets) {
      print(
        `  ${target.id.padEnd(10)} breaker ${target.breaker.padEnd(9)} latency ${formatMs(target.latencyMs)}`,
      )
    }
    return {
      calls: result.calls,
      fallbacks: result.fallbacks,
      breakerChanges: result.breakerChanges,
      requests: {
        openai: fakes.openai.requests.length,
        anthropic: fakes.anthropic.requests.length,
        bedrock: fakes.bedrock.requests.length,
      },
      lines,
    }
  } finally {
    router?.close()
    await Promise.all(Object.values(fakes).map((fake) => fake.close()))
    await tracerProvider.shutdown()
  }
}

/** Streams the question and returns the response; the router fails over until the first token. */
async function streamed(router: Router): Promise<ChatResponse> {
  const stream = router.stream(QUESTION)
  for await (const _event of stream) {
    // a real app would render text-delta events here
  }
  return stream.response
}

/** What `failureAction` says about an error, in words. */
const ACTIONS: Record<string, string> = {
  retry: 'retryable: retry, then fail over',
  failover: 'fail over',
  'fallback:context-window': 'fall back to a larger context window',
  'fallback:content-filter': 'fall back on a content filter',
  stop: 'stop: no other target would do better',
}

/** Subscribes to the router's events, prints them, and collects what the demo returns. */
function observe(router: Router, print: (line: string) => void) {
  const collected = {
    calls: [] as DemoResult['calls'],
    fallbacks: [] as DemoResult['fallbacks'],
    breakerChanges: [] as DemoResult['breakerChanges'],
    attemptsByCall: new Map<number, number>(),
    callIds: new WeakMap<ChatResponse, number>(),
  }
  router.on('attempt', (event) => {
    print(`  → call ${event.callId}, attempt ${event.attempt}: ${event.targetId}`)
  })
  router.on('attempt-failed', (event) => {
    const status = event.error.status === undefined ? '' : ` (HTTP ${event.error.status})`
    print(
      `  ✗ ${event.targetId} failed: ${event.error.code}${status} (${ACTIONS[event.action] ?? event.action})`,
    )
  })
  router.on('retry', (event) => {
    print(`  ↻ retrying ${event.targetId} in ${Math.round(event.delayMs)} ms`)
  })
  router.on('fallback', (event) => {
    collected.fallbacks.push({ from: event.from, to: event.to, code: event.error.code })
    print(`  ⇢ failover: ${event.from} → ${event.to} (${event.reason}: ${event.error.code})`)
  })
  router.on('breaker', (event) => {
    collected.breakerChanges.push({ targetId: event.targetId, previous: event.previous, state: event.state })
    print(`  ⚡ circuit breaker of ${event.targetId}: ${event.previous} → ${event.state}`)
  })
  router.on('usage', (event) => {
    collected.attemptsByCall.set(event.callId, event.attempts)
    collected.callIds.set(event.response, event.callId)
    const cost = event.cost === undefined ? 'price unknown' : `$${event.cost.totalCost.toFixed(6)}`
    print(
      `  Σ call ${event.callId}: ${event.usage.inputTokens} in / ${event.usage.outputTokens} out tokens, ${cost}, ` +
        `${event.attempts} attempt(s)`,
    )
  })
  return collected
}

/** Resolves when `targetId`'s breaker turns half-open (an event, not a sleep); rejects after `maxWaitMs`. */
function halfOpen(router: Router, targetId: string, maxWaitMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const now = router.health().targets.find((target) => target.id === targetId)?.breaker
    if (now === 'half-open') {
      resolve()
      return
    }
    const timer = setTimeout(() => {
      router.off('breaker', listener)
      reject(new Error(`the breaker of ${targetId} did not turn half-open within ${maxWaitMs} ms`))
    }, maxWaitMs)
    const listener = (event: { targetId: string; state: BreakerState }) => {
      if (event.targetId !== targetId || event.state !== 'half-open') return
      clearTimeout(timer)
      router.off('breaker', listener)
      resolve()
    }
    router.on('breaker', listener)
  })
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? 'n/a' : `${ms.toFixed(1)} ms`
}

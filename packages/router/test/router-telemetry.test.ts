import {
  type Context,
  type ContextManager,
  context,
  createNoopMeter,
  metrics,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'
import {
  AggregationTemporality,
  DataPointType,
  type Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics'
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import * as semconv from '@opentelemetry/semantic-conventions/incubating'
import {
  AllTargetsFailedError,
  type ChatRequest,
  type ChatResponse,
  createApiCallError,
  RateLimitedError,
  TimeoutError,
} from '@ql/provider'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as names from '../src/router/telemetry/gen-ai-attributes'
import { createRouterTelemetry, type RouterTelemetryOptions } from '../src/router/telemetry/router-telemetry'

const OPENAI_KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789'
const ANTHROPIC_KEY = 'sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUV-0123456789'

class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE })
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** A synchronous stack context manager: enough for `context.with` in these tests. */
class StackContextManager implements ContextManager {
  private stack: Context[] = []
  active(): Context {
    return this.stack.at(-1) ?? ROOT_CONTEXT
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.stack.push(ctx)
    try {
      return fn.call(thisArg, ...args)
    } finally {
      this.stack.pop()
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target
  }
  enable(): this {
    return this
  }
  disable(): this {
    this.stack = []
    return this
  }
}

function setup(options: Omit<RouterTelemetryOptions, 'tracer' | 'meter'> = {}) {
  const exporter = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const reader = new TestMetricReader()
  const meterProvider = new MeterProvider({ readers: [reader] })
  const telemetry = createRouterTelemetry({
    ...options,
    tracer: tracerProvider.getTracer('test'),
    meter: meterProvider.getMeter('test'),
  })
  const spans = () => exporter.getFinishedSpans()
  const span = (name: string) => {
    const found = spans().find((s) => s.name === name)
    if (found === undefined)
      throw new Error(
        `no span ${name}; have ${spans()
          .map((s) => s.name)
          .join(', ')}`,
      )
    return found
  }
  const histograms = async () => {
    const { resourceMetrics } = await reader.collect()
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)
    return Object.fromEntries(all.map((metric) => [metric.descriptor.name, metric]))
  }
  return { telemetry, spans, span, histograms }
}

const request: ChatRequest = {
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
  maxTokens: 256,
  temperature: 0.2,
  topP: 0.9,
  seed: 7,
  stop: 'END',
}

function response(overrides: Partial<ChatResponse> = {}): ChatResponse {
  return {
    id: 'msg_123',
    text: 'Paris.',
    message: { role: 'assistant', content: 'Paris.' },
    toolCalls: [],
    finishReason: 'stop',
    usage: {
      inputTokens: 1200,
      outputTokens: 40,
      cachedInputTokens: 1000,
      cacheCreationInputTokens: 100,
      reasoningTokens: 10,
    },
    cost: { inputCost: 0.001, outputCost: 0.0006, totalCost: 0.0016, currency: 'USD' },
    warnings: [],
    provider: 'anthropic',
    modelId: 'claude-sonnet-4-5-20250929',
    ...overrides,
  }
}

const anthropicTarget = { id: 'claude', provider: 'anthropic', modelId: 'claude-sonnet-4-5' }
const openaiTarget = { id: 'gpt', provider: 'openai', modelId: 'gpt-4o' }
const bedrockTarget = {
  id: 'claude-bedrock',
  provider: 'bedrock',
  modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
}

/** Every string a span carries: name, attributes, events, status. */
function spanText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
  )
}

describe('router telemetry spans', () => {
  it('records a call span (CLIENT) with GenAI attributes and an attempt span (INTERNAL) under it', () => {
    const { telemetry, span } = setup()
    const call = telemetry.startCall(request, {
      routerId: 'main',
      operation: 'chat',
      streaming: false,
      modelId: 'smart',
    })
    const attempt = call.startAttempt(anthropicTarget, 1)
    attempt.end(response())
    call.end({ ...response(), attempts: 1, targetId: 'claude', fallbacks: 0 })

    const callSpan = span('chat smart')
    expect(callSpan.kind).toBe(SpanKind.CLIENT)
    expect(callSpan.status.code).toBe(SpanStatusCode.UNSET)
    expect(callSpan.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'smart',
      'gen_ai.request.stream': false,
      'gen_ai.output.type': 'text',
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.seed': 7,
      'gen_ai.request.stop_sequences': ['END'],
      'ql.router.id': 'main',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.response.id': 'msg_123',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 40,
      'gen_ai.usage.cache_read.input_tokens': 1000,
      'gen_ai.usage.cache_creation.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 10,
      'ql.router.target.id': 'claude',
      'ql.router.attempts': 1,
      'ql.router.fallbacks': 0,
      'ql.router.cost.usd': 0.0016,
    })

    const attemptSpan = span('chat claude-sonnet-4-5')
    expect(attemptSpan.kind).toBe(SpanKind.INTERNAL)
    expect(attemptSpan.parentSpanContext?.spanId).toBe(callSpan.spanContext().spanId)
    expect(attemptSpan.spanContext().traceId).toBe(callSpan.spanContext().traceId)
    expect(attemptSpan.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'ql.router.target.id': 'claude',
      'ql.router.attempt': 1,
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.response.id': 'msg_123',
      'gen_ai.response.finish_reasons': ['stop'],
    })
    // usage only on the call's span: a backend summing usage over spans counts the answer once
    expect(Object.keys(attemptSpan.attributes).some((key) => key.startsWith('gen_ai.usage.'))).toBe(false)
  })

  it('names Bedrock aws.bedrock, takes the router id as the model by default, and leaves out what is not set', () => {
    const { telemetry, span } = setup()
    const call = telemetry.startCall(
      { messages: [{ role: 'user', content: 'hi' }], responseFormat: { type: 'json' }, stop: ['a', 'b'] },
      { routerId: 'main', operation: 'chat', streaming: true },
    )
    call.startAttempt(bedrockTarget, 1).end(response({ provider: 'bedrock', id: undefined, cost: undefined }))
    const {
      id: _id,
      cost: _cost,
      ...bare
    } = response({ provider: 'bedrock', usage: { inputTokens: 5, outputTokens: 1 } })
    call.end({ ...bare, attempts: 1, targetId: 'claude-bedrock', fallbacks: 0 })
    const callSpan = span('chat main')
    expect(callSpan.attributes['gen_ai.provider.name']).toBe('aws.bedrock')
    expect(callSpan.attributes['gen_ai.output.type']).toBe('json')
    expect(callSpan.attributes['gen_ai.request.stream']).toBe(true)
    expect(callSpan.attributes['gen_ai.request.stop_sequences']).toEqual(['a', 'b'])
    for (const absent of [
      'gen_ai.request.max_tokens',
      'gen_ai.request.temperature',
      'gen_ai.response.id',
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.reasoning.output_tokens',
      'ql.router.cost.usd',
    ]) {
      expect(callSpan.attributes, absent).not.toHaveProperty(absent)
    }
    expect(span(`chat ${bedrockTarget.modelId}`).attributes['gen_ai.provider.name']).toBe('aws.bedrock')
  })

  it('records a failed attempt and a fallback, with error.type and a redacted message', () => {
    const { telemetry, span, spans } = setup()
    const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false })
    const first = call.startAttempt(openaiTarget, 1)
    first.fail(
      createApiCallError({
        status: 429,
        provider: 'openai',
        message: `429 Rate limit reached for key ${OPENAI_KEY} (Authorization: Bearer ${OPENAI_KEY})`,
      }),
    )
    call.startAttempt(anthropicTarget, 2).end(response())
    call.end({ ...response(), attempts: 2, targetId: 'claude', fallbacks: 1 })

    const failed = span('chat gpt-4o')
    expect(failed.attributes['error.type']).toBe('rate_limited')
    expect(failed.attributes['ql.router.attempt']).toBe(1)
    expect(failed.status.code).toBe(SpanStatusCode.ERROR)
    expect(failed.status.message).toMatch(/^rate_limited: 429 Rate limit reached/)
    expect(failed.events).toHaveLength(1)
    expect(failed.events[0]?.name).toBe('exception')
    expect(failed.events[0]?.attributes?.['exception.type']).toBe('RateLimitedError')
    expect(span('chat main').attributes).toMatchObject({ 'ql.router.attempts': 2, 'ql.router.fallbacks': 1 })
    expect(span('chat claude-sonnet-4-5').attributes['ql.router.attempt']).toBe(2)
    expect(spanText(spans())).not.toContain('sk-proj')
  })

  it('records a failed call: error.type, attempts and the last target, never a secret', () => {
    const { telemetry, span, spans } = setup()
    const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false })
    const errors = [
      new TimeoutError({ message: 'attempt timed out after 100 ms', provider: 'openai' }),
      new RateLimitedError({ message: `x-api-key: ${ANTHROPIC_KEY} was throttled`, provider: 'anthropic' }),
    ]
    call.startAttempt(openaiTarget, 1).fail(errors[0])
    call.startAttempt(anthropicTarget, 2).fail(errors[1])
    const error = new AllTargetsFailedError({
      attempts: [
        { targetId: 'gpt', provider: 'openai', modelId: 'gpt-4o', at: 0, error: errors[0] as TimeoutError },
        {
          targetId: 'claude',
          provider: 'anthropic',
          modelId: 'claude-sonnet-4-5',
          at: 0,
          error: errors[1] as RateLimitedError,
        },
      ],
    })
    call.fail(error, 2)
    const callSpan = span('chat main')
    expect(callSpan.attributes).toMatchObject({
      'error.type': 'all_targets_failed',
      'ql.router.attempts': 2,
      'gen_ai.provider.name': 'anthropic',
      'ql.router.target.id': 'claude',
    })
    expect(callSpan.status.code).toBe(SpanStatusCode.ERROR)
    expect(span('chat gpt-4o').attributes['error.type']).toBe('timeout')
    const text = spanText(spans())
    expect(text).not.toContain(ANTHROPIC_KEY)
    expect(text).not.toContain('sk-ant')
    expect(text).toContain('[REDACTED]')
  })

  it('never puts a plain error stack, cause or header on a span', () => {
    const { telemetry, spans } = setup()
    const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false })
    const error = new Error(`connect failed: Authorization: Bearer ${OPENAI_KEY}`, {
      cause: new Error(`key=${OPENAI_KEY}`),
    })
    call.startAttempt(openaiTarget, 1).fail(error)
    call.fail(error, 1)
    const text = spanText(spans())
    expect(text).not.toContain(OPENAI_KEY)
    expect(text).not.toMatch(/\s{2,}at |\.ts:\d+/) // no stack frames
    expect(text).not.toContain('cause')
    expect(spans().every((s) => s.attributes['error.type'] === '_OTHER')).toBe(true)
  })

  it('ends each span once: a second end or fail is ignored', () => {
    const { telemetry, spans } = setup()
    const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false })
    const attempt = call.startAttempt(openaiTarget, 1)
    attempt.end(response({ provider: 'openai', modelId: 'gpt-4o-2024-08-06' }))
    attempt.fail(new Error('late'))
    attempt.end(response())
    attempt.firstToken()
    call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    call.fail(new Error('late'), 1)
    call.end({ ...response(), attempts: 9, targetId: 'x', fallbacks: 9 })
    expect(spans()).toHaveLength(2)
    expect(spans().every((s) => s.status.code === SpanStatusCode.UNSET)).toBe(true)
    expect(spans().find((s) => s.name === 'chat main')?.attributes['ql.router.attempts']).toBe(1)
  })

  it('records time to first chunk on the attempt and the call, once', () => {
    const { telemetry, span } = setup()
    const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: true })
    const attempt = call.startAttempt(openaiTarget, 1)
    attempt.firstToken()
    attempt.firstToken()
    attempt.end(response())
    call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    const attemptSeconds = span('chat gpt-4o').attributes['gen_ai.response.time_to_first_chunk']
    const callSeconds = span('chat main').attributes['gen_ai.response.time_to_first_chunk']
    expect(typeof attemptSeconds).toBe('number')
    expect(callSeconds as number).toBeGreaterThanOrEqual(attemptSeconds as number)
  })
})

describe('router telemetry content capture', () => {
  const toolRequest: ChatRequest = {
    system: 'You help with the weather.',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: `my key is ${ANTHROPIC_KEY}` },
          { type: 'image', image: 'https://example.com/sky.png' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'need weather' },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', output: { celsius: 21 } }] },
      { role: 'user', content: [{ type: 'image', image: 'aGVsbG8=', mediaType: 'image/png' }] },
    ],
    tools: [
      {
        name: 'weather',
        description: 'Weather for a city',
        inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ],
  }

  it('records no prompt, answer or tool definitions by default', () => {
    const { telemetry, spans } = setup()
    const call = telemetry.startCall(toolRequest, { routerId: 'main', operation: 'chat', streaming: false })
    call.startAttempt(openaiTarget, 1).end(response())
    call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    const text = spanText(spans())
    for (const absent of [
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'gen_ai.system_instructions',
      'gen_ai.tool.definitions',
      'Paris',
      'weather',
    ]) {
      expect(text).not.toContain(absent)
    }
  })

  it('records them in the conventions’ message format when captureContent is on, secrets redacted', () => {
    const { telemetry, span } = setup({ captureContent: true })
    const call = telemetry.startCall(toolRequest, { routerId: 'main', operation: 'chat', streaming: false })
    call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    const attributes = span('chat main').attributes
    expect(JSON.parse(attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'You help with the weather.' },
    ])
    expect(JSON.parse(attributes['gen_ai.input.messages'] as string)).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'my key is [REDACTED]' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/sky.png' },
        ],
      },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'need weather' },
          { type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Paris' } },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: { celsius: 21 } }] },
      { role: 'user', parts: [{ type: 'blob', modality: 'image', mime_type: 'image/png' }] },
    ])
    expect(JSON.parse(attributes['gen_ai.tool.definitions'] as string)).toEqual([
      {
        type: 'function',
        name: 'weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ])
    expect(JSON.parse(attributes['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' },
    ])
    expect(JSON.stringify(attributes)).not.toContain('aGVsbG8=')
  })
})

describe('router telemetry metrics', () => {
  it('records operation duration and token usage per call, with the advised buckets', async () => {
    const { telemetry, histograms } = setup()
    const ok = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false })
    ok.startAttempt(anthropicTarget, 1).end(response())
    ok.end({ ...response(), attempts: 1, targetId: 'claude', fallbacks: 0 })
    const failed = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false })
    failed.startAttempt(openaiTarget, 1).fail(new TimeoutError({ message: 'slow' }))
    failed.fail(new TimeoutError({ message: 'slow' }), 1)

    const all = await histograms()
    const duration = all['gen_ai.client.operation.duration']
    expect(duration?.descriptor.unit).toBe('s')
    expect(duration?.dataPointType).toBe(DataPointType.HISTOGRAM)
    const durationPoints = duration?.dataPoints ?? []
    expect(durationPoints).toHaveLength(2)
    const success = durationPoints.find((p) => p.attributes['error.type'] === undefined)
    expect(success?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'main',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'ql.router.target.id': 'claude',
    })
    expect((success?.value as Histogram | undefined)?.buckets.boundaries).toEqual(names.DURATION_BUCKETS)
    const failure = durationPoints.find((p) => p.attributes['error.type'] === 'timeout')
    expect(failure?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'main',
      'gen_ai.provider.name': 'openai',
      'error.type': 'timeout',
    })

    const tokens = all['gen_ai.client.token.usage']
    expect(tokens?.descriptor.unit).toBe('{token}')
    const byType = Object.fromEntries(
      (tokens?.dataPoints ?? []).map((p) => [p.attributes['gen_ai.token.type'], p.value as Histogram]),
    )
    expect(byType.input?.sum).toBe(1200)
    expect(byType.output?.sum).toBe(40)
    expect(byType.input?.buckets.boundaries).toEqual(names.TOKEN_BUCKETS)
    expect(all['gen_ai.client.operation.time_to_first_chunk']?.dataPoints ?? []).toHaveLength(0)
  })

  it('records time to first chunk once per streamed call', async () => {
    const { telemetry, histograms } = setup()
    const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: true })
    const attempt = call.startAttempt(openaiTarget, 1)
    attempt.firstToken()
    attempt.firstToken()
    attempt.end(response())
    call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    const ttfc = (await histograms())['gen_ai.client.operation.time_to_first_chunk']
    expect(ttfc?.descriptor.unit).toBe('s')
    expect((ttfc?.dataPoints[0]?.value as Histogram | undefined)?.count).toBe(1)
  })
})

describe('router telemetry without an SDK', () => {
  afterEach(() => {
    trace.disable()
    metrics.disable()
  })

  it('builds no attributes and records nothing when the global API is a no-op', () => {
    let reads = 0
    const counted = new Proxy(request, {
      get(target, key, receiver) {
        reads++
        return Reflect.get(target, key, receiver)
      },
    })
    const telemetry = createRouterTelemetry()
    const call = telemetry.startCall(counted, { routerId: 'main', operation: 'chat', streaming: true })
    const attempt = call.startAttempt(openaiTarget, 1)
    attempt.firstToken()
    attempt.end(response())
    call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    const failed = telemetry.startCall(counted, { routerId: 'main', operation: 'chat', streaming: false })
    failed.startAttempt(openaiTarget, 1).fail(new Error('x'))
    failed.fail(new Error('x'), 1)
    expect(reads).toBe(0)
    expect(call.withActiveSpan(() => 42)).toBe(42)
  })

  it('makes no attempt spans for a sampled-out call, and still records its metrics', async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({
      sampler: new AlwaysOffSampler(),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    })
    const reader = new TestMetricReader()
    const telemetry = createRouterTelemetry({
      tracer: provider.getTracer('t'),
      meter: new MeterProvider({ readers: [reader] }).getMeter('t'),
    })
    const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: true })
    const attempt = call.startAttempt(openaiTarget, 1)
    attempt.firstToken()
    expect(attempt.withActiveSpan(() => 'ran')).toBe('ran')
    attempt.end(response())
    attempt.fail(new Error('ignored'))
    call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    expect(exporter.getFinishedSpans()).toHaveLength(0)
    const { resourceMetrics } = await reader.collect()
    const recorded = resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((m) => m.descriptor.name),
    )
    expect(recorded.sort()).toEqual([
      'gen_ai.client.operation.duration',
      'gen_ai.client.operation.time_to_first_chunk',
      'gen_ai.client.token.usage',
    ])
  })

  it('treats a given no-op meter as off', () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
    const telemetry = createRouterTelemetry({ tracer: provider.getTracer('t'), meter: createNoopMeter() })
    const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false })
    call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    expect(exporter.getFinishedSpans()).toHaveLength(1)
  })

  it('picks up an SDK the host registers after the router was created', async () => {
    const telemetry = createRouterTelemetry()
    telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false }).end({
      ...response(),
      attempts: 1,
      targetId: 'gpt',
      fallbacks: 0,
    })
    const exporter = new InMemorySpanExporter()
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    )
    const reader = new TestMetricReader()
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
    telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false }).end({
      ...response(),
      attempts: 1,
      targetId: 'gpt',
      fallbacks: 0,
    })
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['chat main'])
    const { resourceMetrics } = await reader.collect()
    const names = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name))
    expect(names).toContain('gen_ai.client.operation.duration')
    expect(resourceMetrics.scopeMetrics[0]?.scope.name).toBe('@ql/router')
  })
})

describe('router telemetry context', () => {
  let manager: StackContextManager
  beforeEach(() => {
    manager = new StackContextManager()
    context.setGlobalContextManager(manager)
  })
  afterEach(() => {
    context.disable()
  })

  it('nests spans made inside withActiveSpan under the attempt, and attempts under the caller’s span', () => {
    const { telemetry, span } = setup()
    const tracer = new BasicTracerProvider().getTracer('app')
    const appSpan = tracer.startSpan('handle request')
    let inner: ReturnType<typeof tracer.startSpan> | undefined
    context.with(trace.setSpan(context.active(), appSpan), () => {
      const call = telemetry.startCall(request, { routerId: 'main', operation: 'chat', streaming: false })
      const attempt = call.startAttempt(openaiTarget, 1)
      attempt.withActiveSpan(() => {
        inner = tracer.startSpan('POST /v1/chat/completions')
        expect(call.withActiveSpan(() => trace.getActiveSpan())).toBeDefined()
      })
      inner?.end()
      attempt.end(response())
      call.end({ ...response(), attempts: 1, targetId: 'gpt', fallbacks: 0 })
    })
    const callSpan = span('chat main')
    expect(callSpan.parentSpanContext?.spanId).toBe(appSpan.spanContext().spanId)
    const attemptSpan = span('chat gpt-4o')
    expect((inner as unknown as ReadableSpan).parentSpanContext?.spanId).toBe(
      attemptSpan.spanContext().spanId,
    )
  })
})

describe('telemetry names', () => {
  it('match the OpenTelemetry semantic conventions package', () => {
    expect(names.GEN_AI_OPERATION_NAME).toBe(semconv.ATTR_GEN_AI_OPERATION_NAME)
    expect(names.GEN_AI_PROVIDER_NAME).toBe(semconv.ATTR_GEN_AI_PROVIDER_NAME)
    expect(names.GEN_AI_REQUEST_MODEL).toBe(semconv.ATTR_GEN_AI_REQUEST_MODEL)
    expect(names.GEN_AI_REQUEST_STREAM).toBe(semconv.ATTR_GEN_AI_REQUEST_STREAM)
    expect(names.GEN_AI_REQUEST_MAX_TOKENS).toBe(semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS)
    expect(names.GEN_AI_REQUEST_TEMPERATURE).toBe(semconv.ATTR_GEN_AI_REQUEST_TEMPERATURE)
    expect(names.GEN_AI_REQUEST_TOP_P).toBe(semconv.ATTR_GEN_AI_REQUEST_TOP_P)
    expect(names.GEN_AI_REQUEST_SEED).toBe(semconv.ATTR_GEN_AI_REQUEST_SEED)
    expect(names.GEN_AI_REQUEST_STOP_SEQUENCES).toBe(semconv.ATTR_GEN_AI_REQUEST_STOP_SEQUENCES)
    expect(names.GEN_AI_OUTPUT_TYPE).toBe(semconv.ATTR_GEN_AI_OUTPUT_TYPE)
    expect(names.GEN_AI_RESPONSE_MODEL).toBe(semconv.ATTR_GEN_AI_RESPONSE_MODEL)
    expect(names.GEN_AI_RESPONSE_ID).toBe(semconv.ATTR_GEN_AI_RESPONSE_ID)
    expect(names.GEN_AI_RESPONSE_FINISH_REASONS).toBe(semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS)
    expect(names.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK).toBe(semconv.ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK)
    expect(names.GEN_AI_USAGE_INPUT_TOKENS).toBe(semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS)
    expect(names.GEN_AI_USAGE_OUTPUT_TOKENS).toBe(semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS)
    expect(names.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS).toBe(semconv.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS)
    expect(names.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS).toBe(
      semconv.ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
    )
    expect(names.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS).toBe(semconv.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS)
    expect(names.GEN_AI_TOKEN_TYPE).toBe(semconv.ATTR_GEN_AI_TOKEN_TYPE)
    expect(names.GEN_AI_INPUT_MESSAGES).toBe(semconv.ATTR_GEN_AI_INPUT_MESSAGES)
    expect(names.GEN_AI_OUTPUT_MESSAGES).toBe(semconv.ATTR_GEN_AI_OUTPUT_MESSAGES)
    expect(names.GEN_AI_SYSTEM_INSTRUCTIONS).toBe(semconv.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS)
    expect(names.GEN_AI_TOOL_DEFINITIONS).toBe(semconv.ATTR_GEN_AI_TOOL_DEFINITIONS)
    expect(names.ERROR_TYPE).toBe(semconv.ATTR_ERROR_TYPE)
    expect(names.METRIC_OPERATION_DURATION).toBe(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION)
    expect(names.METRIC_TOKEN_USAGE).toBe(semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE)
    expect(names.METRIC_TIME_TO_FIRST_CHUNK).toBe(semconv.METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK)
    expect(names.genAiProviderName('bedrock')).toBe(semconv.GEN_AI_PROVIDER_NAME_VALUE_AWS_BEDROCK)
    expect(names.genAiProviderName('openai')).toBe(semconv.GEN_AI_PROVIDER_NAME_VALUE_OPENAI)
    expect(names.genAiProviderName('anthropic')).toBe(semconv.GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC)
    expect(names.genAiProviderName('my-vllm')).toBe('my-vllm')
  })
})

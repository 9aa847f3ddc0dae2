import { type ChatRequest, type ChatStreamEvent, isQlError, type QlError } from '@ql/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { anthropic, createAnthropic } from '../src/anthropic/index'
import { type FakeStep, startFakeProvider } from '../src/testing/index'

const KEY = 'sk-ant-test-key-0123456789abcdef'
const MODEL = 'claude-test'

async function fakeAnthropic(script: FakeStep[], settings: Parameters<typeof createAnthropic>[0] = {}) {
  const fake = await startFakeProvider({ protocol: 'anthropic', script })
  const model = createAnthropic({ apiKey: KEY, baseURL: fake.baseURL, ...settings }).chat(MODEL)
  return Object.assign(fake, { model })
}

async function failure(promise: Promise<unknown>): Promise<QlError> {
  try {
    await promise
  } catch (error) {
    if (!isQlError(error)) throw error
    return error
  }
  throw new Error('expected the call to fail')
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

const body = (fake: { requests: { body: unknown }[] }, index = 0) =>
  fake.requests[index]?.body as Record<string, unknown>

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('createAnthropic', () => {
  it('has a default instance that names its provider and model', () => {
    const model = anthropic.chat('claude-sonnet-4-5')
    expect(model).toMatchObject({
      specificationVersion: 'v1',
      provider: 'anthropic',
      modelId: 'claude-sonnet-4-5',
    })
  })

  it('sends the key (as a bearer token, the SDK 1.x way), the settings headers and the call headers', async () => {
    await using fake = await fakeAnthropic([{ text: 'ok' }], {
      headers: { 'x-team': 'search' },
      openTelemetry: false,
    })
    await fake.model.generate(
      { messages: [{ role: 'user', content: 'Hi' }] },
      { headers: { 'x-trace-id': 't-1' } },
    )
    const headers = fake.requests[0]?.headers ?? {}
    expect(headers.authorization).toBe(`Bearer ${KEY}`)
    expect(headers['x-team']).toBe('search')
    expect(headers['x-trace-id']).toBe('t-1')
    expect(headers['anthropic-version']).toBeTypeOf('string')
    expect(fake.requests[0]?.path).toBe('/v1/messages')
  })

  it('reads ANTHROPIC_API_KEY when no key is given', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-from-env-0123456789')
    await using fake = await startFakeProvider({ protocol: 'anthropic', script: [{ text: 'ok' }] })
    await createAnthropic({ baseURL: fake.baseURL })
      .chat(MODEL)
      .generate({ messages: [{ role: 'user', content: 'Hi' }] })
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-ant-from-env-0123456789')
  })

  it('calls a key function before every request, so keys rotate', async () => {
    const keys = ['sk-ant-rotated-key-one-0001', 'sk-ant-rotated-key-two-0002']
    let calls = 0
    await using fake = await fakeAnthropic([{ text: 'a' }, { text: 'b' }], {
      apiKey: async () => keys[calls++] ?? '',
    })
    await fake.model.generate({ messages: [{ role: 'user', content: 'Hi' }] })
    await collect(fake.model.stream({ messages: [{ role: 'user', content: 'Hi' }] }))
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(keys.map((key) => `Bearer ${key}`))
  })

  it('fails with AuthenticationError, before any request, when there is no key', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '')
    await using fake = await startFakeProvider({ protocol: 'anthropic', script: [] })
    const model = createAnthropic({ baseURL: fake.baseURL }).chat(MODEL)
    const error = await failure(model.generate({ messages: [{ role: 'user', content: 'Hi' }] }))
    expect(error.code).toBe('authentication')
    expect(error.message).toContain('ANTHROPIC_API_KEY')
    const streamed = await failure(collect(model.stream({ messages: [{ role: 'user', content: 'Hi' }] })))
    expect(streamed.code).toBe('authentication')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('the request', () => {
  it('hoists leading system messages, keeps later ones in place, and merges same-role turns', async () => {
    await using fake = await fakeAnthropic([{ text: 'ok' }])
    await fake.model.generate({
      system: 'Be brief.',
      messages: [
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'Hi' },
        { role: 'user', content: [{ type: 'text', text: 'Still there?' }] },
        { role: 'assistant', content: '' },
        { role: 'system', content: 'Now answer in French.' },
        { role: 'user', content: 'Bye' },
      ],
      stop: 'END',
      maxTokens: 100,
    })
    expect(body(fake)).toEqual({
      model: MODEL,
      max_tokens: 100,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Answer in English.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi' },
            { type: 'text', text: 'Still there?' },
          ],
        },
        { role: 'system', content: [{ type: 'text', text: 'Now answer in French.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Bye' }] },
      ],
      stop_sequences: ['END'],
      stream: false,
    })
  })

  it('sends images as URL or base64 sources, and rejects an unknown media type before calling', async () => {
    await using fake = await fakeAnthropic([{ text: 'a cat' }])
    const png = new Uint8Array([137, 80, 78, 71])
    await fake.model.generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', image: 'https://example.com/cat.png' },
            { type: 'image', image: 'data:image/jpeg;base64,/9j/AA==' },
            { type: 'image', image: png, mediaType: 'image/png' },
            { type: 'image', image: 'R0lGOD==', mediaType: 'image/gif' },
            { type: 'image', image: '/9j/AA==', mediaType: 'image/jpg' },
          ],
        },
      ],
    })
    expect((body(fake).messages as { content: unknown[] }[])[0]?.content).toEqual([
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/AA==' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw==' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lGOD==' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/AA==' } },
    ])
    const error = await failure(
      fake.model.generate({
        messages: [{ role: 'user', content: [{ type: 'image', image: png, mediaType: 'image/bmp' }] }],
      }),
    )
    expect(error.code).toBe('invalid_request')
    expect(error.message).toContain('messages[0].content[0]')
    expect(fake.requests).toHaveLength(1)
  })

  it.each([
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
    [
      { type: 'tool', toolName: 'get_time' },
      { type: 'tool', name: 'get_time' },
    ],
  ] as const)('maps toolChoice %j to %j', async (toolChoice, expected) => {
    await using fake = await fakeAnthropic([{ text: 'ok' }])
    await fake.model.generate({
      messages: [{ role: 'user', content: 'Time?' }],
      tools: [{ name: 'get_time', inputSchema: z.object({ zone: z.string() }) }],
      toolChoice,
    })
    expect(body(fake).tool_choice).toEqual(expected)
    expect(body(fake).tools).toEqual([
      {
        name: 'get_time',
        input_schema: {
          type: 'object',
          properties: { zone: { type: 'string' } },
          required: ['zone'],
        },
      },
    ])
  })

  it('disables parallel tool use through providerOptions', async () => {
    await using fake = await fakeAnthropic([{ text: 'ok' }])
    await fake.model.generate({
      messages: [{ role: 'user', content: 'Time?' }],
      tools: [{ name: 'get_time', inputSchema: { type: 'object', properties: {} } }],
      providerOptions: { anthropic: { disableParallelToolUse: true } },
    })
    expect(body(fake).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
  })

  it('sets cache_control breakpoints on system, messages, parts, tools and the request', async () => {
    const ephemeral = { anthropic: { cacheControl: { type: 'ephemeral' } } }
    await using fake = await fakeAnthropic([{ text: 'ok' }])
    await fake.model.generate({
      messages: [
        { role: 'system', content: 'Long instructions.', providerOptions: ephemeral },
        {
          role: 'user',
          content: [
            {
              type: 'text',
              text: 'A long document.',
              providerOptions: { anthropic: { cacheControl: { type: 'ephemeral', ttl: '1h' } } },
            },
            { type: 'text', text: 'The question.' },
          ],
        },
        { role: 'assistant', content: 'An answer.', providerOptions: ephemeral },
        { role: 'user', content: 'Next?' },
      ],
      tools: [
        { name: 'search', inputSchema: { type: 'object', properties: {} }, providerOptions: ephemeral },
      ],
      providerOptions: { anthropic: { cache_control: { type: 'ephemeral' } } },
    })
    const sent = body(fake)
    expect(sent.system).toEqual([
      { type: 'text', text: 'Long instructions.', cache_control: { type: 'ephemeral' } },
    ])
    expect(sent.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'A long document.', cache_control: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'The question.' },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'An answer.', cache_control: { type: 'ephemeral' } }],
      },
      { role: 'user', content: [{ type: 'text', text: 'Next?' }] },
    ])
    expect((sent.tools as Record<string, unknown>[])[0]?.cache_control).toEqual({ type: 'ephemeral' })
    expect(sent.cache_control).toEqual({ type: 'ephemeral' })
  })

  it('rejects a malformed cache breakpoint before calling', async () => {
    await using fake = await fakeAnthropic([])
    const error = await failure(
      fake.model.generate({
        messages: [
          {
            role: 'user',
            content: 'Hi',
            providerOptions: { anthropic: { cacheControl: { type: 'forever' } } },
          },
        ],
      }),
    )
    expect(error.code).toBe('invalid_request')
    expect(error.message).toContain('cacheControl')
    expect(fake.requests).toHaveLength(0)
  })

  it('warns about every setting it leaves out, and forwards the user id', async () => {
    await using fake = await fakeAnthropic([{ text: 'ok' }])
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.3,
      topP: 0.9,
      seed: 7,
      metadata: { userId: 'user-42', tenant: 'acme' },
      providerOptions: { anthropic: { topK: 5, unknownKnob: true }, openai: { ignored: true } },
    }
    const response = await fake.model.generate(request)
    expect(response.warnings.map((w) => (w.type === 'unsupported-setting' ? w.setting : w.message))).toEqual([
      'providerOptions.anthropic.unknownKnob',
      'temperature',
      'topP',
      'providerOptions.anthropic.topK',
      'seed',
      'metadata.tenant',
    ])
    expect(body(fake)).toMatchObject({ metadata: { user_id: 'user-42' } })
    expect(body(fake)).not.toHaveProperty('temperature')
    expect(body(fake)).not.toHaveProperty('top_p')
    expect(body(fake)).not.toHaveProperty('top_k')

    fake.enqueue({ text: 'ok' })
    const stream = fake.model.stream(request)
    await collect(stream)
    expect((await stream.response).warnings).toEqual(response.warnings)
  })

  it('enables extended thinking with the budget on top of maxTokens, and effort', async () => {
    await using fake = await fakeAnthropic([{ text: 'ok' }, { text: 'ok' }])
    await fake.model.generate({
      messages: [{ role: 'user', content: 'Think.' }],
      maxTokens: 1000,
      providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 2048 }, effort: 'high' } },
    })
    expect(body(fake)).toMatchObject({
      max_tokens: 3048,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      output_config: { effort: 'high' },
    })
    await fake.model.generate({
      messages: [{ role: 'user', content: 'Think.' }],
      providerOptions: { anthropic: { thinking: { type: 'adaptive' }, serviceTier: 'standard_only' } },
    })
    expect(body(fake, 1)).toMatchObject({
      max_tokens: 4096,
      thinking: { type: 'adaptive' },
      service_tier: 'standard_only',
    })
  })

  it.each([
    [{ thinking: { type: 'enabled' } }, 'budgetTokens'],
    [{ thinking: 'on' }, 'thinking'],
  ])('rejects bad thinking options %j before calling', async (options, mentioned) => {
    await using fake = await fakeAnthropic([])
    const error = await failure(
      fake.model.generate({
        messages: [{ role: 'user', content: 'Hi' }],
        providerOptions: { anthropic: options },
      }),
    )
    expect(error.code).toBe('invalid_request')
    expect(error.message).toContain(mentioned)
    expect(fake.requests).toHaveLength(0)
  })

  it('rejects JSON output without a schema with UnsupportedFeatureError, before calling', async () => {
    await using fake = await fakeAnthropic([])
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'JSON please' }],
      responseFormat: { type: 'json' },
    }
    expect((await failure(fake.model.generate(request))).code).toBe('unsupported_feature')
    expect((await failure(collect(fake.model.stream(request)))).code).toBe('unsupported_feature')
    expect(fake.requests).toHaveLength(0)
  })

  it('sends a large maxTokens without streaming (the SDK would refuse it under its own timeout)', async () => {
    await using fake = await fakeAnthropic([{ text: 'long' }])
    const response = await fake.model.generate({
      messages: [{ role: 'user', content: 'Write a book.' }],
      maxTokens: 64_000,
    })
    expect(response.text).toBe('long')
    expect(body(fake).max_tokens).toBe(64_000)
  })

  it('rejects an invalid request with the field path, before calling', async () => {
    await using fake = await fakeAnthropic([])
    const error = await failure(fake.model.generate({ messages: [] }))
    expect(error.code).toBe('invalid_request')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('tool calls across providers', () => {
  it('rewrites tool-call ids Anthropic rejects, the same way in the call and its result', async () => {
    await using fake = await fakeAnthropic([{ text: 'done' }])
    const foreignId = 'call:abc/123'
    await fake.model.generate({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', toolCallId: foreignId, toolName: 'get_weather', input: { city: 'Oslo' } },
            {
              type: 'tool-call',
              toolCallId: 'toolu_ok-1',
              toolName: 'get_weather',
              input: { city: 'Bergen' },
            },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: foreignId, output: 'sunny' },
            { type: 'tool-result', toolCallId: 'toolu_ok-1', output: { error: 'no data' }, isError: true },
          ],
        },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [
        { name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
    })
    const messages = body(fake).messages as { role: string; content: Record<string, unknown>[] }[]
    const toolUse = messages[1]?.content[1]
    const result = messages[2]?.content[0]
    expect(toolUse?.id).toMatch(/^[a-zA-Z0-9_-]+$/)
    expect(toolUse?.id).toBe(result?.tool_use_id)
    expect(messages[1]?.content[2]?.id).toBe('toolu_ok-1')
    // the tool results and the next user message share one user turn, results first
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(messages[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: toolUse?.id, content: 'sunny' },
      { type: 'tool_result', tool_use_id: 'toolu_ok-1', content: '{"error":"no data"}', is_error: true },
      { type: 'text', text: 'And tomorrow?' },
    ])
  })

  it('streams a tool call without arguments as an empty object', async () => {
    await using fake = await fakeAnthropic([{ toolCalls: [{ id: 'toolu_1', name: 'now', input: {} }] }])
    const events = await collect(
      fake.model.stream({
        messages: [{ role: 'user', content: 'Time?' }],
        tools: [{ name: 'now', inputSchema: { type: 'object' } }],
      }),
    )
    expect(events.find((e) => e.type === 'tool-call')).toEqual({
      type: 'tool-call',
      toolCall: { id: 'toolu_1', name: 'now', input: {} },
    })
  })
})

describe('reasoning', () => {
  it.each(['generate', 'stream'] as const)(
    'round-trips thinking with its signature before the tool call (%s)',
    async (mode) => {
      await using fake = await fakeAnthropic([
        {
          reasoning: { text: 'The user wants weather.', signature: 'sig-abc' },
          toolCalls: [{ id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }],
          usage: { inputTokens: 50, outputTokens: 30, reasoningTokens: 12 },
        },
        { text: 'Sunny.' },
      ])
      const first: ChatRequest = {
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
        tools: [
          { name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
        ],
        providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } } },
      }
      const response =
        mode === 'generate' ? await fake.model.generate(first) : await fake.model.stream(first).response
      expect(response.reasoning).toBe('The user wants weather.')
      expect(response.usage.reasoningTokens).toBe(12)
      expect(response.message.content).toEqual([
        { type: 'reasoning', text: 'The user wants weather.', signature: 'sig-abc' },
        { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Oslo' } },
      ])
      await fake.model.generate({
        ...first,
        messages: [
          ...first.messages,
          response.message,
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', output: 'sunny' }] },
        ],
      })
      expect((body(fake, 1).messages as { content: unknown[] }[])[1]?.content).toEqual([
        { type: 'thinking', thinking: 'The user wants weather.', signature: 'sig-abc' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
      ])
    },
  )

  it('sends redacted reasoning back as redacted_thinking, and drops unsigned reasoning with a warning', async () => {
    await using fake = await fakeAnthropic([{ text: 'ok' }])
    const response = await fake.model.generate({
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: '', data: 'ENCRYPTED==' },
            { type: 'reasoning', text: 'thoughts from another provider' },
            { type: 'text', text: 'Hello' },
          ],
        },
        { role: 'user', content: 'Go on' },
      ],
    })
    expect((body(fake).messages as { content: unknown[] }[])[1]?.content).toEqual([
      { type: 'redacted_thinking', data: 'ENCRYPTED==' },
      { type: 'text', text: 'Hello' },
    ])
    expect(response.warnings).toEqual([
      {
        type: 'other',
        message: expect.stringContaining('messages[1].content[1]: reasoning without an Anthropic signature'),
      },
    ])
  })
})

describe('usage and finish', () => {
  it.each(['generate', 'stream'] as const)(
    'adds cache reads into inputTokens and keeps them apart (%s)',
    async (mode) => {
      await using fake = await fakeAnthropic([
        { text: 'ok', usage: { inputTokens: 500, outputTokens: 7, cachedInputTokens: 400 } },
      ])
      const request: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] }
      const response =
        mode === 'generate' ? await fake.model.generate(request) : await fake.model.stream(request).response
      expect(response.usage).toEqual({
        inputTokens: 500,
        outputTokens: 7,
        cachedInputTokens: 400,
        cacheCreationInputTokens: 0,
      })
      expect(response.id).toBe('msg_fake_1')
    },
  )

  it('reports usage events while streaming: input first, then the final counts', async () => {
    await using fake = await fakeAnthropic([{ text: 'ok', usage: { inputTokens: 20, outputTokens: 4 } }])
    const events = await collect(fake.model.stream({ messages: [{ role: 'user', content: 'Hi' }] }))
    const usages = events.flatMap((e) => (e.type === 'usage' ? [e.usage] : []))
    expect(usages[0]).toMatchObject({ inputTokens: 20, outputTokens: 0 })
    expect(usages.at(-1)).toMatchObject({ inputTokens: 20, outputTokens: 4 })
  })
})

describe('errors', () => {
  const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] }

  it.each([
    [529, undefined, 'overloaded', true],
    [403, 'permission_error', 'authentication', false],
    [413, 'request_too_large', 'invalid_request', false],
    [400, 'invalid_request_error', 'invalid_request', false],
    [404, 'not_found_error', 'invalid_request', false],
    [503, 'api_error', 'unavailable', true],
  ] as const)('HTTP %i %s → %s (retryable: %s)', async (status, errorType, code, retryable) => {
    await using fake = await fakeAnthropic([
      { fault: { type: 'http', status, ...(errorType ? { errorType } : {}) } },
    ])
    const error = await failure(fake.model.generate(hello))
    expect(error).toMatchObject({ code, retryable, status, provider: 'anthropic', modelId: MODEL })
    expect(error.responseBody).toContain('"type":"error"')
  })

  it('reads retryAfterMs from anthropic-ratelimit-*-reset', async () => {
    const reset = new Date(Date.now() + 30_000).toISOString()
    await using fake = await fakeAnthropic([
      {
        fault: {
          type: 'http',
          status: 429,
          headers: { 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': reset },
        },
      },
    ])
    const error = await failure(fake.model.generate(hello))
    expect(error.code).toBe('rate_limited')
    expect(error.retryAfterMs).toBeGreaterThan(25_000)
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000)
  })

  it.each([
    ['rate_limit_error', 'slow down', 'rate_limited', true],
    ['api_error', 'internal', 'unavailable', true],
    ['timeout_error', 'took too long', 'unavailable', true],
    [
      'invalid_request_error',
      'prompt is too long: 300000 tokens > 200000 maximum',
      'context_length_exceeded',
      false,
    ],
    ['invalid_request_error', 'bad field', 'invalid_request', false],
    ['permission_error', 'no', 'authentication', false],
  ] as const)('an SSE error event %s (%s) → %s', async (errorType, message, code, retryable) => {
    await using fake = await fakeAnthropic([
      { text: 'Hello world', fault: { type: 'error-event', afterChunks: 3, errorType, message } },
    ])
    const stream = fake.model.stream(hello)
    const events: ChatStreamEvent[] = []
    const error = await failure(
      (async () => {
        for await (const event of stream) events.push(event)
      })(),
    )
    expect(error).toMatchObject({ code, retryable, provider: 'anthropic' })
    expect(error.status).toBeUndefined()
    expect(events.some((e) => e.type === 'text-delta')).toBe(true)
    await expect(stream.response).rejects.toBe(error)
  })

  it('redacts the key from messages, bodies and causes when the provider echoes it', async () => {
    await using fake = await fakeAnthropic([
      { fault: { type: 'http', status: 400, message: `bad key ${KEY} in request` } },
      {
        text: 'Hello',
        fault: { type: 'error-event', afterChunks: 2, errorType: 'api_error', message: `echo ${KEY}` },
      },
    ])
    const errors = [
      await failure(fake.model.generate(hello)),
      await failure(collect(fake.model.stream(hello))),
    ]
    for (const error of errors) {
      expect(JSON.stringify(error.toJSON())).not.toContain(KEY)
      expect(String((error.cause as Error).message)).not.toContain(KEY)
      expect(error.message).toContain('[REDACTED]')
    }
  })

  it('a non-streaming body cut in half → InvalidResponseError', async () => {
    await using fake = await fakeAnthropic([
      { text: 'Hello world', fault: { type: 'truncate', afterChunks: 0 } },
    ])
    const error = await failure(fake.model.generate(hello))
    expect(error.code).toBe('invalid_response')
  })

  it('a connection refused → UnavailableError', async () => {
    const fake = await startFakeProvider({ protocol: 'anthropic' })
    const baseURL = fake.baseURL
    await fake.close()
    const model = createAnthropic({ apiKey: KEY, baseURL }).chat(MODEL)
    const error = await failure(model.generate(hello))
    expect(error).toMatchObject({ code: 'unavailable', retryable: true })
  })
})

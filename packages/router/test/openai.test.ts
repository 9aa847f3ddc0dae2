import {
  type ChatRequest,
  type ChatStreamEvent,
  InvalidRequestError,
  isQlError,
  type QlError,
  UnsupportedFeatureError,
} from '@ql/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createOpenAI, openai } from '../src/openai/index'
import { type FakeProvider, type FakeStep, startFakeProvider } from '../src/testing/index'

const KEY = 'openai-test-key-1234567'
const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] }

afterEach(() => {
  vi.unstubAllEnvs()
})

async function startOpenAI(script: FakeStep[]): Promise<FakeProvider> {
  return startFakeProvider({ protocol: 'openai', script })
}

const bodyOf = (fake: FakeProvider, index = 0) => fake.requests[index]?.body as Record<string, unknown>

async function failureOf(promise: Promise<unknown>): Promise<QlError> {
  try {
    await promise
  } catch (error) {
    if (isQlError(error)) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

describe('createOpenAI', () => {
  it('makes Chat Completions models with provider and model id', () => {
    const model = createOpenAI({ apiKey: KEY }).chat('gpt-4o')
    expect(model).toMatchObject({ specificationVersion: 'v1', provider: 'openai', modelId: 'gpt-4o' })
    expect(openai.chat('gpt-4o-mini').provider).toBe('openai')
    expect(createOpenAI({ name: 'azure-proxy' }).chat('x').provider).toBe('azure-proxy')
  })

  it('sends the key from settings as a bearer token, with settings headers, organization and project', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }])
    const model = createOpenAI({
      apiKey: KEY,
      baseURL: fake.baseURL,
      headers: { 'x-team': 'search' },
      organization: 'org-123',
      project: 'proj-456',
    }).chat('gpt-4o-mini')
    await model.generate(hello)
    const request = fake.requests[0]
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/v1/chat/completions')
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${KEY}`,
      'x-team': 'search',
      'openai-organization': 'org-123',
      'openai-project': 'proj-456',
    })
  })

  it('reads OPENAI_API_KEY at call time when no key is given', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }])
    const model = createOpenAI({ baseURL: fake.baseURL }).chat('gpt-4o-mini')
    vi.stubEnv('OPENAI_API_KEY', 'key-from-env-0001')
    await model.generate(hello)
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer key-from-env-0001')
  })

  it('fails with AuthenticationError naming the variable when there is no key, before any request', async () => {
    vi.stubEnv('OPENAI_API_KEY', '')
    await using fake = await startOpenAI([])
    const model = createOpenAI({ baseURL: fake.baseURL }).chat('gpt-4o-mini')
    const error = await failureOf(model.generate(hello))
    expect(error.code).toBe('authentication')
    expect(error.message).toContain('OPENAI_API_KEY')
    const streamError = await failureOf(model.stream(hello).response)
    expect(streamError.code).toBe('authentication')
    expect(fake.requests).toHaveLength(0)
  })

  it('calls an async key function before every call (rotation)', async () => {
    await using fake = await startOpenAI([{ text: 'one' }, { text: 'two' }, { text: 'three' }])
    const keys = ['rotating-key-aaaa', 'rotating-key-aaaa', 'rotating-key-bbbb']
    const apiKey = vi.fn(async () => keys.shift() ?? 'exhausted')
    const model = createOpenAI({ apiKey, baseURL: fake.baseURL }).chat('gpt-4o-mini')
    await model.generate(hello)
    await collect(model.stream(hello))
    await model.generate(hello)
    expect(apiKey).toHaveBeenCalledTimes(3)
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer rotating-key-aaaa',
      'Bearer rotating-key-aaaa',
      'Bearer rotating-key-bbbb',
    ])
  })

  it('turns a failing key function into AuthenticationError without leaking the key', async () => {
    await using fake = await startOpenAI([])
    const model = createOpenAI({
      apiKey: async () => {
        throw new Error('vault unreachable for sk-live-abcdefghijklmnop')
      },
      baseURL: fake.baseURL,
    }).chat('gpt-4o-mini')
    const error = await failureOf(model.generate(hello))
    expect(error.code).toBe('authentication')
    expect(error.message).toContain('vault unreachable')
    expect(error.message).not.toContain('sk-live-abcdefghijklmnop')
  })

  it('uses a fetch from settings, and still notices a stream cut just before data: [DONE]', async () => {
    await using fake = await startOpenAI([
      { text: 'Hello world' },
      { text: 'Hello world', fault: { type: 'truncate', afterChunks: 6 } },
    ])
    const seen: string[] = []
    const model = createOpenAI({
      apiKey: KEY,
      baseURL: fake.baseURL,
      fetch: (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      },
    }).chat('gpt-4o-mini')
    expect((await model.stream(hello).response).text).toBe('Hello world')
    const events: ChatStreamEvent[] = []
    const error = await failureOf(
      (async () => {
        for await (const event of model.stream(hello)) events.push(event)
      })(),
    )
    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain('[DONE]')
    expect(events.some((e) => e.type === 'usage')).toBe(true)
    expect(seen).toEqual([`${fake.baseURL}/chat/completions`, `${fake.baseURL}/chat/completions`])
  })

  it('returns the response id, the answering model and OpenAI metadata', async () => {
    await using fake = await startOpenAI([{ text: 'ok', model: 'gpt-4o-mini-2024-07-18' }])
    const response = await createOpenAI({ apiKey: KEY, baseURL: fake.baseURL })
      .chat('gpt-4o-mini')
      .generate(hello)
    expect(response.id).toBe('chatcmpl-fake-1')
    expect(response.modelId).toBe('gpt-4o-mini-2024-07-18')
    expect(response.rawFinishReason).toBe('stop')
    expect(response.providerMetadata).toEqual({
      openai: { systemFingerprint: 'fp_fake', serviceTier: 'default' },
    })
  })
})

describe('OpenAI request mapping', () => {
  const model = (fake: FakeProvider, id = 'gpt-4o-mini') =>
    createOpenAI({ apiKey: KEY, baseURL: fake.baseURL }).chat(id)

  it('maps sampling settings, stop and seed', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }])
    const response = await model(fake).generate({
      ...hello,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      maxTokens: 10,
    })
    expect(bodyOf(fake)).toMatchObject({ top_p: 0.9, stop: ['END'], seed: 7, max_completion_tokens: 10 })
    expect(response.warnings).toEqual([])
  })

  it('leaves out temperature and top_p for reasoning models, with warnings', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }, { text: 'ok' }])
    const response = await model(fake, 'o3-mini').generate({ ...hello, temperature: 0.5, topP: 0.5 })
    expect(bodyOf(fake)).not.toHaveProperty('temperature')
    expect(bodyOf(fake)).not.toHaveProperty('top_p')
    expect(response.warnings.map((w) => w.type === 'unsupported-setting' && w.setting)).toEqual([
      'temperature',
      'topP',
    ])
    const streamed = await model(fake, 'gpt-5').stream({ ...hello, temperature: 0.5 }).response
    expect(streamed.warnings).toHaveLength(1)
    expect(bodyOf(fake, 1)).not.toHaveProperty('temperature')
  })

  it('reads providerOptions.openai (its snake_case names too); an unknown key such as model is not sent', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }])
    const response = await model(fake, 'o4-mini').generate({
      ...hello,
      providerOptions: {
        openai: { reasoningEffort: 'high', serviceTier: 'flex', parallel_tool_calls: false, model: 'other' },
        anthropic: { thinking: { type: 'enabled' } },
      },
    })
    expect(bodyOf(fake)).toMatchObject({
      model: 'o4-mini',
      reasoning_effort: 'high',
      service_tier: 'flex',
      parallel_tool_calls: false,
    })
    expect(bodyOf(fake)).not.toHaveProperty('thinking')
    expect(response.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'providerOptions.openai.model' }),
    ])
  })

  it('sends metadata.userId as safety_identifier, and all metadata only for stored completions', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }, { text: 'ok' }, { text: 'ok' }, { text: 'ok' }])
    const metadata = { userId: 'user-42', tenant: 'acme', tier: 3, beta: true }
    const plain = await model(fake).generate({ ...hello, metadata })
    expect(bodyOf(fake)).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      safety_identifier: 'user-42',
    })
    expect(plain.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'metadata',
        details: expect.stringContaining('tenant, tier, beta'),
      },
    ])
    const stored = await model(fake).generate({
      ...hello,
      metadata,
      providerOptions: { openai: { store: true } },
    })
    expect(bodyOf(fake, 1)).toMatchObject({
      store: true,
      safety_identifier: 'user-42',
      metadata: { userId: 'user-42', tenant: 'acme', tier: '3', beta: 'true' },
    })
    expect(bodyOf(fake, 1)).not.toHaveProperty('user')
    expect(stored.warnings).toEqual([])
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]))
    const response = await model(fake).generate({
      ...hello,
      metadata: many,
      providerOptions: { openai: { store: true } },
    })
    expect(Object.keys(bodyOf(fake, 2).metadata as object)).toHaveLength(16)
    expect(response.warnings).toEqual([expect.objectContaining({ setting: 'metadata' })])
    // an explicit provider option wins over metadata.userId
    await model(fake).generate({
      ...hello,
      metadata: { userId: 'user-42' },
      providerOptions: { openai: { safetyIdentifier: 'hashed-42' } },
    })
    expect(bodyOf(fake, 3)).toMatchObject({ safety_identifier: 'hashed-42' })
  })

  it('maps every tool choice', async () => {
    await using fake = await startOpenAI([{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }])
    const tools = [{ name: 'lookup', inputSchema: z.object({ q: z.string() }) }]
    await model(fake).generate({ ...hello, tools, toolChoice: 'required' })
    await model(fake).generate({ ...hello, tools, toolChoice: 'none' })
    await model(fake).generate({ ...hello, tools, toolChoice: { type: 'tool', toolName: 'lookup' } })
    await model(fake).generate({ ...hello, toolChoice: 'auto' })
    expect(fake.requests.map((r) => (r.body as Record<string, unknown>).tool_choice)).toEqual([
      'required',
      'none',
      { type: 'function', function: { name: 'lookup' } },
      undefined,
    ])
    expect(bodyOf(fake).tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'lookup',
          parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
        },
      },
    ])
    expect(bodyOf(fake, 3)).not.toHaveProperty('tools')
  })

  it('asks for a JSON object without a schema, and strict JSON Schema when asked', async () => {
    await using fake = await startOpenAI([{ text: '{}' }, { text: '{}' }, { text: 'plain' }])
    await model(fake).generate({ ...hello, responseFormat: { type: 'json' } })
    await model(fake).generate({
      ...hello,
      responseFormat: { type: 'json', schema: { type: 'object' }, description: 'anything' },
      providerOptions: { openai: { strictJsonSchema: true } },
    })
    await model(fake).generate({ ...hello, responseFormat: { type: 'text' } })
    expect(bodyOf(fake).response_format).toEqual({ type: 'json_object' })
    expect(bodyOf(fake, 1).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', description: 'anything', schema: { type: 'object' }, strict: true },
    })
    expect(bodyOf(fake, 1)).not.toHaveProperty('strict_json_schema')
    expect(bodyOf(fake, 2)).not.toHaveProperty('response_format')
  })

  it('sends images as image_url parts and a lone text part as a string', async () => {
    await using fake = await startOpenAI([{ text: 'a cat' }, { text: 'ok' }])
    await model(fake).generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', image: 'https://example.com/cat.png' },
            { type: 'image', image: 'aGVsbG8=', mediaType: 'image/png' },
            { type: 'image', image: new Uint8Array([104, 105]), mediaType: 'image/jpeg' },
          ],
        },
      ],
    })
    expect((bodyOf(fake).messages as unknown[])[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,aGVsbG8=' } },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,aGk=' } },
      ],
    })
    await model(fake).generate({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'just text' }] }],
    })
    expect((bodyOf(fake, 1).messages as unknown[])[0]).toEqual({ role: 'user', content: 'just text' })
  })

  it('sends image detail and strict tools from providerOptions, and warns about options it has no field for', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }])
    const response = await model(fake).generate({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              image: 'https://example.com/a.png',
              providerOptions: { openai: { imageDetail: 'low' } },
            },
            { type: 'text', text: 'Describe', providerOptions: { openai: { cacheMe: true } } },
          ],
          providerOptions: { openai: { name: 'ada' }, anthropic: { cacheControl: { type: 'ephemeral' } } },
        },
      ],
      tools: [
        { name: 'lookup', inputSchema: { type: 'object' }, providerOptions: { openai: { strict: true } } },
      ],
    })
    const [message] = bodyOf(fake).messages as { content: unknown[] }[]
    expect(message?.content[0]).toEqual({
      type: 'image_url',
      image_url: { url: 'https://example.com/a.png', detail: 'low' },
    })
    expect(bodyOf(fake).tools).toEqual([
      { type: 'function', function: { name: 'lookup', parameters: { type: 'object' }, strict: true } },
    ])
    expect(response.warnings.map((w) => w.type === 'unsupported-setting' && w.setting)).toEqual([
      'messages[0].providerOptions.openai.name',
      'messages[0].content[1].providerOptions.openai.cacheMe',
    ])
  })

  it('rejects a base64 image without a media type before any request', async () => {
    await using fake = await startOpenAI([])
    const error = await failureOf(
      model(fake).generate({ messages: [{ role: 'user', content: [{ type: 'image', image: 'aGVsbG8=' }] }] }),
    )
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    expect((error as InvalidRequestError).issues[0]?.path).toBe('messages[0].content[0].mediaType')
    expect(fake.requests).toHaveLength(0)
  })

  it('rejects an invalid request with the field path, in generate and stream, before any request', async () => {
    await using fake = await startOpenAI([])
    const bad = {
      messages: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'nope', output: 1 }] }],
    }
    const error = await failureOf(model(fake).generate(bad as ChatRequest))
    expect(error.code).toBe('invalid_request')
    const streamError = await failureOf(collect(model(fake).stream(bad as ChatRequest)))
    expect(streamError.code).toBe('invalid_request')
    expect(fake.requests).toHaveLength(0)
  })

  it('sends system messages in place, tool outputs as text, and warns about what it cannot send', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }])
    const response = await model(fake).generate({
      messages: [
        { role: 'system', content: 'Rules.' },
        { role: 'user', content: 'Go' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thinking', signature: 'sig' },
            { type: 'text', text: 'Calling.' },
            { type: 'tool-call', toolCallId: 'c1', toolName: 'a', input: { x: 1 } },
            { type: 'tool-call', toolCallId: 'c2', toolName: 'b', input: undefined },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'c1', output: 'plain text' },
            { type: 'tool-result', toolCallId: 'c2', output: { failed: true }, isError: true },
          ],
        },
      ],
    })
    expect(bodyOf(fake).messages).toEqual([
      { role: 'system', content: 'Rules.' },
      { role: 'user', content: 'Go' },
      {
        role: 'assistant',
        content: 'Calling.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
          { id: 'c2', type: 'function', function: { name: 'b', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'plain text' },
      { role: 'tool', tool_call_id: 'c2', content: '{"failed":true}' },
    ])
    expect(response.warnings.map((w) => w.type === 'unsupported-setting' && w.setting)).toEqual([
      'messages.content.reasoning',
      'messages.content.isError',
    ])
  })

  it('reports warnings in streamed responses too', async () => {
    await using fake = await startOpenAI([{ text: 'ok' }])
    const response = await model(fake, 'o1').stream({ ...hello, temperature: 1 }).response
    expect(response.warnings).toEqual([expect.objectContaining({ setting: 'temperature' })])
  })
})

describe('OpenAI error mapping', () => {
  const model = (fake: FakeProvider) =>
    createOpenAI({ apiKey: KEY, baseURL: fake.baseURL }).chat('gpt-4o-mini')

  it.each([
    [403, undefined, 'authentication', false],
    [404, 'model_not_found', 'invalid_request', false],
    [400, 'content_policy_violation', 'content_filtered', false],
    [408, undefined, 'timeout', true],
    [503, undefined, 'unavailable', true],
  ] as const)('HTTP %i (%s) → %s', async (status, errorType, code, retryable) => {
    await using fake = await startOpenAI([
      { fault: { type: 'http', status, ...(errorType ? { errorType } : {}) } },
    ])
    const error = await failureOf(model(fake).generate(hello))
    expect(error).toMatchObject({ code, retryable, status, provider: 'openai', modelId: 'gpt-4o-mini' })
    expect(error.responseBody).toContain('"error"')
    expect(error.url).toBe(`${fake.baseURL}/chat/completions`)
  })

  it.each([
    ['rate_limit_exceeded', 'rate_limited'],
    ['overloaded_error', 'overloaded'],
    ['invalid_api_key', 'authentication'],
    ['invalid_request_error', 'invalid_request'],
    ['context_length_exceeded', 'context_length_exceeded'],
  ] as const)('an in-stream error %s → %s', async (errorType, code) => {
    await using fake = await startOpenAI([
      { text: 'Hello world', fault: { type: 'error-event', afterChunks: 2, errorType } },
    ])
    const error = await failureOf(collect(model(fake).stream(hello)))
    expect(error.code).toBe(code)
    expect(error.status).toBeUndefined()
  })

  it('says the server could not be reached when nothing listens', async () => {
    const fake = await startOpenAI([])
    const baseURL = fake.baseURL
    await fake.close()
    const error = await failureOf(createOpenAI({ apiKey: KEY, baseURL }).chat('gpt-4o-mini').generate(hello))
    expect(error.code).toBe('unavailable')
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('could not reach openai')
  })

  it('keeps a plain stand-in of the SDK error as the cause', async () => {
    await using fake = await startOpenAI([{ fault: { type: 'http', status: 500, message: 'boom' } }])
    const error = await failureOf(model(fake).generate(hello))
    expect(error.cause).toBeInstanceOf(Error)
    expect((error.cause as Error).message).toBe('500 boom')
    expect(error.toJSON().cause).toEqual({ name: 'Error', message: '500 boom' })
  })

  it('replaces a cause that echoes the key with a redacted copy', async () => {
    await using fake = await startOpenAI([
      { fault: { type: 'http', status: 401, message: `Incorrect API key provided: ${KEY}` } },
    ])
    const error = await failureOf(model(fake).generate(hello))
    expect((error.cause as Error).message).toContain('[REDACTED]')
    expect(error.responseBody).toContain('[REDACTED]')
    expect(error.responseBody).not.toContain(KEY)
  })

  it('rejects structured output cleanly when the schema cannot be expressed', async () => {
    await using fake = await startOpenAI([])
    const error = await failureOf(
      model(fake).generate({
        ...hello,
        responseFormat: { type: 'json', schema: z.object({ at: z.date() }) },
      }),
    )
    expect(error.code).toBe('invalid_request')
    expect(UnsupportedFeatureError.isInstance(error)).toBe(false)
    expect(fake.requests).toHaveLength(0)
  })
})

import { type ChatRequest, type ChatStreamEvent, isQlError, type QlError } from '@ql/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { type BedrockProviderSettings, bedrock, createBedrock } from '../src/bedrock/index'
import { type FakeStep, startFakeProvider } from '../src/testing/index'

const MODEL = 'anthropic.claude-test-v1:0'
const ACCESS_KEY_ID = 'AKIAQLTESTKEY0000001'
const SECRET_KEY = 'ql/bedrock+secret+access+key+0123456789'
const SESSION_TOKEN = 'ql-session-token-abcdefghijklmnop'
const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN }

async function fakeBedrock(script: FakeStep[], settings: BedrockProviderSettings = {}) {
  const fake = await startFakeProvider({ protocol: 'bedrock', script })
  const model = createBedrock({ region: 'eu-west-1', baseURL: fake.baseURL, credentials, ...settings }).chat(
    MODEL,
  )
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
const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] }

/** Keeps the SDK's default chain away from this machine's files and instance metadata. */
function isolateAwsEnvironment() {
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/ql-aws-config')
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/ql-aws-credentials')
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true')
  vi.stubEnv('AWS_PROFILE', undefined)
  vi.stubEnv('AWS_ACCESS_KEY_ID', undefined)
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined)
  vi.stubEnv('AWS_SESSION_TOKEN', undefined)
  vi.stubEnv('AWS_BEARER_TOKEN_BEDROCK', undefined)
  vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', undefined)
  vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', undefined)
  vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', undefined)
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('createBedrock', () => {
  it('has a default instance that names its provider and model', () => {
    expect(bedrock.chat(MODEL)).toMatchObject({
      specificationVersion: 'v1',
      provider: 'bedrock',
      modelId: MODEL,
    })
  })

  it('calls Converse and ConverseStream by model path, signed with SigV4, call headers signed too', async () => {
    await using fake = await fakeBedrock([{ text: 'a' }, { text: 'b' }], { headers: { 'x-team': 'search' } })
    await fake.model.generate(hello, { headers: { 'x-trace-id': 't-1' } })
    await collect(fake.model.stream(hello))
    expect(fake.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/model/anthropic.claude-test-v1%3A0/converse'],
      ['POST', '/model/anthropic.claude-test-v1%3A0/converse-stream'],
    ])
    const headers = fake.requests[0]?.headers ?? {}
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAQLTESTKEY0000001\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
    )
    expect(headers.authorization).toMatch(/SignedHeaders=[^,]*x-trace-id/)
    expect(headers['x-amz-security-token']).toBe(SESSION_TOKEN)
    expect(headers['x-trace-id']).toBe('t-1')
    expect(headers['x-team']).toBe('search')
    expect(headers['amz-sdk-request']).toBe('attempt=1; max=1')
  })

  it('takes credentials from the default chain (environment) and the region from AWS_REGION', async () => {
    isolateAwsEnvironment()
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAQLENVKEY00000002')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'env-secret-key-0123456789')
    vi.stubEnv('AWS_REGION', 'ap-south-1')
    await using fake = await startFakeProvider({ protocol: 'bedrock', script: [{ text: 'ok' }] })
    await createBedrock({ baseURL: fake.baseURL }).chat(MODEL).generate(hello)
    expect(fake.requests[0]?.headers.authorization).toContain('Credential=AKIAQLENVKEY00000002/')
    expect(fake.requests[0]?.headers.authorization).toContain('/ap-south-1/bedrock/')
  })

  it('sends a Bedrock API key as a bearer token, from a function for rotation', async () => {
    const keys = ['bedrock-api-key-one-000001', 'bedrock-api-key-two-000002']
    let current = keys[0] ?? ''
    await using fake = await startFakeProvider({
      protocol: 'bedrock',
      script: [{ text: 'a' }, { text: 'b' }],
    })
    const model = createBedrock({
      region: 'us-east-1',
      baseURL: fake.baseURL,
      apiKey: async () => current,
    }).chat(MODEL)
    await model.generate(hello)
    current = keys[1] ?? ''
    await collect(model.stream(hello))
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(keys.map((key) => `Bearer ${key}`))
  })

  it('fails with AuthenticationError, before any request, when no credentials can be found', async () => {
    isolateAwsEnvironment()
    await using fake = await startFakeProvider({ protocol: 'bedrock', script: [] })
    const model = createBedrock({ region: 'us-east-1', baseURL: fake.baseURL }).chat(MODEL)
    const error = await failure(model.generate(hello))
    expect(error).toMatchObject({ code: 'authentication', retryable: false, provider: 'bedrock' })
    expect((await failure(collect(model.stream(hello)))).code).toBe('authentication')
    expect(fake.requests).toHaveLength(0)
  })

  it('fails with InvalidRequestError, before any request, when no region is configured', async () => {
    isolateAwsEnvironment()
    vi.stubEnv('AWS_REGION', undefined)
    vi.stubEnv('AWS_DEFAULT_REGION', undefined)
    await using fake = await startFakeProvider({ protocol: 'bedrock', script: [] })
    const error = await failure(
      createBedrock({ baseURL: fake.baseURL, credentials }).chat(MODEL).generate(hello),
    )
    expect(error.code).toBe('invalid_request')
    expect(error.message).toContain('AWS_REGION')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('the request', () => {
  it('puts system prompts in system blocks (warning for a late one) and merges same-role turns', async () => {
    await using fake = await fakeBedrock([{ text: 'ok' }])
    const response = await fake.model.generate({
      system: 'Be brief.',
      messages: [
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'Hi' },
        { role: 'user', content: [{ type: 'text', text: 'Still there?' }] },
        { role: 'assistant', content: [{ type: 'text', text: '' }] },
        { role: 'system', content: 'Now in French.' },
        { role: 'user', content: 'Bye' },
      ],
      maxTokens: 50,
      topP: 0.5,
      stop: ['END'],
      metadata: { tenant: 'acme', tier: 3 },
    })
    expect(body(fake)).toEqual({
      system: [{ text: 'Be brief.' }, { text: 'Answer in English.' }, { text: 'Now in French.' }],
      messages: [{ role: 'user', content: [{ text: 'Hi' }, { text: 'Still there?' }, { text: 'Bye' }] }],
      inferenceConfig: { maxTokens: 50, topP: 0.5, stopSequences: ['END'] },
      requestMetadata: { tenant: 'acme', tier: '3' },
    })
    expect(response.warnings).toEqual([
      { type: 'other', message: expect.stringContaining('messages[4] is a system message') },
    ])
  })

  it('sends images as bytes, and rejects image URLs and unknown media types before calling', async () => {
    await using fake = await fakeBedrock([{ text: 'a cat' }])
    const png = new Uint8Array([137, 80, 78, 71])
    await fake.model.generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', image: png, mediaType: 'image/png' },
            { type: 'image', image: 'data:image/jpeg;base64,/9j/AA==' },
            { type: 'image', image: 'UklGRg==', mediaType: 'image/webp' },
          ],
        },
      ],
    })
    expect((body(fake).messages as { content: unknown[] }[])[0]?.content).toEqual([
      { image: { format: 'png', source: { bytes: 'iVBORw==' } } },
      { image: { format: 'jpeg', source: { bytes: '/9j/AA==' } } },
      { image: { format: 'webp', source: { bytes: 'UklGRg==' } } },
    ])
    const url = await failure(
      fake.model.generate({
        messages: [{ role: 'user', content: [{ type: 'image', image: 'https://example.com/a.png' }] }],
      }),
    )
    expect(url.code).toBe('unsupported_feature')
    const bmp = await failure(
      fake.model.generate({
        messages: [{ role: 'user', content: [{ type: 'image', image: png, mediaType: 'image/bmp' }] }],
      }),
    )
    expect(bmp.code).toBe('invalid_request')
    expect(fake.requests).toHaveLength(1)
  })

  it('adds cachePoint blocks after system prompts, messages, parts and tools', async () => {
    const cachePoint = { bedrock: { cachePoint: { type: 'default' } } }
    await using fake = await fakeBedrock([{ text: 'ok' }])
    const response = await fake.model.generate({
      messages: [
        { role: 'system', content: 'Long instructions.', providerOptions: cachePoint },
        {
          role: 'user',
          content: [
            {
              type: 'text',
              text: 'A long document.',
              providerOptions: { bedrock: { cachePoint: { type: 'default', ttl: '1h' } } },
            },
            { type: 'text', text: 'The question.' },
          ],
          providerOptions: cachePoint,
        },
      ],
      tools: [
        { name: 'search', inputSchema: { type: 'object', properties: {} }, providerOptions: cachePoint },
      ],
      providerOptions: cachePoint,
    })
    const sent = body(fake)
    expect(sent.system).toEqual([{ text: 'Long instructions.' }, { cachePoint: { type: 'default' } }])
    expect(sent.messages).toEqual([
      {
        role: 'user',
        content: [
          { text: 'A long document.' },
          { cachePoint: { type: 'default', ttl: '1h' } },
          { text: 'The question.' },
          { cachePoint: { type: 'default' } },
        ],
      },
    ])
    expect((sent.toolConfig as { tools: unknown[] }).tools[1]).toEqual({ cachePoint: { type: 'default' } })
    expect(response.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.bedrock.cachePoint',
        details: expect.any(String),
      },
    ])
  })

  it('rejects a malformed cache point before calling', async () => {
    await using fake = await fakeBedrock([])
    const error = await failure(
      fake.model.generate({
        messages: [{ role: 'user', content: 'Hi', providerOptions: { bedrock: { cachePoint: true } } }],
      }),
    )
    expect(error.code).toBe('invalid_request')
    expect(fake.requests).toHaveLength(0)
  })

  it.each([
    ['required', { any: {} }],
    [{ type: 'tool', toolName: 'get_time' }, { tool: { name: 'get_time' } }],
  ] as const)('maps toolChoice %j to %j', async (toolChoice, expected) => {
    await using fake = await fakeBedrock([{ text: 'ok' }])
    await fake.model.generate({
      messages: [{ role: 'user', content: 'Time?' }],
      tools: [{ name: 'get_time', inputSchema: z.object({ zone: z.string() }) }],
      toolChoice,
    })
    expect(body(fake).toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'get_time',
            inputSchema: {
              json: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
            },
          },
        },
      ],
      toolChoice: expected,
    })
  })

  it("leaves the tools out for toolChoice 'none', with a warning", async () => {
    await using fake = await fakeBedrock([{ text: 'ok' }])
    const response = await fake.model.generate({
      messages: [{ role: 'user', content: 'Time?' }],
      tools: [{ name: 'get_time', inputSchema: { type: 'object' } }],
      toolChoice: 'none',
    })
    expect(body(fake)).not.toHaveProperty('toolConfig')
    expect(response.warnings).toEqual([
      { type: 'unsupported-setting', setting: 'toolChoice', details: expect.stringContaining('none') },
    ])
  })

  it('passes Bedrock options through and warns about what it does not know', async () => {
    await using fake = await fakeBedrock([{ text: 'ok' }])
    const response = await fake.model.generate({
      ...hello,
      seed: 1,
      maxTokens: 500,
      temperature: 0.5,
      providerOptions: {
        bedrock: {
          reasoningConfig: { type: 'enabled', budgetTokens: 1024 },
          additionalModelRequestFields: { top_k: 20 },
          guardrailConfig: { guardrailIdentifier: 'g-1', guardrailVersion: '1' },
          performanceConfig: { latency: 'optimized' },
          mystery: 1,
        },
      },
    })
    expect(body(fake)).toMatchObject({
      inferenceConfig: { maxTokens: 1524 },
      additionalModelRequestFields: { top_k: 20, thinking: { type: 'enabled', budget_tokens: 1024 } },
      guardrailConfig: { guardrailIdentifier: 'g-1', guardrailVersion: '1' },
      performanceConfig: { latency: 'optimized' },
    })
    expect(body(fake).inferenceConfig).toEqual({ maxTokens: 1524 })
    expect(response.warnings.map((w) => w.type === 'unsupported-setting' && w.setting)).toEqual([
      'providerOptions.bedrock.mystery',
      'temperature',
      'seed',
    ])
  })

  it.each([
    [{ reasoningConfig: { type: 'enabled' } }, 'reasoningConfig'],
    [{ additionalModelRequestFields: 'top_k=2' }, 'additionalModelRequestFields'],
  ])('rejects bad options %j before calling', async (options, mentioned) => {
    await using fake = await fakeBedrock([])
    const error = await failure(fake.model.generate({ ...hello, providerOptions: { bedrock: options } }))
    expect(error.code).toBe('invalid_request')
    expect(error.message).toContain(mentioned)
    expect(fake.requests).toHaveLength(0)
  })

  it('rejects JSON output without a schema with UnsupportedFeatureError, before calling', async () => {
    await using fake = await fakeBedrock([])
    const request: ChatRequest = { ...hello, responseFormat: { type: 'json' } }
    expect((await failure(fake.model.generate(request))).code).toBe('unsupported_feature')
    expect((await failure(collect(fake.model.stream(request)))).code).toBe('unsupported_feature')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('structured output through a forced tool', () => {
  const request: ChatRequest = {
    messages: [{ role: 'user', content: 'Who wrote the first program?' }],
    responseFormat: { type: 'json', name: 'person', schema: z.object({ name: z.string(), age: z.number() }) },
    providerOptions: { bedrock: { structuredOutputMode: 'tool' } },
  }

  it.each(['generate', 'stream'] as const)(
    'sends the schema as a forced tool and answers with its input as text (%s)',
    async (mode) => {
      await using fake = await fakeBedrock([
        { toolCalls: [{ id: 'tooluse_1', name: 'person', input: { name: 'Ada', age: 36 } }] },
      ])
      const response =
        mode === 'generate' ? await fake.model.generate(request) : await fake.model.stream(request).response
      expect(JSON.parse(response.text)).toEqual({ name: 'Ada', age: 36 })
      expect(response.toolCalls).toEqual([])
      expect(response.finishReason).toBe('stop')
      expect(response.rawFinishReason).toBe('tool_use')
      expect(body(fake)).not.toHaveProperty('outputConfig')
      expect(body(fake).toolConfig).toEqual({
        tools: [
          {
            toolSpec: {
              name: 'person',
              description: 'Give the answer as the input of this tool.',
              inputSchema: {
                json: {
                  type: 'object',
                  properties: { name: { type: 'string' }, age: { type: 'number' } },
                  required: ['name', 'age'],
                },
              },
            },
          },
        ],
        toolChoice: { tool: { name: 'person' } },
      })
    },
  )

  it('streams the answer as text deltas', async () => {
    await using fake = await fakeBedrock([
      { toolCalls: [{ id: 'tooluse_1', name: 'person', input: { name: 'Ada', age: 36 } }] },
    ])
    const events = await collect(fake.model.stream(request))
    expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(1)
    expect(events.some((e) => e.type === 'tool-call' || e.type === 'tool-call-delta')).toBe(false)
  })

  it.each([
    [{ tools: [{ name: 'other', inputSchema: { type: 'object' } }] }, 'unsupported_feature'],
    [{ responseFormat: { type: 'json', schema: { type: 'array' } } }, 'unsupported_feature'],
    [{ providerOptions: { bedrock: { structuredOutputMode: 'magic' } } }, 'invalid_request'],
  ] as const)('rejects %j before calling', async (change, code) => {
    await using fake = await fakeBedrock([])
    const error = await failure(fake.model.generate({ ...request, ...change } as ChatRequest))
    expect(error.code).toBe(code)
    expect(fake.requests).toHaveLength(0)
  })
})

describe('tool calls and reasoning', () => {
  it('rewrites foreign tool-call ids and sends results as json or text in a user turn', async () => {
    await using fake = await fakeBedrock([{ text: 'done' }])
    const foreignId = 'call:abc/123'
    await fake.model.generate({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: foreignId, toolName: 'get_weather', input: { city: 'Oslo' } },
            {
              type: 'tool-call',
              toolCallId: 'tooluse_2',
              toolName: 'get_weather',
              input: { city: 'Bergen' },
            },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: foreignId, output: 'sunny' },
            { type: 'tool-result', toolCallId: 'tooluse_2', output: [1, 2], isError: true },
          ],
        },
      ],
      tools: [
        { name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
    })
    const messages = body(fake).messages as {
      role: string
      content: { toolUse?: { toolUseId: string }; toolResult?: unknown }[]
    }[]
    const id = messages[1]?.content[0]?.toolUse?.toolUseId
    expect(id).toMatch(/^[a-zA-Z0-9_-]+$/)
    expect(messages[2]).toEqual({
      role: 'user',
      content: [
        { toolResult: { toolUseId: id, content: [{ text: 'sunny' }] } },
        { toolResult: { toolUseId: 'tooluse_2', content: [{ text: '[1,2]' }], status: 'error' } },
      ],
    })
  })

  it.each(['generate', 'stream'] as const)('round-trips reasoning with its signature (%s)', async (mode) => {
    await using fake = await fakeBedrock([
      {
        reasoning: { text: 'Weather needs a tool.', signature: 'sig-xyz' },
        toolCalls: [{ id: 'tooluse_1', name: 'get_weather', input: { city: 'Oslo' } }],
      },
      { text: 'Sunny.' },
    ])
    const first: ChatRequest = {
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [
        { name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
    }
    const response =
      mode === 'generate' ? await fake.model.generate(first) : await fake.model.stream(first).response
    expect(response.message.content).toEqual([
      { type: 'reasoning', text: 'Weather needs a tool.', signature: 'sig-xyz' },
      { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'get_weather', input: { city: 'Oslo' } },
    ])
    expect(response.finishReason).toBe('tool-calls')
    await fake.model.generate({
      ...first,
      messages: [
        ...first.messages,
        response.message,
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tooluse_1', output: { tempC: 21 } }] },
      ],
    })
    expect((body(fake, 1).messages as { content: unknown[] }[])[1]?.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'Weather needs a tool.', signature: 'sig-xyz' } } },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Oslo' } } },
    ])
  })

  it('sends redacted reasoning back as redactedContent bytes', async () => {
    await using fake = await fakeBedrock([{ text: 'ok' }])
    const response = await fake.model.generate({
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: '', data: 'RU5DUllQVEVE' },
            { type: 'reasoning', text: '' },
            { type: 'text', text: 'Hello' },
          ],
        },
        { role: 'user', content: 'Go on' },
      ],
    })
    expect((body(fake).messages as { content: unknown[] }[])[1]?.content).toEqual([
      { reasoningContent: { redactedContent: 'RU5DUllQVEVE' } },
      { text: 'Hello' },
    ])
    expect(response.warnings).toHaveLength(1)
  })

  it('streams a tool call without arguments as an empty object', async () => {
    await using fake = await fakeBedrock([{ toolCalls: [{ id: 'tooluse_1', name: 'now', input: {} }] }])
    const events = await collect(
      fake.model.stream({
        messages: [{ role: 'user', content: 'Time?' }],
        tools: [{ name: 'now', inputSchema: { type: 'object' } }],
      }),
    )
    expect(events.find((e) => e.type === 'tool-call')).toEqual({
      type: 'tool-call',
      toolCall: { id: 'tooluse_1', name: 'now', input: {} },
    })
  })
})

describe('usage and finish', () => {
  it.each(['generate', 'stream'] as const)(
    'adds cache reads into inputTokens and keeps them apart (%s)',
    async (mode) => {
      await using fake = await fakeBedrock([
        { text: 'ok', usage: { inputTokens: 900, outputTokens: 12, cachedInputTokens: 800 } },
      ])
      const response =
        mode === 'generate' ? await fake.model.generate(hello) : await fake.model.stream(hello).response
      expect(response.usage).toEqual({
        inputTokens: 900,
        outputTokens: 12,
        cachedInputTokens: 800,
        cacheCreationInputTokens: 0,
      })
      expect(response.rawFinishReason).toBe('end_turn')
      if (mode === 'generate') expect(response.id).toMatch(/^00000000-0000-4000-8000-/)
    },
  )
})

describe('errors', () => {
  it.each([
    [403, 'AccessDeniedException', 'authentication', false],
    [408, 'ModelTimeoutException', 'timeout', true],
    [424, 'ModelErrorException', 'unavailable', true],
    [429, 'ModelNotReadyException', 'unavailable', true],
    [429, 'ThrottlingException', 'rate_limited', true],
    [400, 'ServiceQuotaExceededException', 'rate_limited', true],
    [404, 'ResourceNotFoundException', 'invalid_request', false],
    [400, 'ValidationException', 'invalid_request', false],
    [409, 'ConflictException', 'unavailable', true],
    [413, 'RequestEntityTooLarge', 'invalid_request', false],
    [503, 'ServiceUnavailableException', 'unavailable', true],
  ] as const)('HTTP %i %s → %s (retryable: %s)', async (status, errorType, code, retryable) => {
    await using fake = await fakeBedrock([{ fault: { type: 'http', status, errorType } }])
    const error = await failure(fake.model.generate(hello))
    expect(error).toMatchObject({ code, retryable, status, provider: 'bedrock', modelId: MODEL })
  })

  it.each([
    ['ModelStreamErrorException', 'model failed mid-stream', 'unavailable', true],
    ['InternalServerException', 'oops', 'unavailable', true],
    ['ServiceUnavailableException', 'busy', 'unavailable', true],
    ['ValidationException', 'Input is too long for requested model.', 'context_length_exceeded', false],
    ['ValidationException', 'bad input', 'invalid_request', false],
    ['AccessDeniedException', 'denied', 'authentication', false],
  ] as const)('an exception frame %s (%s) → %s', async (errorType, message, code, retryable) => {
    await using fake = await fakeBedrock([
      { text: 'Hello world', fault: { type: 'error-event', afterChunks: 2, errorType, message } },
    ])
    const stream = fake.model.stream(hello)
    const events: ChatStreamEvent[] = []
    const error = await failure(
      (async () => {
        for await (const event of stream) events.push(event)
      })(),
    )
    expect(error).toMatchObject({ code, retryable, provider: 'bedrock' })
    expect(error.status).toBeUndefined()
    expect(events.some((e) => e.type === 'text-delta')).toBe(true)
    await expect(stream.response).rejects.toBe(error)
  })

  it('never shows the secret key or session token, even when echoed back', async () => {
    await using fake = await fakeBedrock([
      {
        fault: {
          type: 'http',
          status: 403,
          errorType: 'AccessDeniedException',
          message: `bad ${SECRET_KEY} / ${SESSION_TOKEN}`,
        },
      },
      {
        text: 'Hi there',
        fault: { type: 'error-event', afterChunks: 1, message: `echo ${SECRET_KEY} ${SESSION_TOKEN}` },
      },
    ])
    const errors = [
      await failure(fake.model.generate(hello)),
      await failure(collect(fake.model.stream(hello))),
    ]
    for (const error of errors) {
      const text =
        JSON.stringify(error.toJSON()) + String(error.stack) + String((error.cause as Error).message)
      expect(text).not.toContain(SECRET_KEY)
      expect(text).not.toContain(SESSION_TOKEN)
      expect(error.message).toContain('[REDACTED]')
    }
  })

  it('a non-streaming body cut in half → InvalidResponseError', async () => {
    await using fake = await fakeBedrock([
      { text: 'Hello world', fault: { type: 'truncate', afterChunks: 0 } },
    ])
    expect((await failure(fake.model.generate(hello))).code).toBe('invalid_response')
  })

  it('a stream that ends after messageStop without metadata → InvalidResponseError', async () => {
    // messageStart, 3 deltas, contentBlockStop, messageStop: only metadata is missing
    await using fake = await fakeBedrock([
      { text: 'Hello world', fault: { type: 'truncate', afterChunks: 6 } },
    ])
    const error = await failure(collect(fake.model.stream(hello)))
    expect(error.code).toBe('invalid_response')
  })
})

import { type ChatRequest, type ChatStreamEvent, isQlError, type QlError } from '@ql/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createOpenAICompatible } from '../src/openai-compatible/index'
import { type FakeProvider, type FakeStep, startFakeProvider } from '../src/testing/index'

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] }

afterEach(() => {
  vi.unstubAllEnvs()
})

const start = (script: FakeStep[]) => startFakeProvider({ protocol: 'openai', script })
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

describe('createOpenAICompatible', () => {
  it('calls a keyless local server without an Authorization header', async () => {
    await using fake = await start([{ text: 'hi from llama' }, { text: 'streamed' }])
    const model = createOpenAICompatible({ name: 'ollama', baseURL: fake.baseURL }).chat('llama3.2')
    expect(model).toMatchObject({ provider: 'ollama', modelId: 'llama3.2', specificationVersion: 'v1' })
    const response = await model.generate(hello)
    expect(response.text).toBe('hi from llama')
    expect(response.provider).toBe('ollama')
    expect((await model.stream(hello).response).text).toBe('streamed')
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions')
    expect(fake.requests[0]?.headers).not.toHaveProperty('authorization')
    expect(fake.requests[1]?.headers).not.toHaveProperty('authorization')
  })

  it('sends a key from settings, and settings headers', async () => {
    await using fake = await start([{ text: 'ok' }])
    const model = createOpenAICompatible({
      name: 'vllm',
      baseURL: fake.baseURL,
      apiKey: 'vllm-key-000111',
      headers: { 'x-gateway': 'lab' },
    }).chat('qwen')
    await model.generate(hello)
    expect(fake.requests[0]?.headers).toMatchObject({
      authorization: 'Bearer vllm-key-000111',
      'x-gateway': 'lab',
    })
  })

  it('reads the key from the named environment variable, and says so when it is unset', async () => {
    await using fake = await start([{ text: 'ok' }])
    const model = createOpenAICompatible({
      name: 'lmstudio',
      baseURL: fake.baseURL,
      apiKeyEnvironmentVariable: 'LMSTUDIO_API_KEY',
    }).chat('phi')
    vi.stubEnv('LMSTUDIO_API_KEY', 'lmstudio-env-key-42')
    await model.generate(hello)
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer lmstudio-env-key-42')
    vi.stubEnv('LMSTUDIO_API_KEY', '')
    const error = await failureOf(model.generate(hello))
    expect(error.code).toBe('authentication')
    expect(error.message).toContain('LMSTUDIO_API_KEY')
    expect(fake.requests).toHaveLength(1)
  })

  it('uses max_tokens, reads providerOptions under its own name, and sends metadata.userId as user', async () => {
    await using fake = await start([{ text: 'ok' }])
    const response = await createOpenAICompatible({ name: 'vllm', baseURL: fake.baseURL })
      .chat('qwen')
      .generate({
        ...hello,
        maxTokens: 32,
        metadata: { userId: 'u-1', tenant: 'acme' },
        providerOptions: { vllm: { topK: 20, repetitionPenalty: 1.1 }, openai: { reasoningEffort: 'high' } },
      })
    expect(bodyOf(fake)).toEqual({
      model: 'qwen',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 32,
      user: 'u-1',
      top_k: 20,
      repetition_penalty: 1.1,
    })
    expect(response.warnings).toEqual([
      { type: 'unsupported-setting', setting: 'metadata', details: expect.stringContaining('tenant') },
    ])
  })

  it('keeps temperature for models named like OpenAI reasoning models', async () => {
    await using fake = await start([{ text: 'ok' }])
    await createOpenAICompatible({ name: 'vllm', baseURL: fake.baseURL })
      .chat('o1-distill')
      .generate({ ...hello, temperature: 0.3 })
    expect(bodyOf(fake).temperature).toBe(0.3)
  })

  describe('without structured outputs', () => {
    const model = (fake: FakeProvider) =>
      createOpenAICompatible({
        name: 'old-server',
        baseURL: fake.baseURL,
        supportsStructuredOutputs: false,
      }).chat('m')

    it('rejects a JSON Schema response format with UnsupportedFeatureError before any request', async () => {
      await using fake = await start([])
      const request: ChatRequest = { ...hello, responseFormat: { type: 'json', schema: { type: 'object' } } }
      const error = await failureOf(model(fake).generate(request))
      expect(error.code).toBe('unsupported_feature')
      expect(error.message).toContain('supportsStructuredOutputs')
      expect((await failureOf(collect(model(fake).stream(request)))).code).toBe('unsupported_feature')
      expect(fake.requests).toHaveLength(0)
    })

    it('still asks for a JSON object', async () => {
      await using fake = await start([{ text: '{"a":1}' }])
      await model(fake).generate({ ...hello, responseFormat: { type: 'json' } })
      expect(bodyOf(fake).response_format).toEqual({ type: 'json_object' })
    })
  })

  describe('streams', () => {
    it('asks for usage by default and accepts a stream that ends after its finish_reason', async () => {
      await using fake = await start([{ text: 'Hello world', usage: { inputTokens: 5, outputTokens: 2 } }])
      const model = createOpenAICompatible({ name: 'ollama', baseURL: fake.baseURL }).chat('llama3.2')
      const response = await model.stream(hello).response
      expect(bodyOf(fake).stream_options).toEqual({ include_usage: true })
      expect(response.usage).toEqual({
        inputTokens: 5,
        outputTokens: 2,
        cachedInputTokens: 0,
        reasoningTokens: 0,
      })
    })

    it('can leave out stream_options for servers that reject it', async () => {
      await using fake = await start([{ text: 'Hello world' }])
      const model = createOpenAICompatible({ name: 'old', baseURL: fake.baseURL, includeUsage: false }).chat(
        'm',
      )
      const events = await collect(model.stream(hello))
      expect(bodyOf(fake)).not.toHaveProperty('stream_options')
      expect(events.some((e) => e.type === 'usage')).toBe(false)
      const finish = events.at(-1)
      expect(finish?.type === 'finish' && finish.response.text).toBe('Hello world')
      expect(finish?.type === 'finish' && finish.usage).toEqual({ inputTokens: 0, outputTokens: 0 })
    })

    it('streams reasoning_content as reasoning deltas', async () => {
      await using fake = await start([{ reasoning: { text: 'Two plus two.' }, text: '4' }])
      const model = createOpenAICompatible({ name: 'deepseek', baseURL: fake.baseURL }).chat('r1')
      const events = await collect(model.stream(hello))
      const reasoning = events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.delta] : [])).join('')
      expect(reasoning).toBe('Two plus two.')
      const finish = events.at(-1)
      expect(finish?.type === 'finish' && finish.response.message.content).toEqual([
        { type: 'reasoning', text: 'Two plus two.' },
        { type: 'text', text: '4' },
      ])
    })
  })
})

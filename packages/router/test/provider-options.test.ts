import {
  type ChatModel,
  type ChatRequest,
  type ChatStreamEvent,
  isQlError,
  type QlError,
  type Warning,
} from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { type AnthropicProviderOptions, createAnthropic } from '../src/anthropic/index'
import { type BedrockProviderOptions, createBedrock } from '../src/bedrock/index'
import { createOpenAI, type OpenAIProviderOptions } from '../src/openai/index'
import { createOpenAICompatible, type OpenAICompatibleProviderOptions } from '../src/openai-compatible/index'
import { type FakeProvider, startFakeProvider } from '../src/testing/index'

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] }
const credentials = {
  accessKeyId: 'AKIAQLTESTKEY0000002',
  secretAccessKey: 'ql/bedrock+options+secret+0123456789',
}

type Adapter = 'openai' | 'responses' | 'compatible' | 'anthropic' | 'bedrock'
const PROTOCOL = {
  openai: 'openai',
  responses: 'openai',
  compatible: 'openai',
  anthropic: 'anthropic',
  bedrock: 'bedrock',
} as const

async function fakeFor(adapter: Adapter, texts = 4): Promise<FakeProvider & { model: ChatModel }> {
  const fake = await startFakeProvider({
    protocol: PROTOCOL[adapter],
    script: Array.from({ length: texts }, () => ({ text: 'ok' })),
  })
  const model = {
    openai: () =>
      createOpenAI({ apiKey: 'openai-options-key-01', baseURL: fake.baseURL }).chat('gpt-4o-mini'),
    responses: () =>
      createOpenAI({ apiKey: 'openai-options-key-01', baseURL: fake.baseURL }).responses('gpt-4o-mini'),
    compatible: () => createOpenAICompatible({ name: 'vllm', baseURL: fake.baseURL }).chat('qwen'),
    anthropic: () =>
      createAnthropic({ apiKey: 'sk-ant-options-key-0123456789', baseURL: fake.baseURL }).chat('claude-test'),
    bedrock: () =>
      createBedrock({ region: 'eu-west-1', baseURL: fake.baseURL, credentials }).chat(
        'anthropic.claude-test-v1:0',
      ),
  }[adapter]()
  return Object.assign(fake, { model })
}

const bodyOf = (fake: FakeProvider, index = 0) => fake.requests[index]?.body as Record<string, unknown>
const settings = (warnings: Warning[]) =>
  warnings.flatMap((warning) => (warning.type === 'unsupported-setting' ? [warning.setting] : []))

async function failureOf(promise: Promise<unknown>): Promise<QlError> {
  try {
    await promise
  } catch (error) {
    if (isQlError(error)) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

async function drain(stream: AsyncIterable<ChatStreamEvent>): Promise<void> {
  for await (const _ of stream) {
    // consume
  }
}

describe('OpenAI Chat Completions options', () => {
  it('maps every typed option to its wire name, nested objects field by field', async () => {
    await using fake = await fakeFor('openai')
    const openai: OpenAIProviderOptions = {
      reasoningEffort: 'low',
      serviceTier: 'flex',
      parallelToolCalls: false,
      store: true,
      safetyIdentifier: 'hash-1',
      user: 'legacy-user',
      promptCacheKey: 'tenant-7',
      promptCacheRetention: '24h',
      textVerbosity: 'low',
      logitBias: { '50256': -100, '1234': 5 },
      prediction: { type: 'content', content: [{ type: 'text', text: 'const a = 1' }] },
      webSearchOptions: {
        searchContextSize: 'high',
        userLocation: { approximate: { city: 'Oslo', country: 'NO', timezone: 'Europe/Oslo' } },
      },
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
      strictJsonSchema: true,
    }
    const response = await fake.model.generate({ ...hello, providerOptions: { openai } })
    expect(bodyOf(fake)).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      reasoning_effort: 'low',
      service_tier: 'flex',
      parallel_tool_calls: false,
      store: true,
      safety_identifier: 'hash-1',
      user: 'legacy-user',
      prompt_cache_key: 'tenant-7',
      prompt_cache_retention: '24h',
      verbosity: 'low',
      logit_bias: { '50256': -100, '1234': 5 },
      prediction: { type: 'content', content: [{ type: 'text', text: 'const a = 1' }] },
      web_search_options: {
        search_context_size: 'high',
        user_location: {
          type: 'approximate',
          approximate: { city: 'Oslo', country: 'NO', timezone: 'Europe/Oslo' },
        },
      },
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
    })
    expect(response.warnings).toEqual([])
  })

  it('sends webSearchOptions.searchContextSize as web_search_options.search_context_size (not searchContextSize)', async () => {
    await using fake = await fakeFor('openai')
    await fake.model.generate({
      ...hello,
      providerOptions: { openai: { webSearchOptions: { searchContextSize: 'low' } } },
    })
    await fake.model.generate({
      ...hello,
      providerOptions: { openai: { web_search_options: { search_context_size: 'low' } } },
    })
    for (const index of [0, 1]) {
      expect(bodyOf(fake, index).web_search_options).toEqual({ search_context_size: 'low' })
      expect(JSON.stringify(bodyOf(fake, index))).not.toContain('searchContextSize')
    }
  })

  it('walks into a union of a string and an array of parts to find an unknown key', async () => {
    await using fake = await fakeFor('openai')
    const response = await fake.model.generate({
      ...hello,
      providerOptions: {
        openai: { prediction: { type: 'content', content: [{ type: 'text', text: 'x', weight: 2 }] } },
      },
    })
    expect(bodyOf(fake).prediction).toEqual({ type: 'content', content: [{ type: 'text', text: 'x' }] })
    expect(settings(response.warnings)).toEqual(['providerOptions.openai.prediction.content[0].weight'])
  })

  it('warns about unknown keys, at the top and nested, and does not send them', async () => {
    await using fake = await fakeFor('openai')
    const response = await fake.model.generate({
      ...hello,
      providerOptions: {
        openai: {
          reasoningEffort: 'high',
          temperatureBoost: 2,
          webSearchOptions: { searchContextSize: 'low', radiusKm: 5 },
        },
        anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } },
      },
    })
    expect(settings(response.warnings)).toEqual([
      'providerOptions.openai.temperatureBoost',
      'providerOptions.openai.webSearchOptions.radiusKm',
    ])
    const sent = JSON.stringify(bodyOf(fake))
    for (const word of ['temperatureBoost', 'temperature_boost', 'radius', 'thinking'])
      expect(sent).not.toContain(word)
    expect(bodyOf(fake)).toMatchObject({
      reasoning_effort: 'high',
      web_search_options: { search_context_size: 'low' },
    })
  })

  it.each(['generate', 'stream'] as const)(
    'fails a wrongly typed option with InvalidRequestError naming its path, before any request (%s)',
    async (mode) => {
      await using fake = await fakeFor('openai')
      const request = {
        ...hello,
        providerOptions: { openai: { reasoningEffort: 'fast', parallelToolCalls: 'yes' } },
      }
      const call = mode === 'generate' ? fake.model.generate(request) : drain(fake.model.stream(request))
      const error = await failureOf(call)
      expect(error.code).toBe('invalid_request')
      expect(error.retryable).toBe(false)
      expect((error as QlError & { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
        'providerOptions.openai.reasoningEffort',
        'providerOptions.openai.parallelToolCalls',
      ])
      expect(error.message).toContain('providerOptions.openai.reasoningEffort: expected one of')
      expect(fake.requests).toHaveLength(0)
    },
  )

  it('checks options on parts and tools with the same schemas, naming the path', async () => {
    await using fake = await fakeFor('openai')
    const error = await failureOf(
      fake.model.generate({
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'image',
                image: 'https://example.com/a.png',
                providerOptions: { openai: { imageDetail: 'ultra' } },
              },
            ],
          },
        ],
      }),
    )
    expect((error as QlError & { issues: { path: string }[] }).issues[0]?.path).toBe(
      'messages[0].content[0].providerOptions.openai.imageDetail',
    )
    const response = await fake.model.generate({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              image: 'https://example.com/a.png',
              providerOptions: { openai: { image_detail: 'high' } },
            },
            { type: 'text', text: 'What?', providerOptions: { openai: { imageDetail: 'low' } } },
          ],
        },
      ],
      tools: [
        {
          name: 'look',
          inputSchema: { type: 'object' },
          providerOptions: { openai: { strict: true, cache: 1 } },
        },
      ],
      providerOptions: { openai: { strict: true } },
    })
    const [message] = bodyOf(fake).messages as { content: unknown[] }[]
    expect(message?.content[0]).toEqual({
      type: 'image_url',
      image_url: { url: 'https://example.com/a.png', detail: 'high' },
    })
    expect(bodyOf(fake).tools).toEqual([
      { type: 'function', function: { name: 'look', parameters: { type: 'object' }, strict: true } },
    ])
    expect(response.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.openai.strict',
        details: expect.stringContaining('belongs on a tool definition'),
      },
      {
        type: 'unsupported-setting',
        setting: 'messages[0].content[1].providerOptions.openai.imageDetail',
        details: expect.stringContaining('belongs on an image part'),
      },
      {
        type: 'unsupported-setting',
        setting: 'tools[0].providerOptions.openai.cache',
        details: 'not a known OpenAI option; it was not sent',
      },
    ])
  })

  it('adds extraBody as written, after the typed options, but never over a field the adapter sets', async () => {
    await using fake = await fakeFor('openai')
    const response = await fake.model.generate({
      ...hello,
      providerOptions: {
        openai: {
          serviceTier: 'flex',
          extraBody: { moderation: { model: 'omni' }, n_best: 2, messages: [], model: 'x' },
        },
      },
    })
    expect(bodyOf(fake)).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      service_tier: 'flex',
      moderation: { model: 'omni' },
      n_best: 2,
    })
    expect(settings(response.warnings)).toEqual([
      'providerOptions.openai.extraBody.messages',
      'providerOptions.openai.extraBody.model',
    ])
  })
})

describe('OpenAI Responses options', () => {
  it('maps the same options to the Responses fields and warns about the chat-only ones', async () => {
    await using fake = await fakeFor('responses')
    const openai: OpenAIProviderOptions = {
      reasoningEffort: 'high',
      reasoningSummary: 'detailed',
      textVerbosity: 'high',
      serviceTier: 'priority',
      parallelToolCalls: true,
      promptCacheKey: 'k',
      logitBias: { '1': 1 },
      webSearchOptions: { searchContextSize: 'low' },
      prediction: { type: 'content', content: 'x' },
    }
    const response = await fake.model.generate({
      ...hello,
      responseFormat: { type: 'json', schema: { type: 'object' } },
      providerOptions: { openai: { ...openai, strictJsonSchema: true, mystery: true } },
    })
    const body = bodyOf(fake)
    expect(body).toMatchObject({
      reasoning: { effort: 'high', summary: 'detailed' },
      text: { format: { type: 'json_schema', strict: true }, verbosity: 'high' },
      service_tier: 'priority',
      parallel_tool_calls: true,
      prompt_cache_key: 'k',
    })
    for (const field of ['logit_bias', 'web_search_options', 'prediction', 'mystery', 'strict_json_schema'])
      expect(body).not.toHaveProperty(field)
    expect(response.warnings).toEqual([
      { type: 'unsupported-setting', setting: 'providerOptions.openai.mystery', details: expect.any(String) },
      ...['logitBias', 'prediction', 'webSearchOptions'].map((key) => ({
        type: 'unsupported-setting',
        setting: `providerOptions.openai.${key}`,
        details: 'the Responses API has no such field; it was not sent',
      })),
    ])
  })

  it('fails a wrongly typed option with InvalidRequestError naming its path', async () => {
    await using fake = await fakeFor('responses')
    const error = await failureOf(
      fake.model.generate({ ...hello, providerOptions: { openai: { reasoningSummary: true } } }),
    )
    expect(error.code).toBe('invalid_request')
    expect(error.message).toContain('providerOptions.openai.reasoningSummary')
    expect(fake.requests).toHaveLength(0)
  })

  it('warns about an option on a message, which it has no field for', async () => {
    await using fake = await fakeFor('responses')
    const response = await fake.model.generate({
      messages: [{ role: 'user', content: 'Hi', providerOptions: { openai: { name: 'ada' } } }],
    })
    expect(settings(response.warnings)).toEqual(['messages[0].providerOptions.openai.name'])
    expect(JSON.stringify(bodyOf(fake))).not.toContain('ada')
  })
})

describe('OpenAI-compatible options', () => {
  it('reads its own key with the common schema; OpenAI-only options are unknown there', async () => {
    await using fake = await fakeFor('compatible')
    const vllm: OpenAICompatibleProviderOptions = {
      topK: 20,
      minP: 0.05,
      repetitionPenalty: 1.1,
      reasoningEffort: 'medium',
      extraBody: { guided_choice: ['yes', 'no'], chat_template_kwargs: { enable_thinking: false } },
    }
    const response = await fake.model.generate({
      ...hello,
      providerOptions: { vllm: { ...vllm, store: true }, openai: { serviceTier: 'flex' } },
    })
    expect(bodyOf(fake)).toEqual({
      model: 'qwen',
      messages: [{ role: 'user', content: 'Hi' }],
      top_k: 20,
      min_p: 0.05,
      repetition_penalty: 1.1,
      reasoning_effort: 'medium',
      guided_choice: ['yes', 'no'],
      chat_template_kwargs: { enable_thinking: false },
    })
    expect(response.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.vllm.store',
        details: 'not a known vllm option; it was not sent',
      },
    ])
  })

  it('fails a wrongly typed option with InvalidRequestError naming its path under the provider name', async () => {
    await using fake = await fakeFor('compatible')
    const error = await failureOf(
      fake.model.generate({ ...hello, providerOptions: { vllm: { topK: 'many' } } }),
    )
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'vllm' })
    expect(error.message).toContain('providerOptions.vllm.topK')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('Anthropic options', () => {
  it('maps typed options to the Messages API, nested names in snake_case', async () => {
    await using fake = await fakeFor('anthropic')
    const anthropic: AnthropicProviderOptions = {
      thinking: { type: 'enabled', budgetTokens: 2000 },
      effort: 'medium',
      cacheControl: { type: 'ephemeral', ttl: '1h' },
      serviceTier: 'auto',
      disableParallelToolUse: true,
      extraBody: { inference_geo: 'eu', model: 'other' },
    }
    const response = await fake.model.generate({
      ...hello,
      maxTokens: 100,
      tools: [{ name: 't', inputSchema: { type: 'object' } }],
      providerOptions: { anthropic },
    })
    expect(bodyOf(fake)).toMatchObject({
      model: 'claude-test',
      max_tokens: 2100,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      output_config: { effort: 'medium' },
      cache_control: { type: 'ephemeral', ttl: '1h' },
      service_tier: 'auto',
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      inference_geo: 'eu',
    })
    expect(JSON.stringify(bodyOf(fake))).not.toContain('budgetTokens')
    expect(settings(response.warnings)).toEqual(['providerOptions.anthropic.extraBody.model'])
  })

  it('warns about an unknown nested key and does not send it', async () => {
    await using fake = await fakeFor('anthropic')
    const response = await fake.model.generate({
      ...hello,
      providerOptions: { anthropic: { thinking: { type: 'adaptive', display: 'omitted' } } },
    })
    expect(bodyOf(fake).thinking).toEqual({ type: 'adaptive' })
    expect(settings(response.warnings)).toEqual(['providerOptions.anthropic.thinking.display'])
  })

  it('fails a wrongly typed option, on the request or on a part, with InvalidRequestError naming its path', async () => {
    await using fake = await fakeFor('anthropic')
    const request = await failureOf(
      fake.model.generate({ ...hello, providerOptions: { anthropic: { effort: 'extreme' } } }),
    )
    expect(request.message).toContain('providerOptions.anthropic.effort: expected one of')
    const part = await failureOf(
      fake.model.generate({
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: 'Doc',
                providerOptions: { anthropic: { cacheControl: { type: 'ephemeral', ttl: '1d' } } },
              },
            ],
          },
        ],
      }),
    )
    expect((part as QlError & { issues: { path: string }[] }).issues[0]?.path).toBe(
      'messages[0].content[0].providerOptions.anthropic.cacheControl.ttl',
    )
    expect(fake.requests).toHaveLength(0)
  })

  it('warns about unknown message options and a cache breakpoint on a thinking block', async () => {
    await using fake = await fakeFor('anthropic')
    const response = await fake.model.generate({
      messages: [
        {
          role: 'user',
          content: 'Q',
          providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' }, pin: true } },
        },
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: 'hm',
              signature: 'sig',
              providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
            },
            { type: 'text', text: 'A' },
          ],
        },
        { role: 'user', content: 'Q2' },
      ],
    })
    expect(response.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'messages[0].providerOptions.anthropic.pin',
        details: 'not a known Anthropic option; it was not sent',
      },
      {
        type: 'unsupported-setting',
        setting: 'messages[1].content[0].providerOptions.anthropic.cacheControl',
        details: expect.stringContaining('thinking block'),
      },
    ])
    expect((bodyOf(fake).messages as { content: unknown[] }[])[0]?.content).toEqual([
      { type: 'text', text: 'Q', cache_control: { type: 'ephemeral' } },
    ])
  })
})

describe('Bedrock options', () => {
  it('maps typed options to Converse, serviceTier as { type }', async () => {
    await using fake = await fakeFor('bedrock')
    const bedrock: BedrockProviderOptions = {
      serviceTier: 'flex',
      performanceConfig: { latency: 'optimized' },
      guardrailConfig: { guardrailIdentifier: 'g-1', guardrailVersion: 'DRAFT', trace: 'enabled' },
      additionalModelRequestFields: { top_k: 5 },
    }
    const response = await fake.model.generate({ ...hello, providerOptions: { bedrock } })
    expect(bodyOf(fake)).toMatchObject({
      serviceTier: { type: 'flex' },
      performanceConfig: { latency: 'optimized' },
      guardrailConfig: { guardrailIdentifier: 'g-1', guardrailVersion: 'DRAFT', trace: 'enabled' },
      additionalModelRequestFields: { top_k: 5 },
    })
    expect(response.warnings).toEqual([])
  })

  it('warns about an unknown nested key and does not send it', async () => {
    await using fake = await fakeFor('bedrock')
    const response = await fake.model.generate({
      ...hello,
      providerOptions: {
        bedrock: {
          guardrailConfig: {
            guardrailIdentifier: 'g-1',
            guardrailVersion: '1',
            streamProcessingMode: 'async',
          },
        },
      },
    })
    expect(bodyOf(fake).guardrailConfig).toEqual({ guardrailIdentifier: 'g-1', guardrailVersion: '1' })
    expect(settings(response.warnings)).toEqual([
      'providerOptions.bedrock.guardrailConfig.streamProcessingMode',
    ])
  })

  it('fails a wrongly typed option, on the request or on a message, with InvalidRequestError naming its path', async () => {
    await using fake = await fakeFor('bedrock')
    const request = await failureOf(
      fake.model.generate({
        ...hello,
        providerOptions: { bedrock: { performanceConfig: { latency: 'fast' } } },
      }),
    )
    expect(request.message).toContain('providerOptions.bedrock.performanceConfig.latency')
    const message = await failureOf(
      fake.model.generate({
        messages: [
          { role: 'user', content: 'Hi', providerOptions: { bedrock: { cachePoint: { type: 'forever' } } } },
        ],
      }),
    )
    expect((message as QlError & { issues: { path: string }[] }).issues[0]?.path).toBe(
      'messages[0].providerOptions.bedrock.cachePoint.type',
    )
    expect(fake.requests).toHaveLength(0)
  })
})

describe('metadata.userId: the end user, in every adapter', () => {
  const request: ChatRequest = { ...hello, metadata: { userId: 'user-42', tenant: 'acme' } }

  it.each([
    ['openai', { safety_identifier: 'user-42' }, ['metadata']],
    ['responses', { safety_identifier: 'user-42', metadata: { userId: 'user-42', tenant: 'acme' } }, []],
    ['compatible', { user: 'user-42' }, ['metadata']],
    ['anthropic', { metadata: { user_id: 'user-42' } }, ['metadata.tenant']],
    ['bedrock', { requestMetadata: { userId: 'user-42', tenant: 'acme' } }, []],
  ] as const)('%s sends it as %j', async (adapter, expected, warned) => {
    await using fake = await fakeFor(adapter)
    const response = await fake.model.generate(request)
    expect(bodyOf(fake)).toMatchObject(expected)
    expect(settings(response.warnings)).toEqual(warned)
    const streamed = fake.model.stream(request)
    await drain(streamed)
    expect(bodyOf(fake, 1)).toMatchObject(expected)
  })

  it.each(['openai', 'responses', 'compatible', 'anthropic'] as const)(
    '%s sends a number or boolean user id as a string',
    async (adapter) => {
      await using fake = await fakeFor(adapter)
      await fake.model.generate({ ...hello, metadata: { userId: 42 } })
      expect(JSON.stringify(bodyOf(fake))).toContain('"42"')
    },
  )
})

describe('one request, options for every provider', () => {
  const request: ChatRequest = {
    ...hello,
    providerOptions: {
      openai: { reasoningEffort: 'low' },
      vllm: { topK: 3 },
      anthropic: { effort: 'low' },
      bedrock: { performanceConfig: { latency: 'optimized' } },
    },
  }

  it.each([
    ['openai', { reasoning_effort: 'low' }],
    ['responses', { reasoning: { effort: 'low' } }],
    ['compatible', { top_k: 3 }],
    ['anthropic', { output_config: { effort: 'low' } }],
    ['bedrock', { performanceConfig: { latency: 'optimized' } }],
  ] as const)('%s reads only its own key, without warnings about the others', async (adapter, expected) => {
    await using fake = await fakeFor(adapter)
    const response = await fake.model.generate(request)
    expect(bodyOf(fake)).toMatchObject(expected)
    expect(response.warnings).toEqual([])
  })
})

import { type ChatRequest, type ChatStreamPart, isQlError, type QlError } from '@ql/provider'
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses'
import { describe, expect, it } from 'vitest'
import { createOpenAI } from '../src/openai/index'
import { mapOpenAIError } from '../src/openai/map-openai-error'
import { mapOpenAIResponse, mapOpenAIResponseStatus } from '../src/openai/responses/map-openai-response'
import { OpenAIResponsesStreamParts } from '../src/openai/responses/openai-responses-stream-parts'
import { type FakeProvider, startFakeProvider } from '../src/testing/index'

const KEY = 'responses-test-key-9876'
const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] }
const bodyOf = (fake: FakeProvider, index = 0) => fake.requests[index]?.body as Record<string, unknown>

async function failure(promise: Promise<unknown>): Promise<QlError> {
  try {
    await promise
  } catch (error) {
    if (isQlError(error)) return error
    throw error
  }
  throw new Error('expected a failure')
}

describe('createOpenAI().responses', () => {
  const model = (fake: FakeProvider, id = 'gpt-4o-mini') =>
    createOpenAI({ apiKey: KEY, baseURL: fake.baseURL }).responses(id)

  it('posts to /v1/responses with the key, and answers', async () => {
    await using fake = await startFakeProvider({
      protocol: 'openai',
      script: [{ text: 'hello', model: 'gpt-4o-mini-2024' }],
    })
    const response = await model(fake).generate(hello)
    expect(response).toMatchObject({
      id: 'resp_fake_1',
      text: 'hello',
      modelId: 'gpt-4o-mini-2024',
      provider: 'openai',
    })
    expect(fake.requests[0]).toMatchObject({
      path: '/v1/responses',
      headers: { authorization: `Bearer ${KEY}` },
    })
  })

  it('maps tool choice, json_object, images, metadata and provider options', async () => {
    await using fake = await startFakeProvider({
      protocol: 'openai',
      script: [{ text: '{}' }, { text: 'ok' }],
    })
    await model(fake).generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is it?' },
            {
              type: 'image',
              image: 'aGk=',
              mediaType: 'image/png',
              providerOptions: { openai: { imageDetail: 'high' } },
            },
          ],
        },
      ],
      tools: [
        { name: 'lookup', inputSchema: { type: 'object' }, providerOptions: { openai: { strict: true } } },
      ],
      toolChoice: { type: 'tool', toolName: 'lookup' },
      responseFormat: { type: 'json' },
      metadata: { userId: 'u-1', tenant: 'acme' },
      providerOptions: { openai: { reasoningEffort: 'low', reasoningSummary: 'auto', textVerbosity: 'low' } },
    })
    expect(bodyOf(fake)).toEqual({
      model: 'gpt-4o-mini',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is it?' },
            { type: 'input_image', image_url: 'data:image/png;base64,aGk=', detail: 'high' },
          ],
        },
      ],
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' }, strict: true }],
      tool_choice: { type: 'function', name: 'lookup' },
      text: { format: { type: 'json_object' }, verbosity: 'low' },
      safety_identifier: 'u-1',
      metadata: { userId: 'u-1', tenant: 'acme' },
      reasoning: { effort: 'low', summary: 'auto' },
    })
    await model(fake).generate({
      ...hello,
      tools: [{ name: 'a', inputSchema: { type: 'object' } }],
      toolChoice: 'required',
    })
    expect(bodyOf(fake, 1).tool_choice).toBe('required')
  })

  it('warns about settings the Responses API has no field for', async () => {
    await using fake = await startFakeProvider({ protocol: 'openai', script: [{ text: 'ok' }] })
    const response = await model(fake, 'o3').generate({
      messages: [
        { role: 'user', content: 'Go' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'hmm' },
            { type: 'text', text: 'Calling' },
            { type: 'tool-call', toolCallId: 'c1', toolName: 't', input: undefined },
            { type: 'text', text: 'after' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', output: 'done' }] },
        { role: 'system', content: 'late rule' },
      ],
      temperature: 0.4,
      stop: ['x'],
      seed: 3,
      metadata: { tenant: 'acme' },
      providerOptions: { openai: { store: false } },
    })
    expect(bodyOf(fake).input).toEqual([
      { role: 'user', content: [{ type: 'input_text', text: 'Go' }] },
      { role: 'assistant', content: 'Calling' },
      { type: 'function_call', call_id: 'c1', name: 't', arguments: '{}' },
      { role: 'assistant', content: 'after' },
      { type: 'function_call_output', call_id: 'c1', output: 'done' },
      { role: 'system', content: 'late rule' },
    ])
    expect(bodyOf(fake)).not.toHaveProperty('temperature')
    expect(response.warnings.map((w) => w.type === 'unsupported-setting' && w.setting)).toEqual([
      'messages.content.reasoning',
      'temperature',
      'stop',
      'seed',
      'metadata',
    ])
  })
})

const fakeResponse = (extra: Partial<Response>) =>
  ({ id: 'r', model: '', output: [], status: 'completed', usage: null, ...extra }) as unknown as Response

describe('mapOpenAIResponse', () => {
  const context = { provider: 'openai', modelId: 'gpt-4o-mini', warnings: [] }

  it('throws the typed error of a failed response', () => {
    let thrown: unknown
    try {
      mapOpenAIResponse(
        fakeResponse({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow' } }),
        context,
      )
    } catch (error) {
      thrown = error
    }
    expect(mapOpenAIError(thrown, { ...context, secrets: [] }).code).toBe('rate_limited')
  })

  it('keeps refusals and falls back to the requested model id', () => {
    const response = mapOpenAIResponse(
      fakeResponse({
        output: [
          {
            type: 'message',
            id: 'm',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'refusal', refusal: 'No.' }],
          },
        ],
      }),
      context,
    )
    expect(response).toMatchObject({
      modelId: 'gpt-4o-mini',
      text: '',
      providerMetadata: { openai: { refusal: 'No.' } },
    })
  })

  it('maps statuses and incomplete reasons', () => {
    expect(mapOpenAIResponseStatus('incomplete', 'something_else', false)).toEqual({
      finishReason: 'other',
      rawFinishReason: 'something_else',
    })
    expect(mapOpenAIResponseStatus('failed', undefined, false).finishReason).toBe('error')
    expect(mapOpenAIResponseStatus('queued', undefined, false)).toEqual({
      finishReason: 'other',
      rawFinishReason: 'queued',
    })
  })
})

describe('OpenAIResponsesStreamParts', () => {
  const run = async (events: unknown[]) => {
    const parts: ChatStreamPart[] = []
    const mapper = new OpenAIResponsesStreamParts('openai')
    for (const event of events) mapper.map(event as ResponseStreamEvent, (part) => parts.push(part))
    mapper.end()
    return parts
  }

  it('ends after its terminal event, and fails a stream without one', async () => {
    const parts = await run([
      { type: 'response.created', response: { id: 'r1', model: 'm' } },
      { type: 'response.output_text.delta', delta: 'hi' },
      { type: 'response.completed', response: { id: 'r1', model: 'm', status: 'completed', usage: null } },
      { type: 'response.output_text.delta', delta: 'ignored after the end' },
    ])
    expect(parts.map((part) => part.type)).toEqual(['metadata', 'text-delta', 'metadata', 'usage', 'finish'])
    const error = await failure(run([{ type: 'response.output_text.delta', delta: 'cut' }]))
    expect(error.message).toContain('ended before response.completed')
  })

  it('throws the typed error of response.failed', async () => {
    const error = await failure(
      run([
        { type: 'response.failed', response: { error: { code: 'server_error', message: 'down' } } },
      ]).catch((e) => {
        throw mapOpenAIError(e, { provider: 'openai', modelId: 'm', secrets: [] })
      }),
    )
    expect(error.code).toBe('unavailable')
  })

  it('fails on arguments for a function call it never saw start', async () => {
    const error = await failure(
      run([{ type: 'response.function_call_arguments.delta', item_id: 'fc_x', delta: '{' }]),
    )
    expect(error.code).toBe('invalid_response')
  })
})

import { type ChatRequest, type ChatStreamEvent, failureAction, isQlError, type QlError } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { createOpenAICompatible } from '../src/openai-compatible/index'
import { type FakeStep, startFakeProvider } from '../src/testing/index'

/**
 * Errors as vLLM-style OpenAI-compatible servers send them, through the real `openai` SDK over
 * loopback HTTP: a numeric `code` in the error object, in an HTTP error body and inside a 200
 * stream. The same failure must become the same typed error from `generate` and from `stream`.
 */

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] }

const TOO_LONG =
  "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion."

/** The error objects vLLM sends (`ErrorResponse`), with the HTTP status in `code`. */
const vllmErrors = {
  contextLength: { type: 'BadRequestError', code: 400, message: TOO_LONG, param: null },
  rateLimited: {
    type: 'RateLimitError',
    code: 429,
    message: 'Too many requests, try again later',
    param: null,
  },
  unavailable: { type: 'ServiceUnavailableError', code: 503, message: 'The engine is loading', param: null },
  invalid: {
    type: 'BadRequestError',
    code: 400,
    message: 'temperature must be non-negative, got -1.',
    param: null,
  },
}

type Case = [name: keyof typeof vllmErrors, code: string, retryable: boolean, action: string]
const cases: Case[] = [
  ['contextLength', 'context_length_exceeded', false, 'fallback:context-window'],
  ['rateLimited', 'rate_limited', true, 'retry'],
  ['unavailable', 'unavailable', true, 'retry'],
  ['invalid', 'invalid_request', false, 'stop'],
]

async function failureOf(promise: Promise<unknown>): Promise<QlError> {
  try {
    await promise
  } catch (error) {
    if (isQlError(error)) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

async function withModel(script: FakeStep[], run: (model: ReturnType<typeof modelFor>) => Promise<void>) {
  await using fake = await startFakeProvider({ protocol: 'openai', script })
  await run(modelFor(fake.baseURL))
}

const modelFor = (baseURL: string) => createOpenAICompatible({ name: 'vllm', baseURL }).chat('qwen2.5-7b')

describe('OpenAI-compatible errors with a numeric code (vLLM)', () => {
  it.each(cases)('%s in a 200 stream → %s from stream', async (name, code, retryable, action) => {
    const error = vllmErrors[name]
    await withModel(
      [{ text: 'Hello world', fault: { type: 'error-event', afterChunks: 2, body: { error } } }],
      async (model) => {
        const stream = model.stream(hello)
        const events: ChatStreamEvent[] = []
        const thrown = await failureOf(
          (async () => {
            for await (const event of stream) events.push(event)
          })(),
        )
        expect(thrown).toMatchObject({ code, retryable, provider: 'vllm', status: error.code })
        expect(thrown.message).toContain(error.message)
        expect(failureAction(thrown)).toBe(action)
        expect(events.some((event) => event.type === 'text-delta')).toBe(true)
        await expect(stream.response).rejects.toBe(thrown)
      },
    )
  })

  it.each(cases)('%s before the first token of a stream → %s', async (name, code, retryable) => {
    const error = vllmErrors[name]
    await withModel([{ fault: { type: 'error-event', afterChunks: 0, body: { error } } }], async (model) => {
      const thrown = await failureOf(model.stream(hello).response)
      expect(thrown).toMatchObject({ code, retryable, status: error.code })
    })
  })

  it.each(cases)(
    '%s as an HTTP error body → %s from generate and from stream alike',
    async (name, code, retryable) => {
      const error = vllmErrors[name]
      const fault = { type: 'http', status: error.code, body: { error } } as const
      await withModel([{ fault }, { fault }], async (model) => {
        const fromGenerate = await failureOf(model.generate(hello))
        const fromStream = await failureOf(model.stream(hello).response)
        expect(fromGenerate).toMatchObject({ code, retryable, provider: 'vllm', status: error.code })
        // the same failure, the same error (only the request id in the headers differs)
        const { responseHeaders: _generateHeaders, ...generated } = fromGenerate.toJSON()
        const { responseHeaders: _streamHeaders, ...streamed } = fromStream.toJSON()
        expect(streamed).toEqual(generated)
      })
    },
  )

  it.each(cases)(
    '%s in the body of a 200 answer → %s from generate, as from a stream',
    async (name, code) => {
      const error = vllmErrors[name]
      await withModel([{ fault: { type: 'http', status: 200, body: { error } } }], async (model) => {
        expect(await failureOf(model.generate(hello))).toMatchObject({ code, status: error.code })
      })
    },
  )

  it('reads retry-after on a vLLM 429', async () => {
    const fault = {
      type: 'http',
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: vllmErrors.rateLimited },
    } as const
    await withModel([{ fault }], async (model) => {
      expect(await failureOf(model.generate(hello))).toMatchObject({
        code: 'rate_limited',
        retryAfterMs: 3000,
      })
    })
  })

  it('reads llama.cpp context-size errors, its own type and its 500 wording', async () => {
    const typed = {
      code: 400,
      message: 'request (4390 tokens) exceeds the available context size (4096 tokens), try increasing it',
      type: 'exceed_context_size_error',
      n_prompt_tokens: 4390,
      n_ctx: 4096,
    }
    const older = { code: 500, message: 'Context size has been exceeded.', type: 'server_error' }
    await withModel(
      [
        { text: 'Hi there', fault: { type: 'error-event', afterChunks: 1, body: { error: typed } } },
        { fault: { type: 'http', status: 500, body: { error: older } } },
      ],
      async (model) => {
        expect((await failureOf(model.stream(hello).response)).code).toBe('context_length_exceeded')
        expect(await failureOf(model.generate(hello))).toMatchObject({
          code: 'context_length_exceeded',
          retryable: false,
          status: 500,
        })
      },
    )
  })
})

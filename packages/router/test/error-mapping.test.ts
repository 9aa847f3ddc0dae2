import { APIError as AnthropicAPIError } from '@anthropic-ai/sdk'
import { ValidationException } from '@aws-sdk/client-bedrock-runtime'
import { failureAction } from '@ql/provider'
import { APIError } from 'openai'
import { describe, expect, it } from 'vitest'
import { mapAnthropicError } from '../src/anthropic/map-anthropic-error'
import { mapBedrockError } from '../src/bedrock/map-bedrock-error'
import { mapOpenAIError } from '../src/openai/map-openai-error'

/**
 * How each adapter's error mapping reads the failures the providers send, fed the SDK errors
 * directly. The same failures over the wire are in openai-compatible-errors.test.ts and the
 * adapters' own tests.
 */

const vllm = { provider: 'vllm', modelId: 'qwen', secrets: [] }
const TOO_LONG_VLLM =
  "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion."

/** What the openai SDK throws for a `data: {"error": ...}` frame inside a 200 stream. */
const inStream = (error: Record<string, unknown>) => new APIError(undefined, error, undefined, new Headers())
/** What it throws for an HTTP error whose body is `{"error": ...}`. */
const http = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error }, undefined, new Headers(headers))

describe('mapOpenAIError: OpenAI-compatible servers', () => {
  it.each([
    [400, TOO_LONG_VLLM, 'context_length_exceeded', false],
    [400, 'max_tokens must be at least 1, got -186.', 'invalid_request', false],
    [401, 'bad key', 'authentication', false],
    [404, 'The model `x` does not exist.', 'invalid_request', false],
    [429, 'Too many requests', 'rate_limited', true],
    [500, 'Context size has been exceeded.', 'context_length_exceeded', false],
    [500, 'internal', 'unavailable', true],
    [503, 'loading', 'unavailable', true],
  ] as const)('an in-stream error with numeric code %i (%s) → %s', (code, message, expected, retryable) => {
    const error = mapOpenAIError(inStream({ type: 'BadRequestError', code, message, param: null }), vllm)
    expect(error).toMatchObject({ code: expected, retryable, provider: 'vllm', status: code })
    expect(error.message).toContain(message)
  })

  it('reads a numeric code sent as a string, and leaves non-status numbers alone', () => {
    expect(mapOpenAIError(inStream({ code: '429', message: 'slow down' }), vllm).code).toBe('rate_limited')
    const odd = mapOpenAIError(inStream({ code: 7, message: 'odd' }), vllm)
    expect(odd).toMatchObject({ code: 'unavailable' })
    expect(odd.status).toBeUndefined()
  })

  it('routes a vLLM context-length error to the context-window fallback, never to a retry', () => {
    const error = mapOpenAIError(
      inStream({ type: 'BadRequestError', code: 400, message: TOO_LONG_VLLM }),
      vllm,
    )
    expect(failureAction(error)).toBe('fallback:context-window')
    const limited = mapOpenAIError(inStream({ type: 'RateLimitError', code: 429, message: 'wait' }), vllm)
    expect(failureAction(limited)).toBe('retry')
  })

  it.each([
    ['vLLM', 400, { type: 'BadRequestError', code: 400, message: TOO_LONG_VLLM }],
    [
      'llama.cpp',
      400,
      {
        code: 400,
        message: 'request (4390 tokens) exceeds the available context size (4096 tokens), try increasing it',
        type: 'exceed_context_size_error',
        n_prompt_tokens: 4390,
        n_ctx: 4096,
      },
    ],
    [
      'llama.cpp (older)',
      500,
      { code: 500, message: 'Context size has been exceeded.', type: 'server_error' },
    ],
    [
      'LM Studio',
      400,
      {
        message:
          'The number of tokens to keep from the initial prompt is greater than the context length. Try to load the model with a larger context length, or provide a shorter input',
      },
    ],
    [
      'Ollama',
      400,
      { message: 'the input length exceeds the context length', type: 'api_error', code: null },
    ],
  ] as const)(
    'an HTTP error from %s over the context window → context_length_exceeded',
    (_server, status, body) => {
      const error = mapOpenAIError(http(status, body), vllm)
      expect(error).toMatchObject({ code: 'context_length_exceeded', retryable: false, status })
    },
  )

  it('never reads a 429 as a context-length error, whatever it says', () => {
    const error = mapOpenAIError(
      http(429, {
        message: 'Request too large: too many input tokens per minute',
        code: 'rate_limit_exceeded',
      }),
      vllm,
    )
    expect(error.code).toBe('rate_limited')
    expect(mapOpenAIError(inStream({ code: 429, message: 'too many input tokens' }), vllm).code).toBe(
      'rate_limited',
    )
  })

  it('reads retry-after on an HTTP 429 with a vLLM-shaped body', () => {
    const error = mapOpenAIError(
      http(429, { type: 'RateLimitError', code: 429, message: 'busy' }, { 'retry-after': '2' }),
      vllm,
    )
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 2000 })
  })
})

describe('mapAnthropicError: context-length wordings', () => {
  const context = { modelId: 'claude', secrets: [] }
  it.each([
    'prompt is too long: 209353 tokens > 199999 maximum',
    'input length and `max_tokens` exceed context limit: 198981 + 21333 > 200000, decrease input length or `max_tokens` and try again',
  ])('HTTP 400 %s → context_length_exceeded', (message) => {
    const error = AnthropicAPIError.generate(
      400,
      { type: 'error', error: { type: 'invalid_request_error', message } },
      undefined,
      new Headers(),
    )
    expect(mapAnthropicError(error, context)).toMatchObject({ code: 'context_length_exceeded', status: 400 })
  })

  it('leaves other invalid requests alone', () => {
    const error = AnthropicAPIError.generate(
      400,
      { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } },
      undefined,
      new Headers(),
    )
    expect(mapAnthropicError(error, context).code).toBe('invalid_request')
  })
})

describe('mapBedrockError: context-length wordings', () => {
  const context = { modelId: 'anthropic.claude', secrets: [] }
  const validation = (message: string) =>
    new ValidationException({ message, $metadata: { httpStatusCode: 400 } })
  it.each([
    'Input is too long for requested model.',
    'The model returned the following errors: prompt is too long: 903884 tokens > 200000 maximum',
    'The model returned the following errors: input length and `max_tokens` exceed context limit: 142422 + 64000 > 204658',
    'Input Tokens Exceeded: Number of input tokens exceeds maximum length of 300000.',
    'Request has too many input tokens.',
  ])('ValidationException %s → context_length_exceeded', (message) => {
    expect(mapBedrockError(validation(message), context)).toMatchObject({
      code: 'context_length_exceeded',
      retryable: false,
      status: 400,
    })
  })

  it('keeps other validation failures as invalid requests', () => {
    const error = validation('The maximum tokens you requested exceeds the model limit of 2048.')
    expect(mapBedrockError(error, context).code).toBe('invalid_request')
  })
})

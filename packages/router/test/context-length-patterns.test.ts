import { describe, expect, it } from 'vitest'
import {
  CONTEXT_LENGTH_CODES,
  CONTEXT_LENGTH_PATTERNS,
  isContextLengthMessage,
} from '../src/shared/context-length-patterns'

describe('CONTEXT_LENGTH_PATTERNS', () => {
  it.each(CONTEXT_LENGTH_PATTERNS.map((entry) => [entry.source, entry.server, entry] as const))(
    '%s (%s): its example matches its own pattern',
    (_source, _server, entry) => {
      expect(entry.pattern.test(entry.example)).toBe(true)
      expect(isContextLengthMessage(entry.example)).toBe(true)
    },
  )

  it.each([
    // vLLM (0.6–0.10 and V1), OpenAI, OpenRouter
    "This model's maximum context length is 4096 tokens. However, you requested 4110 tokens (14 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.",
    "'max_tokens' or 'max_completion_tokens' is too large: 4096. This model's maximum context length is 4096 tokens and your request has 12 input tokens (4096 > 4096 - 12).",
    'Prompt length of 5016 is longer than the maximum model length of 4096.',
    "This endpoint's maximum context length is 32768 tokens. However, you requested about 42832 tokens (42832 of text input).",
    // llama.cpp server, before and after exceed_context_size_error
    'the request exceeds the available context size. try increasing the context size or enable context shift',
    'Context size has been exceeded.',
    // LM Studio
    'The number of tokens to keep from the initial prompt is greater than the context length. Try to load the model with a larger context length, or provide a shorter input',
    'Cannot truncate prompt with n_keep (15028) >= n_ctx (7424)',
    // Ollama
    'input exceeds context length',
    // Hugging Face TGI
    'Input validation error: `inputs` must have less than 2048 tokens. Given: 2222',
  ])('OpenAI-compatible servers: %s', (message) => {
    expect(isContextLengthMessage(message)).toBe(true)
  })

  it.each([
    'prompt is too long: 200251 tokens > 200000 maximum',
    'input length and `max_tokens` exceed context limit: 142422 + 64000 > 204658, decrease input length or `max_tokens` and try again',
  ])('Anthropic: %s', (message) => {
    expect(isContextLengthMessage(message)).toBe(true)
  })

  it.each([
    'Input is too long for requested model.',
    'Your input is too long. Max input length is 4096 tokens, but you supplied 5441 tokens.',
    'The model returned the following errors: prompt is too long: 227255 tokens > 200000 maximum',
    'The model returned the following errors: input length and `max_tokens` exceed context limit: 198981 + 21333 > 200000',
    'Input Tokens Exceeded: Number of input tokens exceeds maximum length of 300000.',
    'too many total text bytes: 2093621 > 2000000',
    'Request has too many input tokens.',
  ])('Bedrock: %s', (message) => {
    expect(isContextLengthMessage(message)).toBe(true)
  })

  it.each([
    'max_tokens must be at least 1, got -186.',
    'The maximum tokens you requested exceeds the model limit of 2048. Try again with a maximum tokens value that is lower than 2048.',
    'Too many tokens, please wait before trying again.',
    'Rate limit reached for requests',
    'Invalid value for temperature',
    'messages: text content blocks must be non-empty',
  ])('does not match other failures: %s', (message) => {
    expect(isContextLengthMessage(message)).toBe(false)
  })

  it('knows the codes that say it without a message', () => {
    expect([...CONTEXT_LENGTH_CODES].sort()).toEqual([
      'context_length_exceeded',
      'exceed_context_size_error',
      'string_above_max_length',
    ])
  })
})

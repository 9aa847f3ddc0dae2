/** A wording by which a provider says the input does not fit the model's context window. */
export interface ContextLengthPattern {
  /** Who sends it. */
  source: 'openai' | 'openai-compatible' | 'anthropic' | 'bedrock'
  /** The server or model family, for the docs and tests (`vLLM`, `llama.cpp`, `Claude on Bedrock`). */
  server: string
  /** Matched against the provider's error message. */
  pattern: RegExp
  /** A message of this kind in the server's wording; the tests check each one. */
  example: string
}

/**
 * Error codes and types that mean the input is too long, whatever the message says: OpenAI's
 * `context_length_exceeded` and `string_above_max_length`, llama.cpp's `exceed_context_size_error`.
 */
export const CONTEXT_LENGTH_CODES: ReadonlySet<string> = new Set([
  'context_length_exceeded',
  'string_above_max_length',
  'exceed_context_size_error',
])

/**
 * Every wording we recognise as "the input does not fit the context window", for providers and
 * servers that send no code for it (Anthropic answers a plain `invalid_request_error`, Bedrock a
 * `ValidationException`, OpenAI-compatible servers a 400 with a numeric code). One table for all
 * adapters, so a new wording is added once; each entry is tested with its example.
 *
 * Wordings that only say `max_tokens` is above the model's output limit are left out on purpose:
 * that request is invalid on any model, and a larger window would not help.
 */
export const CONTEXT_LENGTH_PATTERNS: readonly ContextLengthPattern[] = [
  {
    source: 'openai-compatible',
    server: 'vLLM, OpenAI, OpenRouter, text-generation-webui',
    pattern: /maximum context length is \d+ tokens/i,
    example:
      "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
  },
  {
    source: 'openai-compatible',
    server: 'vLLM (V1 engine)',
    pattern: /prompt (?:\(length \d+\) |length of \d+ )?is longer than the maximum model length/i,
    example:
      'The decoder prompt (length 17772) is longer than the maximum model length of 16384. Make sure that `max_model_len` is no smaller than the number of text tokens.',
  },
  {
    source: 'openai-compatible',
    server: 'llama.cpp server',
    pattern: /exceeds the available context size|context size has been exceeded/i,
    example: 'request (4390 tokens) exceeds the available context size (4096 tokens), try increasing it',
  },
  {
    source: 'openai-compatible',
    server: 'LM Studio',
    pattern:
      /tokens to keep from the initial prompt is greater than the context length|trying to keep the first \d+ tokens when context the overflows|cannot truncate prompt with n_keep/i,
    example:
      'Trying to keep the first 111490 tokens when context the overflows. However, the model is loaded with context length of only 32768 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input.',
  },
  {
    source: 'openai-compatible',
    server: 'Ollama',
    pattern: /input (?:length )?exceeds (?:the )?(?:maximum )?context length/i,
    example: 'the input length exceeds the context length',
  },
  {
    source: 'openai-compatible',
    server: 'Hugging Face TGI',
    pattern: /`inputs` tokens \+ `max_new_tokens` must be <=|`inputs` must have less than \d+ tokens/i,
    example:
      'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 32768. Given: 79993 `inputs` tokens and 1024 `max_new_tokens`',
  },
  {
    source: 'openai',
    server: 'OpenAI (Responses API)',
    pattern: /exceeds? the (?:model's )?context window/i,
    example: 'Your input exceeds the context window of this model. Please adjust your input and try again.',
  },
  {
    source: 'anthropic',
    server: 'Anthropic Messages API, and Claude on Bedrock',
    pattern: /prompt is too long/i,
    example: 'prompt is too long: 209353 tokens > 199999 maximum',
  },
  {
    source: 'anthropic',
    server: 'Anthropic Messages API, and Claude on Bedrock',
    pattern: /input length and `?max_tokens`? exceed context limit/i,
    example:
      'input length and max_tokens exceed context limit: 198981 + 21333 > 200000, decrease input length or max_tokens and try again',
  },
  {
    source: 'bedrock',
    server: 'Bedrock (Claude 2, Titan, Llama, Cohere)',
    pattern: /input is too long/i,
    example: 'Input is too long for requested model.',
  },
  {
    source: 'bedrock',
    server: 'Bedrock Converse',
    pattern: /too many input tokens|too many total text bytes/i,
    example: 'The request has too many input tokens for the model. Reduce the input and try again.',
  },
  {
    source: 'bedrock',
    server: 'Bedrock (Amazon Nova)',
    pattern: /input tokens exceeded|number of input tokens exceeds maximum length/i,
    example:
      'Input Tokens Exceeded: Number of input tokens exceeds maximum length. Please reduce your input.',
  },
]

/**
 * True when a provider's error message says the input does not fit the context window, by any
 * wording in {@link CONTEXT_LENGTH_PATTERNS}. Check it only on errors that can mean that (a 400,
 * 413, 422 or 5xx, an in-stream error, a Bedrock `ValidationException`), never on a 429: a
 * throttling message such as "too many tokens, please wait" is about rate, not size.
 */
export function isContextLengthMessage(message: string): boolean {
  return CONTEXT_LENGTH_PATTERNS.some((entry) => entry.pattern.test(message))
}

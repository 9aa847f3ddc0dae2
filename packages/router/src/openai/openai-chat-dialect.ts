/**
 * What an OpenAI-shaped endpoint understands. OpenAI itself and the OpenAI-compatible servers
 * (Ollama, vLLM, LM Studio) share one Chat Completions mapping and differ only here.
 */
export interface OpenAIChatDialect {
  /** The field that carries `maxTokens`: OpenAI's `max_completion_tokens`, or the older `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens'
  /** Whether `response_format: { type: 'json_schema' }` is supported. */
  structuredOutputs: boolean
  /** Whether to ask for the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean
  /**
   * Whether a stream must end with the usage chunk. OpenAI always sends it when asked, so a stream
   * that ends after `finish_reason` without it was cut short.
   */
  requireUsageChunk: boolean
  /**
   * Whether request `metadata` may be sent as OpenAI's `metadata` (string values, at most 16 keys;
   * OpenAI takes it only together with `store: true`).
   */
  metadata: boolean
  /** Whether `o*` and `gpt-5` model ids are reasoning models (no `temperature` / `top_p`). */
  reasoningModels: boolean
  /**
   * Whose typed `providerOptions` the endpoint takes, and where `metadata.userId` goes: OpenAI's
   * own (`OpenAIProviderOptions`, `safety_identifier`), or those of OpenAI-compatible servers
   * (`OpenAICompatibleProviderOptions`, `user`), the default.
   */
  options?: 'openai' | 'compatible'
}

/** OpenAI's own API. */
export const OPENAI_DIALECT: OpenAIChatDialect = {
  maxTokensField: 'max_completion_tokens',
  structuredOutputs: true,
  includeUsage: true,
  requireUsageChunk: true,
  metadata: true,
  reasoningModels: true,
  options: 'openai',
}

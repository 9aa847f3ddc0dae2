import type { ChatModel } from '@ql/provider'
import { createOpenAIConnection } from '../openai/create-openai-connection'
import type { OpenAIChatDialect } from '../openai/openai-chat-dialect'
import { createOpenAIChatModel } from '../openai/openai-chat-model'
import { type ApiKeySource, resolveApiKey } from '../shared/resolve-api-key'

/** Settings of {@link createOpenAICompatible}. */
export interface OpenAICompatibleProviderSettings {
  /**
   * The provider's name (for example `ollama`, `vllm`, `lmstudio`): reported in responses and
   * errors, and the `providerOptions` key this provider reads.
   */
  name: string
  /** The server's OpenAI-compatible base URL, for example `http://localhost:11434/v1`. */
  baseURL: string
  /** The API key, or a function that returns the current key (called before every call). */
  apiKey?: ApiKeySource
  /**
   * An environment variable to read the key from when `apiKey` is not given. With neither, the
   * server is called without a key (no Authorization header), as local servers expect.
   */
  apiKeyEnvironmentVariable?: string
  /** Headers sent with every request. */
  headers?: Record<string, string>
  /** A `fetch` implementation. */
  fetch?: typeof globalThis.fetch
  /** Whether the server supports `response_format: { type: 'json_schema' }` (default true). */
  supportsStructuredOutputs?: boolean
  /**
   * Whether to ask for usage in streams (`stream_options.include_usage`, default true). Turn it
   * off for servers that reject the option.
   */
  includeUsage?: boolean
}

/** Makes chat models of an OpenAI-compatible server. */
export interface OpenAICompatibleProvider {
  /** A model by the server's id for it, for example `llama3.2`. */
  chat(modelId: string): ChatModel
}

/**
 * Creates a provider for any server that speaks OpenAI Chat Completions (Ollama, vLLM, LM Studio,
 * llama.cpp, ...), on the official `openai` SDK with its retries off. It shares the OpenAI
 * adapter's mapping; the differences are `max_tokens` for `maxTokens`, no request `metadata`
 * (only `metadata.user` → `user`), a stream that need not end with a usage chunk, and reasoning
 * read from `reasoning_content` / `reasoning` when the server sends it.
 *
 * @example
 * ```ts
 * const ollama = createOpenAICompatible({ name: 'ollama', baseURL: 'http://localhost:11434/v1' })
 * const model = ollama.chat('llama3.2')
 * ```
 */
export function createOpenAICompatible(settings: OpenAICompatibleProviderSettings): OpenAICompatibleProvider {
  const provider = settings.name
  const dialect: OpenAIChatDialect = {
    maxTokensField: 'max_tokens',
    structuredOutputs: settings.supportsStructuredOutputs ?? true,
    includeUsage: settings.includeUsage ?? true,
    requireUsageChunk: false,
    metadata: false,
    reasoningModels: false,
  }
  const { apiKey, apiKeyEnvironmentVariable } = settings
  const connect = createOpenAIConnection({
    provider,
    baseURL: settings.baseURL,
    headers: settings.headers,
    fetch: settings.fetch,
    apiKey: async () =>
      apiKey === undefined && apiKeyEnvironmentVariable === undefined
        ? undefined
        : resolveApiKey({
            apiKey,
            environmentVariable:
              apiKeyEnvironmentVariable ?? 'the variable named by apiKeyEnvironmentVariable',
            provider,
          }),
  })
  return {
    chat: (modelId) => createOpenAIChatModel(modelId, { provider, providerKey: provider, dialect, connect }),
  }
}

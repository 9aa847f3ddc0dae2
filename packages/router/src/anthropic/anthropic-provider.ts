import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk'
import type { ChatModel } from '@ql/provider'
import { type ApiKeySource, resolveApiKey } from '../shared/resolve-api-key'
import { createAnthropicChatModel } from './anthropic-chat-model'

/** The SDK's own request timeout: a day, so that only the caller's `timeoutMs` ever applies. */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000

/** Settings of {@link createAnthropic}. */
export interface AnthropicProviderSettings {
  /**
   * The API key, or a function that returns the current key (called before every request, for
   * rotation). Defaults to the `ANTHROPIC_API_KEY` environment variable.
   */
  apiKey?: ApiKeySource
  /** The API's base URL, without `/v1` (default `https://api.anthropic.com`, or `ANTHROPIC_BASE_URL`). */
  baseURL?: string
  /** Headers sent with every request. */
  headers?: Record<string, string>
  /** A `fetch` implementation for the SDK (for proxies or tests). */
  fetch?: typeof globalThis.fetch
  /** `max_tokens` when a request sets no `maxTokens` (Anthropic requires one). Default 4096. */
  defaultMaxTokens?: number
  /**
   * The SDK's own OpenTelemetry spans (on by default, with the globally registered tracer
   * provider). Pass `false` when the router's `gen_ai.*` spans are enough.
   */
  openTelemetry?: ClientOptions['openTelemetry']
}

/** Makes Anthropic chat models. */
export interface AnthropicProvider {
  /** A Claude model (for example `claude-sonnet-4-5`) as a `ChatModel`. */
  chat(modelId: string): ChatModel
}

/**
 * An Anthropic provider on the official `@anthropic-ai/sdk` (Messages API), with the SDK's own
 * retries turned off (`maxRetries: 0`): retries belong to the router.
 *
 * @example
 * ```ts
 * const model = createAnthropic({ apiKey: process.env.MY_KEY }).chat('claude-sonnet-4-5')
 * const { text } = await model.generate({ messages: [{ role: 'user', content: 'Hi' }] })
 * ```
 */
export function createAnthropic(settings: AnthropicProviderSettings = {}): AnthropicProvider {
  let cached: { apiKey: string; client: Anthropic } | undefined
  const client = async () => {
    const apiKey = await resolveApiKey({
      apiKey: settings.apiKey,
      environmentVariable: 'ANTHROPIC_API_KEY',
      provider: 'anthropic',
    })
    if (cached?.apiKey !== apiKey) {
      cached = {
        apiKey,
        client: new Anthropic({
          apiKey,
          maxRetries: 0,
          // the caller's timeoutMs (through the abort signal) is the one limit; the SDK's own stays out of the way
          timeout: SDK_TIMEOUT_MS,
          ...(settings.baseURL === undefined ? {} : { baseURL: settings.baseURL }),
          ...(settings.headers === undefined ? {} : { defaultHeaders: settings.headers }),
          ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
          ...(settings.openTelemetry === undefined ? {} : { openTelemetry: settings.openTelemetry }),
        }),
      }
    }
    return cached
  }
  const defaultMaxTokens = settings.defaultMaxTokens ?? 4096
  return {
    chat: (modelId) => createAnthropicChatModel(modelId, { client, defaultMaxTokens }),
  }
}

/** The default provider: the key from `ANTHROPIC_API_KEY`, the default base URL. */
export const anthropic: AnthropicProvider = createAnthropic()

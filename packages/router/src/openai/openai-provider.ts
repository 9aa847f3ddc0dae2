import type { ChatModel } from '@ql/provider'
import { type ApiKeySource, resolveApiKey } from '../shared/resolve-api-key'
import { createOpenAIConnection } from './create-openai-connection'
import { OPENAI_DIALECT } from './openai-chat-dialect'
import { createOpenAIChatModel } from './openai-chat-model'
import { createOpenAIResponsesModel } from './responses/openai-responses-model'

/** Settings of {@link createOpenAI}. */
export interface OpenAIProviderSettings {
  /**
   * The API key, or a function that returns the current key (called before every call, for
   * rotation). Defaults to the `OPENAI_API_KEY` environment variable, read at call time.
   */
  apiKey?: ApiKeySource
  /** The API's base URL. Defaults to `https://api.openai.com/v1` (or `OPENAI_BASE_URL`). */
  baseURL?: string
  /** Sent as `OpenAI-Organization`. */
  organization?: string
  /** Sent as `OpenAI-Project`. */
  project?: string
  /** Headers sent with every request. */
  headers?: Record<string, string>
  /** A `fetch` implementation (for proxies or instrumentation). */
  fetch?: typeof globalThis.fetch
  /** The provider name reported in responses and errors; defaults to `openai`. */
  name?: string
}

/** Makes OpenAI chat models. */
export interface OpenAIProvider {
  /** A Chat Completions model, for example `gpt-4o-mini`. */
  chat(modelId: string): ChatModel
  /** A model on the Responses API (`/v1/responses`), stateless: every call sends the whole conversation. */
  responses(modelId: string): ChatModel
}

/**
 * Creates an OpenAI provider on the official `openai` SDK, its own retries turned off.
 *
 * @example
 * ```ts
 * const openai = createOpenAI({ apiKey: process.env.MY_OPENAI_KEY })
 * const response = await openai.chat('gpt-4o-mini').generate({ messages: [{ role: 'user', content: 'Hi' }] })
 * ```
 */
export function createOpenAI(settings: OpenAIProviderSettings = {}): OpenAIProvider {
  const provider = settings.name ?? 'openai'
  const connect = createOpenAIConnection({
    provider,
    baseURL: settings.baseURL,
    organization: settings.organization,
    project: settings.project,
    headers: settings.headers,
    fetch: settings.fetch,
    apiKey: () => resolveApiKey({ apiKey: settings.apiKey, environmentVariable: 'OPENAI_API_KEY', provider }),
  })
  return {
    chat: (modelId) =>
      createOpenAIChatModel(modelId, { provider, providerKey: 'openai', dialect: OPENAI_DIALECT, connect }),
    responses: (modelId) => createOpenAIResponsesModel(modelId, { provider, providerKey: 'openai', connect }),
  }
}

/** The default OpenAI provider: its key from `OPENAI_API_KEY`. */
export const openai: OpenAIProvider = createOpenAI()

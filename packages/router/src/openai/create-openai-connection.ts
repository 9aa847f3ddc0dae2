import { AuthenticationError, isQlError, redactSecrets } from '@ql/provider'
import OpenAI from 'openai'
import { watchSseDone } from './watch-sse-done'

/** Settings every OpenAI-shaped client takes. */
export interface OpenAIConnectionSettings {
  provider: string
  baseURL?: string | undefined
  headers?: Record<string, string> | undefined
  fetch?: typeof globalThis.fetch | undefined
  organization?: string | undefined
  project?: string | undefined
  /** Resolves the key for one call; `undefined` means the server takes no key (no Authorization header). */
  apiKey: () => Promise<string | undefined>
}

/**
 * Returns a `connect()` for {@link OpenAIChatConfig}: resolves the key for the call and hands out an
 * `openai` client that sends it, with the SDK's retries off and `fetch` wrapped to see whether a
 * stream ended with `data: [DONE]` (see {@link watchSseDone}). The client is reused while the key
 * stays the same and rebuilt when a rotating key changes.
 */
export function createOpenAIConnection(settings: OpenAIConnectionSettings) {
  let cached: { apiKey: string | undefined; client: OpenAI } | undefined
  return async (): Promise<{ client: OpenAI; apiKey: string | undefined }> => {
    let apiKey: string | undefined
    try {
      apiKey = await settings.apiKey()
    } catch (error) {
      if (isQlError(error)) throw error
      throw new AuthenticationError({
        message: `the ${settings.provider} apiKey function failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
        provider: settings.provider,
        retryable: true,
      })
    }
    if (cached === undefined || cached.apiKey !== apiKey) {
      const client = new OpenAI({
        apiKey: apiKey ?? 'no-key',
        maxRetries: 0,
        ...(settings.baseURL === undefined ? {} : { baseURL: settings.baseURL }),
        ...(settings.organization === undefined ? {} : { organization: settings.organization }),
        ...(settings.project === undefined ? {} : { project: settings.project }),
        fetch: watchSseDone(settings.fetch ?? ((input, init) => globalThis.fetch(input, init))),
        // a server that takes no key gets no Authorization header at all
        defaultHeaders: { ...settings.headers, ...(apiKey === undefined ? { Authorization: null } : {}) },
      })
      cached = { apiKey, client }
    }
    return { client: cached.client, apiKey }
  }
}

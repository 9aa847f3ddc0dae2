import { type ChatModel, defineChatModel } from '@ql/provider'
import type OpenAI from 'openai'
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions'
import { readResponseHeaders } from '../shared/read-response-headers'
import { sdkRequestOptions } from '../shared/sdk-request-options'
import { buildOpenAIChatBody } from './build-openai-chat-body'
import { mapOpenAICompletion } from './map-openai-completion'
import { mapOpenAIError } from './map-openai-error'
import type { OpenAIChatDialect } from './openai-chat-dialect'
import { OpenAIStreamParts } from './openai-stream-parts'
import { SSE_DONE_WATCH, type SseDoneWatch } from './watch-sse-done'

/** A client for one call and the key it sends. */
export interface Connection {
  client: OpenAI
  apiKey: string | undefined
}

/** How an OpenAI chat model reaches its endpoint. */
export interface OpenAIChatConfig {
  /** The provider name reported in responses and errors (`openai`, or a compatible server's name). */
  provider: string
  /** The `providerOptions` key read for vendor settings. */
  providerKey: string
  dialect: OpenAIChatDialect
  /**
   * The API key for one call (`undefined` for a server that takes none) and an SDK client that
   * sends it. Called once per call, so a rotating key takes effect on the next call.
   */
  connect(): Promise<Connection>
}

/**
 * A {@link ChatModel} on the official `openai` SDK's Chat Completions API, for OpenAI and any
 * OpenAI-compatible server. The SDK's retries are off (the router owns retries): one call is one
 * HTTP request.
 */
export function createOpenAIChatModel(modelId: string, config: OpenAIChatConfig): ChatModel {
  const { provider, dialect } = config
  return defineChatModel({
    provider,
    modelId,
    prepare: (request) =>
      buildOpenAIChatBody(request, { modelId, provider, providerKey: config.providerKey, dialect }),
    connect: () => config.connect(),
    generate: async ({ prepared, connection, signal, options }) => {
      const { data, response } = await connection.client.chat.completions
        .create(
          prepared.body as unknown as ChatCompletionCreateParamsNonStreaming,
          sdkRequestOptions(signal, options),
        )
        .withResponse()
      return mapOpenAICompletion(data, {
        provider,
        modelId,
        warnings: prepared.warnings,
        ...readResponseHeaders(response.headers),
      })
    },
    stream: async ({ prepared, connection, signal, options }) => {
      const watch: SseDoneWatch = { observed: false, sawDone: false }
      const { data, response } = await connection.client.chat.completions
        .create(
          {
            ...prepared.body,
            stream: true,
            ...(dialect.includeUsage ? { stream_options: { include_usage: true } } : {}),
          } as unknown as ChatCompletionCreateParamsStreaming,
          {
            ...sdkRequestOptions(signal, options),
            // the SDK passes fetchOptions on to fetch as they are: the watch reaches watchSseDone
            fetchOptions: { [SSE_DONE_WATCH]: watch } as never,
          },
        )
        .withResponse()
      const parts = new OpenAIStreamParts({
        provider,
        watch,
        requireUsageChunk: dialect.includeUsage && dialect.requireUsageChunk,
      })
      return {
        chunks: data as AsyncIterable<ChatCompletionChunk>,
        toParts: (chunk: ChatCompletionChunk, emit) => parts.map(chunk, emit),
        onEnd: (emit) => parts.end(emit),
        ...readResponseHeaders(response.headers),
      }
    },
    mapError: (error, connection) =>
      mapOpenAIError(error, {
        provider,
        modelId,
        secrets: [connection?.apiKey],
        ...(connection === undefined ? {} : { url: `${connection.client.baseURL}/chat/completions` }),
      }),
  })
}

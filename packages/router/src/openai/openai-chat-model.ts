import {
  type CallOptions,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  createChatStream,
  type QlError,
  runCall,
  validateChatRequest,
} from '@ql/provider'
import type OpenAI from 'openai'
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions'
import { buildOpenAIChatBody } from './build-openai-chat-body'
import { mapOpenAICompletion } from './map-openai-completion'
import { mapOpenAIError } from './map-openai-error'
import type { OpenAIChatDialect } from './openai-chat-dialect'
import { toOpenAIStreamParts } from './openai-stream-parts'
import { SSE_DONE_WATCH, type SseDoneWatch } from './watch-sse-done'

/** A client for one call and the key it sends. */
export interface Connection {
  client: OpenAI
  apiKey: string | undefined
}

/** How an {@link OpenAIChatModel} reaches its endpoint. */
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
export class OpenAIChatModel implements ChatModel {
  readonly specificationVersion = 'v1' as const
  readonly provider: string
  readonly modelId: string
  readonly #config: OpenAIChatConfig

  constructor(modelId: string, config: OpenAIChatConfig) {
    this.modelId = modelId
    this.provider = config.provider
    this.#config = config
  }

  async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
    const { body, warnings } = this.#build(request)
    let connection: Connection | undefined
    return runCall(
      options,
      async (signal) => {
        connection = await this.#config.connect()
        const completion = await connection.client.chat.completions.create(
          body as unknown as ChatCompletionCreateParamsNonStreaming,
          { signal, ...(options.headers === undefined ? {} : { headers: options.headers }) },
        )
        return mapOpenAICompletion(completion, { provider: this.provider, modelId: this.modelId, warnings })
      },
      (error) => this.#mapError(error, connection),
    )
  }

  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    let connection: Connection | undefined
    const { dialect } = this.#config
    return createChatStream({
      provider: this.provider,
      modelId: this.modelId,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      mapError: (error) => this.#mapError(error, connection),
      start: async (signal) => {
        const { body, warnings } = this.#build(request)
        connection = await this.#config.connect()
        const watch: SseDoneWatch = { observed: false, sawDone: false }
        const chunks = await connection.client.chat.completions.create(
          {
            ...body,
            stream: true,
            ...(dialect.includeUsage ? { stream_options: { include_usage: true } } : {}),
          } as unknown as ChatCompletionCreateParamsStreaming,
          {
            signal,
            // the SDK passes fetchOptions on to fetch as they are: the watch reaches watchSseDone
            fetchOptions: { [SSE_DONE_WATCH]: watch } as never,
            ...(options.headers === undefined ? {} : { headers: options.headers }),
          },
        )
        return toOpenAIStreamParts(chunks, {
          provider: this.provider,
          warnings,
          watch,
          requireUsageChunk: dialect.includeUsage && dialect.requireUsageChunk,
        })
      },
    })
  }

  #build(request: ChatRequest) {
    const valid = validateChatRequest(request)
    return buildOpenAIChatBody(valid, {
      modelId: this.modelId,
      provider: this.provider,
      providerKey: this.#config.providerKey,
      dialect: this.#config.dialect,
    })
  }

  #mapError(error: unknown, connection: Connection | undefined): QlError {
    return mapOpenAIError(error, {
      provider: this.provider,
      modelId: this.modelId,
      secrets: [connection?.apiKey],
      ...(connection === undefined ? {} : { url: `${connection.client.baseURL}/chat/completions` }),
    })
  }
}

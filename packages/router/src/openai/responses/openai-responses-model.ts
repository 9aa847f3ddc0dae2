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
import type {
  ResponseCreateParamsNonStreaming,
  ResponseCreateParamsStreaming,
} from 'openai/resources/responses/responses'
import { mapOpenAIError } from '../map-openai-error'
import type { Connection, OpenAIChatConfig } from '../openai-chat-model'
import { buildOpenAIResponsesBody } from './build-openai-responses-body'
import { mapOpenAIResponse } from './map-openai-response'
import { toOpenAIResponsesStreamParts } from './openai-responses-stream-parts'

/**
 * A {@link ChatModel} on the official `openai` SDK's Responses API (`client.responses.create`),
 * stateless: the whole conversation is sent as `input` each call. The SDK's retries are off.
 */
export class OpenAIResponsesModel implements ChatModel {
  readonly specificationVersion = 'v1' as const
  readonly provider: string
  readonly modelId: string
  readonly #config: Pick<OpenAIChatConfig, 'provider' | 'providerKey' | 'connect'>

  constructor(modelId: string, config: Pick<OpenAIChatConfig, 'provider' | 'providerKey' | 'connect'>) {
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
        const response = await connection.client.responses.create(
          body as unknown as ResponseCreateParamsNonStreaming,
          { signal, ...(options.headers === undefined ? {} : { headers: options.headers }) },
        )
        return mapOpenAIResponse(response, { provider: this.provider, modelId: this.modelId, warnings })
      },
      (error) => this.#mapError(error, connection),
    )
  }

  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    let connection: Connection | undefined
    return createChatStream({
      provider: this.provider,
      modelId: this.modelId,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      mapError: (error) => this.#mapError(error, connection),
      start: async (signal) => {
        const { body, warnings } = this.#build(request)
        connection = await this.#config.connect()
        const events = await connection.client.responses.create(
          { ...body, stream: true } as unknown as ResponseCreateParamsStreaming,
          { signal, ...(options.headers === undefined ? {} : { headers: options.headers }) },
        )
        return toOpenAIResponsesStreamParts(events, { provider: this.provider, warnings })
      },
    })
  }

  #build(request: ChatRequest) {
    return buildOpenAIResponsesBody(validateChatRequest(request), {
      modelId: this.modelId,
      providerKey: this.#config.providerKey,
    })
  }

  #mapError(error: unknown, connection: Connection | undefined): QlError {
    return mapOpenAIError(error, {
      provider: this.provider,
      modelId: this.modelId,
      secrets: [connection?.apiKey],
      ...(connection === undefined ? {} : { url: `${connection.client.baseURL}/responses` }),
    })
  }
}

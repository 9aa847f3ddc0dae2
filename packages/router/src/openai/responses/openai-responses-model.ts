import { type ChatModel, defineChatModel } from '@ql/provider'
import type {
  ResponseCreateParamsNonStreaming,
  ResponseCreateParamsStreaming,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses'
import { readResponseHeaders } from '../../shared/read-response-headers'
import { sdkRequestOptions } from '../../shared/sdk-request-options'
import { mapOpenAIError } from '../map-openai-error'
import type { OpenAIChatConfig } from '../openai-chat-model'
import { buildOpenAIResponsesBody } from './build-openai-responses-body'
import { mapOpenAIResponse } from './map-openai-response'
import { OpenAIResponsesStreamParts } from './openai-responses-stream-parts'

/**
 * A {@link ChatModel} on the official `openai` SDK's Responses API (`client.responses.create`),
 * stateless: the whole conversation is sent as `input` each call. The SDK's retries are off.
 */
export function createOpenAIResponsesModel(
  modelId: string,
  config: Pick<OpenAIChatConfig, 'provider' | 'providerKey' | 'connect'>,
): ChatModel {
  const { provider } = config
  return defineChatModel({
    provider,
    modelId,
    prepare: (request) =>
      buildOpenAIResponsesBody(request, { modelId, provider, providerKey: config.providerKey }),
    connect: () => config.connect(),
    generate: async ({ prepared, connection, signal, options }) => {
      const { data, response } = await connection.client.responses
        .create(
          prepared.body as unknown as ResponseCreateParamsNonStreaming,
          sdkRequestOptions(signal, options),
        )
        .withResponse()
      return mapOpenAIResponse(data, {
        provider,
        modelId,
        warnings: prepared.warnings,
        ...readResponseHeaders(response.headers),
      })
    },
    stream: async ({ prepared, connection, signal, options }) => {
      const { data, response } = await connection.client.responses
        .create(
          { ...prepared.body, stream: true } as unknown as ResponseCreateParamsStreaming,
          sdkRequestOptions(signal, options),
        )
        .withResponse()
      const parts = new OpenAIResponsesStreamParts(provider)
      return {
        chunks: data as AsyncIterable<ResponseStreamEvent>,
        toParts: (event: ResponseStreamEvent, emit) => parts.map(event, emit),
        onEnd: () => parts.end(),
        ...readResponseHeaders(response.headers),
      }
    },
    mapError: (error, connection) =>
      mapOpenAIError(error, {
        provider,
        modelId,
        secrets: [connection?.apiKey],
        ...(connection === undefined ? {} : { url: `${connection.client.baseURL}/responses` }),
      }),
  })
}

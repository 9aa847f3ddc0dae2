import type Anthropic from '@anthropic-ai/sdk'
import type { Message as AnthropicMessage, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages'
import {
  type ChatModel,
  type ChatResponse,
  createChatResponse,
  defineChatModel,
  type ReasoningPart,
  type TextPart,
  type ToolCallPart,
  type Warning,
} from '@ql/provider'
import { readResponseHeaders } from '../shared/read-response-headers'
import { sdkRequestOptions } from '../shared/sdk-request-options'
import { AnthropicStreamParts } from './anthropic-stream-parts'
import { buildAnthropicRequest } from './build-anthropic-request'
import { mapAnthropicError } from './map-anthropic-error'
import { mapAnthropicStopReason } from './map-anthropic-stop-reason'
import { mapAnthropicUsage } from './map-anthropic-usage'

const PROVIDER = 'anthropic'

/** What an Anthropic chat model needs from its provider. */
export interface AnthropicChatModelConfig {
  /** A client for the current API key, and the key (to redact it from errors). */
  client: () => Promise<{ client: Anthropic; apiKey: string }>
  defaultMaxTokens: number
}

/** A Claude model behind the Anthropic Messages API, as a {@link ChatModel}. */
export function createAnthropicChatModel(modelId: string, config: AnthropicChatModelConfig): ChatModel {
  return defineChatModel({
    provider: PROVIDER,
    modelId,
    prepare: (request) => buildAnthropicRequest(request, modelId, config.defaultMaxTokens),
    connect: () => config.client(),
    generate: async ({ prepared, connection, signal, options }) => {
      const { data, response } = await connection.client.messages
        .create({ ...prepared.body, stream: false }, sdkRequestOptions(signal, options))
        .withResponse()
      return toChatResponse(data, prepared.warnings, readResponseHeaders(response.headers))
    },
    stream: async ({ prepared, connection, signal, options }) => {
      const { data, response } = await connection.client.messages
        .create({ ...prepared.body, stream: true }, sdkRequestOptions(signal, options))
        .withResponse()
      const parts = new AnthropicStreamParts()
      return {
        chunks: data as AsyncIterable<RawMessageStreamEvent>,
        toParts: (event: RawMessageStreamEvent, emit) => parts.map(event, emit),
        ...readResponseHeaders(response.headers),
      }
    },
    mapError: (error, connection) => mapAnthropicError(error, { modelId, secrets: [connection?.apiKey] }),
  })
}

function toChatResponse(
  message: AnthropicMessage,
  requestWarnings: Warning[],
  http: { headers?: Record<string, string>; requestId?: string },
): ChatResponse {
  const warnings = [...requestWarnings]
  const content: (TextPart | ReasoningPart | ToolCallPart)[] = []
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        content.push({ type: 'text', text: block.text })
        break
      case 'thinking':
        content.push({ type: 'reasoning', text: block.thinking, signature: block.signature })
        break
      case 'redacted_thinking':
        content.push({ type: 'reasoning', text: '', data: block.data })
        break
      case 'tool_use':
        content.push({ type: 'tool-call', toolCallId: block.id, toolName: block.name, input: block.input })
        break
      default:
        warnings.push({
          type: 'other',
          message: `the answer's '${block.type}' block has no place in a ChatResponse and was left out`,
        })
    }
  }
  return createChatResponse({
    content,
    finishReason: mapAnthropicStopReason(message.stop_reason),
    rawFinishReason: message.stop_reason ?? undefined,
    usage: mapAnthropicUsage(message.usage),
    provider: PROVIDER,
    modelId: message.model,
    id: message.id,
    requestId: http.requestId,
    headers: http.headers,
    warnings,
    providerMetadata:
      message.stop_sequence == null ? undefined : { anthropic: { stopSequence: message.stop_sequence } },
  })
}

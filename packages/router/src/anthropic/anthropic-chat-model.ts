import type Anthropic from '@anthropic-ai/sdk'
import type { Message as AnthropicMessage } from '@anthropic-ai/sdk/resources/messages'
import {
  type CallOptions,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  createChatResponse,
  createChatStream,
  type ReasoningPart,
  runCall,
  type TextPart,
  type ToolCallPart,
  validateChatRequest,
  type Warning,
} from '@ql/provider'
import { anthropicStreamParts } from './anthropic-stream-parts'
import { buildAnthropicRequest } from './build-anthropic-request'
import { mapAnthropicError } from './map-anthropic-error'
import { mapAnthropicStopReason } from './map-anthropic-stop-reason'
import { mapAnthropicUsage } from './map-anthropic-usage'

const PROVIDER = 'anthropic'
/** The SDK's own request timeout; the caller's `timeoutMs` (through the abort signal) is the real limit. */
const SDK_TIMEOUT_MS = 10 * 60 * 1000

/** What an {@link AnthropicChatModel} needs from its provider. */
export interface AnthropicChatModelConfig {
  /** A client for the current API key, and the key (to redact it from errors). */
  client: () => Promise<{ client: Anthropic; apiKey: string }>
  defaultMaxTokens: number
}

/** A Claude model behind the Anthropic Messages API, as a {@link ChatModel}. */
export class AnthropicChatModel implements ChatModel {
  readonly specificationVersion = 'v1'
  readonly provider = PROVIDER
  readonly modelId: string
  readonly #config: AnthropicChatModelConfig

  constructor(modelId: string, config: AnthropicChatModelConfig) {
    this.modelId = modelId
    this.#config = config
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const { body, warnings } = buildAnthropicRequest(
      validateChatRequest(request),
      this.modelId,
      this.#config.defaultMaxTokens,
    )
    let apiKey: string | undefined
    return runCall(
      options,
      async (signal) => {
        const resolved = await this.#config.client()
        apiKey = resolved.apiKey
        const message = await resolved.client.messages.create(
          { ...body, stream: false },
          { signal, timeout: options?.timeoutMs ?? SDK_TIMEOUT_MS, ...headers(options) },
        )
        return toChatResponse(message, warnings)
      },
      (error) => mapAnthropicError(error, { modelId: this.modelId, secrets: [apiKey] }),
    )
  }

  stream(request: ChatRequest, options?: CallOptions): ChatStream {
    let apiKey: string | undefined
    const config = this.#config
    const modelId = this.modelId
    return createChatStream({
      provider: PROVIDER,
      modelId,
      signal: options?.signal,
      timeoutMs: options?.timeoutMs,
      mapError: (error) => mapAnthropicError(error, { modelId, secrets: [apiKey] }),
      start: async function* (signal) {
        const { body, warnings } = buildAnthropicRequest(
          validateChatRequest(request),
          modelId,
          config.defaultMaxTokens,
        )
        for (const warning of warnings) yield { type: 'warning', warning }
        const resolved = await config.client()
        apiKey = resolved.apiKey
        const events = await resolved.client.messages.create(
          { ...body, stream: true },
          { signal, timeout: options?.timeoutMs ?? SDK_TIMEOUT_MS, ...headers(options) },
        )
        yield* anthropicStreamParts(events)
      },
    })
  }
}

function headers(options: CallOptions | undefined): { headers?: Record<string, string> } {
  return options?.headers === undefined ? {} : { headers: options.headers }
}

function toChatResponse(message: AnthropicMessage, requestWarnings: Warning[]): ChatResponse {
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
    warnings,
    providerMetadata:
      message.stop_sequence == null ? undefined : { anthropic: { stopSequence: message.stop_sequence } },
  })
}

import {
  type ChatResponse,
  createChatResponse,
  InvalidResponseError,
  parseToolInput,
  type ReasoningPart,
  type TextPart,
  type ToolCallPart,
  type Warning,
} from '@ql/provider'
import { APIError } from 'openai'
import type { ChatCompletion } from 'openai/resources/chat/completions'
import { mapOpenAIFinishReason } from './map-openai-finish-reason'
import { mapOpenAIUsage } from './map-openai-usage'

/** Reasoning text as OpenAI-compatible servers send it (vLLM, DeepSeek: `reasoning_content`; Ollama, LM Studio: `reasoning`). */
export function reasoningOf(value: unknown): string | undefined {
  const record = value as { reasoning_content?: unknown; reasoning?: unknown } | undefined
  const text = record?.reasoning_content ?? record?.reasoning
  return typeof text === 'string' && text !== '' ? text : undefined
}

/** Turns a `chat.completion` into a {@link ChatResponse}. */
export function mapOpenAICompletion(
  completion: ChatCompletion,
  context: {
    provider: string
    modelId: string
    warnings: Warning[]
    headers?: Record<string, string> | undefined
    requestId?: string | undefined
  },
): ChatResponse {
  const { provider } = context
  // an OpenAI-compatible server may answer 200 with only `{ error }` in the body, as it would in a
  // stream: thrown as the SDK's in-stream error, so mapOpenAIError types it the same way
  const bodyError = (completion as { error?: unknown }).error
  if (typeof bodyError === 'object' && bodyError !== null)
    throw new APIError(undefined, bodyError, undefined, undefined)
  const choice = completion.choices?.[0]
  if (choice === undefined) {
    throw new InvalidResponseError({ message: `${provider} answered without any choice`, provider })
  }
  const message = choice.message
  const content: (TextPart | ReasoningPart | ToolCallPart)[] = []
  const reasoning = reasoningOf(message)
  if (reasoning !== undefined) content.push({ type: 'reasoning', text: reasoning })
  if (typeof message.content === 'string' && message.content !== '')
    content.push({ type: 'text', text: message.content })
  message.tool_calls?.forEach((call, index) => {
    if (call.type !== 'function') return
    const toolName = call.function.name
    content.push({
      type: 'tool-call',
      toolCallId: call.id || `${provider}-call-${index}`,
      toolName,
      input: parseToolInput(call.function.arguments ?? '', toolName, provider),
    })
  })
  const providerMetadata: Record<string, unknown> = {}
  if (typeof message.refusal === 'string' && message.refusal !== '')
    providerMetadata.refusal = message.refusal
  if (completion.system_fingerprint) providerMetadata.systemFingerprint = completion.system_fingerprint
  if (completion.service_tier) providerMetadata.serviceTier = completion.service_tier
  return createChatResponse({
    content,
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
    rawFinishReason: choice.finish_reason ?? undefined,
    usage: mapOpenAIUsage(completion.usage),
    provider,
    modelId: completion.model || context.modelId,
    id: completion.id,
    requestId: context.requestId,
    headers: context.headers,
    warnings: context.warnings,
    providerMetadata: Object.keys(providerMetadata).length > 0 ? { [provider]: providerMetadata } : undefined,
  })
}

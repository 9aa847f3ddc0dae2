import type { ChatResponse } from './schemas/chat-response'
import type { ReasoningPart, TextPart, ToolCallPart } from './schemas/content-parts'
import type { FinishReason } from './schemas/finish-reason'
import type { Cost, Usage } from './schemas/usage'
import type { Warning } from './schemas/warning'

/** What a model knows at the end of a call; {@link createChatResponse} derives the rest. */
export interface ChatResponseInput {
  /** The answer's parts, in the order the model produced them. */
  content: (TextPart | ReasoningPart | ToolCallPart)[]
  finishReason: FinishReason
  rawFinishReason?: string | undefined
  usage: Usage
  provider: string
  modelId: string
  id?: string | undefined
  requestId?: string | undefined
  headers?: Record<string, string> | undefined
  cost?: Cost | undefined
  warnings?: Warning[] | undefined
  providerMetadata?: Record<string, Record<string, unknown>> | undefined
}

/**
 * Builds a {@link ChatResponse} from the answer's parts: `text`, `reasoning` and `toolCalls` are
 * derived from `content`, so `generate` and a collected stream produce the same value.
 */
export function createChatResponse(input: ChatResponseInput): ChatResponse {
  let text = ''
  let reasoning: string | undefined
  const toolCalls: ChatResponse['toolCalls'] = []
  for (const part of input.content) {
    if (part.type === 'text') text += part.text
    else if (part.type === 'reasoning') reasoning = (reasoning ?? '') + part.text
    else toolCalls.push({ id: part.toolCallId, name: part.toolName, input: part.input })
  }
  const response: ChatResponse = {
    text,
    message: { role: 'assistant', content: input.content },
    toolCalls,
    finishReason: input.finishReason,
    usage: input.usage,
    warnings: input.warnings ?? [],
    provider: input.provider,
    modelId: input.modelId,
  }
  if (input.id !== undefined) response.id = input.id
  if (reasoning !== undefined) response.reasoning = reasoning
  if (input.requestId !== undefined) response.requestId = input.requestId
  if (input.headers !== undefined) response.headers = input.headers
  if (input.rawFinishReason !== undefined) response.rawFinishReason = input.rawFinishReason
  if (input.cost !== undefined) response.cost = input.cost
  if (input.providerMetadata !== undefined) response.providerMetadata = input.providerMetadata
  return response
}

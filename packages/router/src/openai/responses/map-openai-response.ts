import {
  type ChatResponse,
  createChatResponse,
  type FinishReason,
  parseToolInput,
  type ReasoningPart,
  type TextPart,
  type ToolCallPart,
  type Usage,
  type Warning,
} from '@ql/provider'
import { APIError } from 'openai'
import type { Response, ResponseUsage } from 'openai/resources/responses/responses'

/**
 * The normalized finish reason of a Responses API answer: `completed` → `tool-calls` when it
 * called functions, else `stop`; `incomplete` → `length` (`max_output_tokens`) or
 * `content-filter` (`content_filter`); `failed` → `error`; anything else → `other`.
 */
export function mapOpenAIResponseStatus(
  status: string | undefined,
  incompleteReason: string | undefined,
  calledTools: boolean,
): { finishReason: FinishReason; rawFinishReason: string } {
  if (status === 'completed')
    return { finishReason: calledTools ? 'tool-calls' : 'stop', rawFinishReason: status }
  if (status === 'incomplete') {
    const reason = incompleteReason ?? 'incomplete'
    if (reason === 'max_output_tokens') return { finishReason: 'length', rawFinishReason: reason }
    if (reason === 'content_filter') return { finishReason: 'content-filter', rawFinishReason: reason }
    return { finishReason: 'other', rawFinishReason: reason }
  }
  if (status === 'failed') return { finishReason: 'error', rawFinishReason: status }
  return { finishReason: 'other', rawFinishReason: status ?? 'unknown' }
}

/** Responses API usage, counted the OpenTelemetry way (input includes cached, output includes reasoning). */
export function mapOpenAIResponseUsage(usage: ResponseUsage | null | undefined): Usage {
  const result: Usage = { inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0 }
  const cached = usage?.input_tokens_details?.cached_tokens
  if (typeof cached === 'number') result.cachedInputTokens = cached
  const reasoning = usage?.output_tokens_details?.reasoning_tokens
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning
  return result
}

/**
 * An error the Responses API reports inside a 200 answer (`response.failed`, an `error` event),
 * as an SDK `APIError` without a status, so it maps like the SDK's own in-stream errors.
 */
export function responseFailure(
  error: { code?: string | null; message?: string | null } | null | undefined,
): APIError {
  const code = error?.code ?? 'server_error'
  return new APIError(
    undefined,
    { code, type: code, message: error?.message ?? 'the response failed' },
    undefined,
    undefined,
  )
}

/**
 * Turns a Responses API `response` into a {@link ChatResponse}: reasoning summaries, output
 * text and function calls, in output order.
 *
 * @throws APIError (mapped by the caller) when the response `failed`.
 */
export function mapOpenAIResponse(
  response: Response,
  context: {
    provider: string
    modelId: string
    warnings: Warning[]
    headers?: Record<string, string> | undefined
    requestId?: string | undefined
  },
): ChatResponse {
  const { provider } = context
  if (response.status === 'failed') throw responseFailure(response.error)
  const content: (TextPart | ReasoningPart | ToolCallPart)[] = []
  const refusals: string[] = []
  for (const item of response.output ?? []) {
    if (item.type === 'reasoning') {
      const text = item.summary.map((summary) => summary.text).join('\n\n')
      if (text !== '') content.push({ type: 'reasoning', text })
    } else if (item.type === 'message') {
      for (const part of item.content) {
        if (part.type === 'output_text') content.push({ type: 'text', text: part.text })
        else refusals.push(part.refusal)
      }
    } else if (item.type === 'function_call') {
      content.push({
        type: 'tool-call',
        toolCallId: item.call_id,
        toolName: item.name,
        input: parseToolInput(item.arguments, item.name, provider),
      })
    }
  }
  const calledTools = content.some((part) => part.type === 'tool-call')
  const finish = mapOpenAIResponseStatus(response.status, response.incomplete_details?.reason, calledTools)
  return createChatResponse({
    content,
    ...finish,
    usage: mapOpenAIResponseUsage(response.usage),
    provider,
    modelId: response.model || context.modelId,
    id: response.id,
    requestId: context.requestId,
    headers: context.headers,
    warnings: context.warnings,
    providerMetadata: refusals.length > 0 ? { [provider]: { refusal: refusals.join('\n') } } : undefined,
  })
}

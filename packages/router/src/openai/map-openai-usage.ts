import type { Usage } from '@ql/provider'

/** OpenAI's `usage` object, as Chat Completions (and most compatible servers) send it. */
export interface OpenAIUsage {
  prompt_tokens?: number | null
  completion_tokens?: number | null
  prompt_tokens_details?: { cached_tokens?: number | null } | null
  completion_tokens_details?: { reasoning_tokens?: number | null } | null
}

/**
 * Maps OpenAI usage to the OpenTelemetry way of counting, which is OpenAI's own:
 * `prompt_tokens` already include `prompt_tokens_details.cached_tokens`, and
 * `completion_tokens` include `completion_tokens_details.reasoning_tokens`.
 */
export function mapOpenAIUsage(usage: OpenAIUsage | null | undefined): Usage {
  const result: Usage = {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
  }
  const cached = usage?.prompt_tokens_details?.cached_tokens
  if (typeof cached === 'number') result.cachedInputTokens = cached
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning
  return result
}

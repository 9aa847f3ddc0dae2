import type { Usage } from '@ql/provider'

/** The usage fields Anthropic reports, in a message or a `message_delta` event. */
export interface AnthropicUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
  output_tokens_details?: { thinking_tokens?: number | null } | null
}

/**
 * Anthropic's usage counted the OpenTelemetry way: Anthropic reports `input_tokens` apart from
 * the tokens read from and written to the prompt cache, so `inputTokens` is their sum, and the
 * cache counts are kept as `cachedInputTokens` and `cacheCreationInputTokens`.
 */
export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0
  const cacheWrite = usage.cache_creation_input_tokens ?? 0
  const result: Usage = {
    inputTokens: (usage.input_tokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: usage.output_tokens ?? 0,
  }
  if (usage.cache_read_input_tokens != null) result.cachedInputTokens = cacheRead
  if (usage.cache_creation_input_tokens != null) result.cacheCreationInputTokens = cacheWrite
  const thinking = usage.output_tokens_details?.thinking_tokens
  if (thinking != null) result.reasoningTokens = thinking
  return result
}

/** Folds a later usage report into an earlier one: fields the later one has replace the earlier ones. */
export function mergeAnthropicUsage(current: AnthropicUsage, update: AnthropicUsage): AnthropicUsage {
  const merged: AnthropicUsage = { ...current }
  for (const key of Object.keys(update) as (keyof AnthropicUsage)[]) {
    const value = update[key]
    if (value != null) (merged as Record<string, unknown>)[key] = value
  }
  return merged
}

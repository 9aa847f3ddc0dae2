import type { TokenUsage } from '@aws-sdk/client-bedrock-runtime'
import type { Usage } from '@ql/provider'

/**
 * Bedrock's usage counted the OpenTelemetry way: Converse reports `inputTokens` apart from
 * `cacheReadInputTokens` and `cacheWriteInputTokens`, so `inputTokens` is their sum, and the
 * cache counts are kept as `cachedInputTokens` and `cacheCreationInputTokens`.
 */
export function mapBedrockUsage(usage: TokenUsage | undefined): Usage {
  const cacheRead = usage?.cacheReadInputTokens ?? 0
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0
  const result: Usage = {
    inputTokens: (usage?.inputTokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: usage?.outputTokens ?? 0,
  }
  if (usage?.cacheReadInputTokens != null) result.cachedInputTokens = cacheRead
  if (usage?.cacheWriteInputTokens != null) result.cacheCreationInputTokens = cacheWrite
  return result
}

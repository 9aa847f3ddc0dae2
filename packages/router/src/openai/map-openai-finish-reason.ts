import type { FinishReason } from '@ql/provider'

/**
 * Maps an OpenAI Chat Completions `finish_reason` to the normalized {@link FinishReason}:
 * `stop` → `stop`, `length` → `length`, `tool_calls` and the legacy `function_call` →
 * `tool-calls`, `content_filter` → `content-filter`; anything else (or none) → `other`.
 */
export function mapOpenAIFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop'
    case 'length':
      return 'length'
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls'
    case 'content_filter':
      return 'content-filter'
    default:
      return 'other'
  }
}

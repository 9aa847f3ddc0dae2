import type { FinishReason } from '@ql/provider'

/**
 * Maps an Anthropic `stop_reason` to the normalized finish reason:
 *
 * | Anthropic | finish reason |
 * |---|---|
 * | `end_turn`, `stop_sequence` | `stop` |
 * | `max_tokens`, `model_context_window_exceeded` | `length` |
 * | `tool_use` | `tool-calls` |
 * | `refusal` | `content-filter` |
 * | `pause_turn` (a server tool paused a long turn; send the answer back to continue) | `other` |
 * | anything else, or none | `other` |
 */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool-calls'
    case 'refusal':
      return 'content-filter'
    default:
      return 'other'
  }
}

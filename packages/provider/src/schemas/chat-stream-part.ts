import type { FinishReason } from './finish-reason'
import type { Usage } from './usage'
import type { Warning } from './warning'

/**
 * What a model implementation yields into {@link createChatStream}. The helper turns these into
 * {@link ChatStreamEvent}s: it assembles tool-call fragments into parsed calls, merges usage,
 * and builds the final `ChatResponse`.
 *
 * - `metadata`: the response id, the model that answered, the request id and the HTTP response
 *   headers, whenever they become known (later values replace earlier ones)
 * - `text-delta`, `reasoning-delta`: fragments of text or reasoning
 * - `reasoning-end`: closes the current reasoning block, with its signature or redacted data
 * - `tool-call-delta`: a fragment of a tool call's JSON arguments; `toolName` may be empty after
 *   the first fragment of a call
 * - `tool-call-end`: the call with this id is complete (calls still open at the end are completed then)
 * - `usage`: counts known so far; defined fields replace earlier ones
 * - `warning`: a setting the provider ignored or adapted
 * - `finish`: the provider's terminal event; a source that ends without one is an error
 */
export type ChatStreamPart =
  | {
      type: 'metadata'
      id?: string
      modelId?: string
      requestId?: string
      headers?: Record<string, string>
      providerMetadata?: Record<string, Record<string, unknown>>
    }
  | { type: 'text-delta'; delta: string }
  | { type: 'reasoning-delta'; delta: string }
  | { type: 'reasoning-end'; signature?: string; data?: string }
  | { type: 'tool-call-delta'; toolCallId: string; toolName: string; inputDelta: string }
  | { type: 'tool-call-end'; toolCallId: string }
  | { type: 'usage'; usage: Partial<Usage> }
  | { type: 'warning'; warning: Warning }
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason?: string }

import type { ChatRequest } from './schemas/chat-request'
import type { ChatResponse } from './schemas/chat-response'
import type { ChatStreamEvent } from './schemas/chat-stream-event'

/** Per-call options, the same for every model. */
export interface CallOptions {
  /** Cancels the call. The call rejects (or the stream throws) with an `AbortedError`. */
  signal?: AbortSignal
  /** The most the whole call may take, in milliseconds; past it a `TimeoutError` is thrown. */
  timeoutMs?: number
  /** Extra HTTP headers for the provider (for example a tracing header). Never logged. */
  headers?: Record<string, string>
  /** Data for observability and routing (tags, a tenant id); not sent to the provider. */
  metadata?: Record<string, unknown>
}

/**
 * A streamed answer: iterate it for {@link ChatStreamEvent}s, or await `response` for the final
 * {@link ChatResponse} (the same value `generate` returns). Awaiting `response` alone consumes the
 * stream; breaking out of the iteration early cancels the underlying request. A failure mid-stream
 * makes the iteration throw the typed error and `response` reject with it.
 */
export interface ChatStream extends AsyncIterable<ChatStreamEvent> {
  /** The complete answer, once the stream has ended. */
  readonly response: Promise<ChatResponse>
}

/**
 * A chat model: the one interface every provider adapter, router and test double implements,
 * and every consumer (agents, hosts) calls.
 */
export interface ChatModel {
  /** The version of this interface the model implements. */
  readonly specificationVersion: 'v1'
  /** The provider's name, for example `openai`, `anthropic`, `bedrock` or `router`. */
  readonly provider: string
  /** The model's id at its provider. */
  readonly modelId: string
  /** Generates a complete answer. Rejects with a `QlError`. */
  generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>
  /** Streams an answer. Returns at once; errors surface through the iteration and `response`. */
  stream(request: ChatRequest, options?: CallOptions): ChatStream
}

/** True when `value` implements {@link ChatModel} (version `v1`). */
export function isChatModel(value: unknown): value is ChatModel {
  if (typeof value !== 'object' || value === null) return false
  const model = value as Partial<ChatModel>
  return (
    model.specificationVersion === 'v1' &&
    typeof model.provider === 'string' &&
    typeof model.modelId === 'string' &&
    typeof model.generate === 'function' &&
    typeof model.stream === 'function'
  )
}

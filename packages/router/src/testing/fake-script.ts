import type { FinishReason } from '@ql/provider'

/**
 * What a fake provider answers to one request, in protocol-neutral terms. Each protocol server
 * (`openai`, `anthropic`, `bedrock`) renders it in its own wire format: JSON for non-streaming
 * calls, SSE or AWS event-stream frames for streaming ones.
 */
export interface FakeAnswer {
  /** Text of the answer; streamed in `chunkSize`-character deltas. */
  text?: string
  /** Visible reasoning before the text (Anthropic thinking, Bedrock reasoningContent). */
  reasoning?: { text: string; signature?: string }
  /** Tool calls after the text; their JSON arguments are streamed in fragments. */
  toolCalls?: { id: string; name: string; input: unknown }[]
  /** Defaults to `tool-calls` when there are tool calls, else `stop`. */
  finishReason?: Exclude<FinishReason, 'error' | 'other'>
  /**
   * Token counts in the `@ql` sense (inputTokens includes cached ones). Servers render them the
   * provider's way: Anthropic reports cached tokens apart from input tokens.
   */
  usage?: { inputTokens: number; outputTokens: number; cachedInputTokens?: number; reasoningTokens?: number }
  /** The model the server says answered; defaults to the requested model. */
  model?: string
  /** Characters per streamed text or argument fragment (default 4). */
  chunkSize?: number
  /** Milliseconds to wait before answering at all: before the status line, in both modes (default 0). */
  delayMs?: number
  /** Milliseconds between streamed frames (default 0). */
  chunkDelayMs?: number
  /** Extra response headers (for example rate-limit headers on a success). */
  headers?: Record<string, string>
}

/**
 * A failure to play instead of, or in the middle of, an answer.
 *
 * - `http`: an HTTP error status with the provider's error body shape (for example 429 with
 *   `retry-after`, 529 overloaded, 400 context length); `errorType` and `message` fill the body
 * - `reset`: destroys the connection, before any byte or after `afterChunks` streamed frames
 * - `stall`: stops sending after `afterChunks` frames and keeps the connection open
 * - `malformed`: sends a frame that is not valid JSON (or a corrupt event-stream frame) after `afterChunks`
 * - `truncate`: ends the response cleanly after `afterChunks` frames, without the terminal event
 * - `error-event`: sends the provider's in-stream error event (SSE `error`, event-stream exception)
 *   inside a 200 stream after `afterChunks` frames
 */
export type FakeFault =
  | {
      type: 'http'
      status: number
      headers?: Record<string, string>
      /** The provider's error type/code, for example `rate_limit_error`, `context_length_exceeded`, `ThrottlingException`. */
      errorType?: string
      message?: string
      /**
       * The error body to send as is, replacing the provider-shaped one (OpenAI protocol only): for
       * servers whose errors differ from the provider's, such as vLLM's numeric `code`.
       */
      body?: unknown
    }
  | { type: 'reset'; afterChunks?: number }
  | { type: 'stall'; afterChunks?: number }
  | { type: 'malformed'; afterChunks?: number }
  | { type: 'truncate'; afterChunks: number }
  | {
      type: 'error-event'
      afterChunks?: number
      errorType?: string
      message?: string
      /**
       * The event's payload to send as is, replacing the provider-shaped one (OpenAI protocol
       * only: the `data:` of the frame), for example vLLM's
       * `{ error: { type: 'BadRequestError', code: 400, message } }`.
       */
      body?: unknown
    }

/** One scripted step: an answer, an answer that fails part-way (`fault` with `afterChunks`), or a fault alone. */
export type FakeStep = FakeAnswer & { fault?: FakeFault }

/** A request the fake received, as it came over the wire. */
export interface RecordedRequest {
  method: string
  /** The path, without the query string. */
  path: string
  /** Header names lower-cased. */
  headers: Record<string, string>
  /** The parsed JSON body (`undefined` when the body was empty). */
  body: unknown
  /** Whether the request asked for a stream. */
  stream: boolean
  /** Set (true) when the client closed the connection before the response was complete: a cancelled call. */
  clientLeftEarly?: boolean
}

import type { FakeAnswer, FakeFault, RecordedRequest } from './fake-script'

/** A response the fake server sends whole: an HTTP status, headers and a body. */
export interface FakeHttpResponse {
  status: number
  headers?: Record<string, string>
  /** Serialized as JSON unless it is already a string or bytes. */
  body: unknown
}

/** What a protocol renderer knows about the request it is answering. */
export interface FakeRequestContext {
  request: RecordedRequest
  /** The model the request asked for (from the body or the path). */
  model: string
  /** A counter unique to this request, for ids. */
  sequence: number
}

/**
 * How one wire protocol (OpenAI, Anthropic, Bedrock) renders protocol-neutral fake answers and
 * faults. The server core (`startFakeServer`) owns sockets, scripting, recording, delays and
 * connection-level faults; a protocol only turns answers into bytes.
 */
export interface FakeProtocol {
  /** The name used in `startFakeProvider({ protocol })`. */
  readonly name: 'openai' | 'anthropic' | 'bedrock'
  /** Serve over cleartext HTTP/2 (Bedrock's SDK default) instead of HTTP/1.1. */
  readonly http2: boolean
  /** The base URL to hand the SDK, given the server origin (`http://127.0.0.1:PORT`). */
  baseURL(origin: string): string
  /** Reads the model and whether a stream was asked for. */
  describe(method: string, path: string, body: unknown): { model: string; stream: boolean }
  /** The JSON answer of a non-streaming call. */
  renderAnswer(answer: FakeAnswer, context: FakeRequestContext): FakeHttpResponse
  /** The content type of streaming responses (`text/event-stream`, `application/vnd.amazon.eventstream`). */
  readonly streamContentType: string
  /** The headers a streaming answer carries besides its content type (the provider's request id). */
  streamHeaders(context: FakeRequestContext): Record<string, string>
  /** The frames of a streaming answer, terminal event(s) last. */
  renderStream(answer: FakeAnswer, context: FakeRequestContext): (string | Uint8Array)[]
  /** An HTTP error with the provider's error body. */
  renderHttpError(fault: Extract<FakeFault, { type: 'http' }>, context: FakeRequestContext): FakeHttpResponse
  /** The provider's in-stream error frame (SSE `error` event, event-stream exception). */
  renderErrorEvent(
    fault: Extract<FakeFault, { type: 'error-event' }>,
    context: FakeRequestContext,
  ): string | Uint8Array
  /** A frame that the SDK cannot parse. */
  renderMalformedFrame(context: FakeRequestContext): string | Uint8Array
}

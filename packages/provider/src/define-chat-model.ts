import type { CallOptions, ChatModel, ChatStream } from './chat-model'
import { createChatStream } from './create-chat-stream'
import type { QlError } from './errors/ql-error'
import { runCall } from './run-call'
import type { ChatRequest } from './schemas/chat-request'
import type { ChatResponse } from './schemas/chat-response'
import type { ChatStreamPart } from './schemas/chat-stream-part'
import type { Warning } from './schemas/warning'
import { validateChatRequest } from './validate-chat-request'

/** One provider call, as {@link ChatModelDefinition} hooks receive it. */
export interface ProviderCall<Prepared, Connection> {
  /** What `prepare` built from the validated request. */
  prepared: Prepared
  /** What `connect` resolved for this call (an SDK client and the key it sends, say). */
  connection: Connection
  /**
   * Aborts on the caller's cancellation, the timeout, or (streams) the consumer leaving: pass it
   * to the SDK. `undefined` when the caller gave neither `signal` nor `timeoutMs`, so the SDK has
   * no signal to link, as in a call made without one: a stream is then stopped by closing its
   * chunks (see `createChatStream`'s `start`).
   */
  signal: AbortSignal | undefined
  /** The caller's options; `headers` are the extra HTTP headers to send. */
  options: CallOptions
}

/** What a streaming call started: the SDK's chunks, and how to read them. */
export interface ProviderStream<Chunk> {
  /** The SDK's stream, as it is. */
  chunks: AsyncIterable<Chunk>
  /** Maps one chunk to parts, synchronously (see `createChatStream`). */
  toParts: (chunk: Chunk, emit: (part: ChatStreamPart) => void) => void
  /** Emits the closing parts when the chunks end, or throws when the stream was cut short. */
  onEnd?: ((emit: (part: ChatStreamPart) => void) => void) | undefined
  /** The HTTP response headers (credential headers removed), announced before the first content. */
  headers?: Record<string, string> | undefined
  /** The provider's request id. */
  requestId?: string | undefined
}

/**
 * The parts of a chat model that differ between providers. {@link defineChatModel} puts them in
 * one frame: validate → prepare → connect → call → map the answer, or map the error.
 */
export interface ChatModelDefinition<Prepared extends { warnings: Warning[] }, Connection, Chunk> {
  /** The provider's name, reported in responses, events and errors. */
  provider: string
  /** The model's id at the provider. */
  modelId: string
  /**
   * Builds the provider's request from a request that already passed `validateChatRequest`,
   * with the warnings for settings the provider ignores. Throw a `QlError` for what it cannot do.
   */
  prepare: (request: ChatRequest) => Prepared
  /** Resolves what one call needs (a client for the current key); called once per call. */
  connect: () => Connection | Promise<Connection>
  /** Makes the non-streaming call and maps its answer (with `prepared.warnings`). */
  generate: (call: ProviderCall<Prepared, Connection>) => Promise<ChatResponse>
  /** Starts the streaming call. */
  stream: (call: ProviderCall<Prepared, Connection>) => Promise<ProviderStream<Chunk>>
  /**
   * Maps what the SDK threw to a typed error. `connection` is undefined when the failure came
   * before it was resolved. Return `undefined` to leave a failure to `toQlError`.
   */
  mapError: (error: unknown, connection: Connection | undefined) => QlError | undefined
}

/**
 * Makes a {@link ChatModel} from the parts that differ between providers, so every model runs the
 * same frame: the request is validated, the caller's `signal` and `timeoutMs` are applied once
 * (through one combined signal), `generate` and `stream` turn the same failure into the same typed
 * error, streams keep every guarantee of `createChatStream`, and a stream's response headers and
 * request id reach the `metadata` event and the response.
 *
 * @example
 * ```ts
 * const model = defineChatModel({
 *   provider: 'echo',
 *   modelId: 'echo-1',
 *   prepare: (request) => ({ text: String(request.messages.at(-1)?.content), warnings: [] }),
 *   connect: () => undefined,
 *   generate: async ({ prepared }) =>
 *     createChatResponse({
 *       content: [{ type: 'text', text: prepared.text }],
 *       finishReason: 'stop',
 *       usage: { inputTokens: 1, outputTokens: 1 },
 *       provider: 'echo',
 *       modelId: 'echo-1',
 *     }),
 *   stream: async ({ prepared }) => ({
 *     chunks: [prepared.text],
 *     toParts: (text, emit) => emit({ type: 'text-delta', delta: text }),
 *     onEnd: (emit) => emit({ type: 'finish', finishReason: 'stop' }),
 *   }),
 *   mapError: () => undefined,
 * })
 * ```
 */
export function defineChatModel<Prepared extends { warnings: Warning[] }, Connection, Chunk>(
  definition: ChatModelDefinition<Prepared, Connection, Chunk>,
): ChatModel {
  const { provider, modelId } = definition
  const prepare = (request: ChatRequest) => definition.prepare(validateChatRequest(request))
  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
      let connection: Connection | undefined
      return runCall(
        { signal: options.signal, timeoutMs: options.timeoutMs, provider, modelId },
        async (signal) => {
          const prepared = prepare(request)
          connection = await definition.connect()
          return definition.generate({ prepared, connection, signal, options })
        },
        (error) => definition.mapError(error, connection),
      )
    },
    stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
      let connection: Connection | undefined
      let warnings: Warning[] = []
      let started: ProviderStream<Chunk> | undefined
      let announced = false
      // the warnings and the response metadata go first, before the first part of the answer
      const announce = (emit: (part: ChatStreamPart) => void): ProviderStream<Chunk> => {
        const current = started as ProviderStream<Chunk>
        if (announced) return current
        announced = true
        for (const warning of warnings) emit({ type: 'warning', warning })
        if (current.headers !== undefined || current.requestId !== undefined) {
          emit({
            type: 'metadata',
            ...(current.headers === undefined ? {} : { headers: current.headers }),
            ...(current.requestId === undefined ? {} : { requestId: current.requestId }),
          })
        }
        return current
      }
      return createChatStream<Chunk>({
        provider,
        modelId,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        mapError: (error) => definition.mapError(error, connection),
        start: async (signal) => {
          const prepared = prepare(request)
          warnings = prepared.warnings
          connection = await definition.connect()
          started = await definition.stream({ prepared, connection, signal, options })
          return started.chunks
        },
        toParts: (chunk, emit) => announce(emit).toParts(chunk, emit),
        onEnd: (emit) => announce(emit).onEnd?.(emit),
      })
    },
  }
}

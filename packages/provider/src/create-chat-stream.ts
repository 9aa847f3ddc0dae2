import type { ChatStream } from './chat-model'
import { type CallSignal, createCallSignal } from './create-call-signal'
import { createChatResponse } from './create-chat-response'
import { InvalidResponseError } from './errors/invalid-response-error'
import { QlError } from './errors/ql-error'
import { toQlError } from './errors/to-ql-error'
import { type EventSink, type EventSource, EventStream } from './event-stream'
import { parseToolInput } from './parse-tool-input'
import type { ChatStreamEvent } from './schemas/chat-stream-event'
import type { ChatStreamPart } from './schemas/chat-stream-part'
import type { ReasoningPart, TextPart, ToolCallPart } from './schemas/content-parts'
import type { FinishReason } from './schemas/finish-reason'
import type { Usage } from './schemas/usage'
import type { Warning } from './schemas/warning'

/** How {@link createChatStream} runs a model's stream. */
export interface CreateChatStreamOptions<Chunk = ChatStreamPart> {
  /** The provider's name, reported in the response and in errors. */
  provider: string
  /** The requested model; replaced by a `metadata` part's `modelId` when the provider reports one. */
  modelId: string
  /**
   * Starts the provider call and returns its chunks (an SDK's stream as it is, or
   * {@link ChatStreamPart}s). `signal` aborts when the caller cancels, the timeout runs out, or
   * the consumer stops iterating: pass it to the SDK. It is `undefined` when the caller gave
   * neither `signal` nor `timeoutMs`: then only the consumer can stop the stream, by closing the
   * chunks (their iterator's `return()`), which must stop the call, as the official SDKs' streams
   * and async generators do. (An `AbortSignal` costs microseconds to make, and an SDK handed one
   * links its own to it: a stream nobody can cancel makes none.)
   */
  start: (signal: AbortSignal | undefined) => AsyncIterable<Chunk> | Promise<AsyncIterable<Chunk>>
  /**
   * Turns one chunk into parts, synchronously, by calling `emit` for each (none is fine). Throw a
   * `QlError` for a chunk that is an error or malformed. Leave it out when the chunks are parts.
   * Keeping the mapping synchronous keeps one await per chunk, as the SDK itself has.
   */
  toParts?: ((chunk: Chunk, emit: (part: ChatStreamPart) => void) => void) | undefined
  /**
   * Called once when the chunks end, before the end is checked: emit the closing parts (for
   * example `finish` once the protocol's terminal event was seen) or throw if the stream was cut.
   */
  onEnd?: ((emit: (part: ChatStreamPart) => void) => void) | undefined
  /** The caller's signal (from `CallOptions`). */
  signal?: AbortSignal | undefined
  /** The caller's time budget for the whole stream (from `CallOptions`). */
  timeoutMs?: number | undefined
  /** Settings the adapter already knows it ignored. */
  warnings?: Warning[] | undefined
  /**
   * Turns anything the source throws that is not already a `QlError` into one (an SDK's errors).
   * What it does not map, and when it is absent, becomes what `toQlError` makes of it: the same
   * error `runCall` gives `generate` for the same failure.
   */
  mapError?: ((error: unknown) => QlError | undefined) | undefined
}

/**
 * Turns a provider's raw stream into a {@link ChatStream}: deltas pass through, tool-call
 * fragments become parsed `tool-call` events, usage is merged, a `metadata` event announces who
 * answered before the first content, and a final `finish` event carries the same `ChatResponse` a
 * `generate` call would return.
 *
 * It enforces the contract every adapter owes its callers:
 * - a source that ends without a `finish` part fails with `InvalidResponseError`;
 * - anything the source throws reaches the consumer as a `QlError` (through `mapError`, then
 *   `toQlError`), and `response` rejects with the same error;
 * - cancellation and `timeoutMs` abort the source and surface as `AbortedError` / `TimeoutError`;
 * - breaking out of the iteration early aborts the provider call, even when `response` is awaited.
 *
 * @example
 * ```ts
 * const stream = createChatStream({
 *   provider: 'my-provider',
 *   modelId: 'my-model',
 *   start: async function* () {
 *     yield { type: 'text-delta', delta: 'Hello' }
 *     yield { type: 'finish', finishReason: 'stop' }
 *   },
 * })
 * ```
 */
export function createChatStream<Chunk = ChatStreamPart>(
  options: CreateChatStreamOptions<Chunk>,
): ChatStream {
  return new EventStream(new PartsSource(options))
}

/** A provider call as an {@link EventSource}: chunks in, events out, through one accumulator. */
class PartsSource<Chunk> implements EventSource {
  readonly #options: CreateChatStreamOptions<Chunk>
  readonly #accumulator: StreamAccumulator
  readonly #toParts: (chunk: Chunk, emit: (part: ChatStreamPart) => void) => void
  #call: CallSignal | undefined
  #chunks: AsyncIterator<Chunk> | undefined
  #sink: EventSink | undefined
  #pushed = 0
  #stopped = false
  readonly #emit = (part: ChatStreamPart): void => this.#accumulator.accept(part)

  constructor(options: CreateChatStreamOptions<Chunk>) {
    this.#options = options
    this.#toParts = options.toParts ?? ((chunk, emit) => emit(chunk as unknown as ChatStreamPart))
    this.#accumulator = new StreamAccumulator(options, (event) => {
      this.#pushed++
      this.#sink?.push(event)
    })
  }

  pull(sink: EventSink): void {
    this.#sink = sink
    this.#pushed = 0
    if (this.#chunks === undefined) {
      void this.#start()
      return
    }
    this.#chunks.next().then(this.#onChunk, this.#onError)
  }

  async cancel(reason: QlError): Promise<void> {
    this.#stop(reason)
  }

  async #start(): Promise<void> {
    try {
      const options = this.#options
      if (options.signal !== undefined || options.timeoutMs !== undefined)
        this.#call = createCallSignal(options)
      const source = await options.start(this.#call?.signal)
      this.#chunks = source[Symbol.asyncIterator]()
    } catch (error) {
      this.#onError(error)
      return
    }
    if (this.#stopped) {
      // the consumer left while the call was starting: close what it started
      this.#chunks.return?.()?.catch(() => {})
      this.#sink?.pulled(true)
      return
    }
    this.#chunks.next().then(this.#onChunk, this.#onError)
  }

  /** One chunk in: its parts become events at once; a chunk without events reads the next one. */
  readonly #onChunk = (result: IteratorResult<Chunk>): void => {
    const sink = this.#sink as EventSink
    try {
      const signal = this.#call?.signal
      if (signal?.aborted === true) throw signal.reason
      if (result.done === true) {
        this.#options.onEnd?.(this.#emit)
        this.#accumulator.finish()
        this.#call?.dispose()
        sink.pulled(true)
        return
      }
      this.#toParts(result.value, this.#emit)
    } catch (error) {
      this.#onError(error)
      return
    }
    if (this.#pushed > 0) sink.pulled(false)
    else (this.#chunks as AsyncIterator<Chunk>).next().then(this.#onChunk, this.#onError)
  }

  readonly #onError = (error: unknown): void => {
    const failure = this.#toError(error)
    this.#stop(failure)
    this.#sink?.failed(failure)
  }

  #toError(error: unknown): QlError {
    const signal = this.#call?.signal
    if (signal?.aborted === true && QlError.isInstance(signal.reason)) return signal.reason
    if (QlError.isInstance(error)) return error
    const options = this.#options
    return (
      options.mapError?.(error) ?? toQlError(error, { provider: options.provider, modelId: options.modelId })
    )
  }

  /** Aborts the call (the SDK closes the connection) and lets go of the chunks and the timer. */
  #stop(reason: QlError): void {
    if (this.#stopped) return
    this.#stopped = true
    this.#call?.abort(reason)
    this.#call?.dispose()
    const chunks = this.#chunks
    this.#chunks = undefined
    chunks?.return?.()?.catch(() => {})
  }
}

interface OpenToolCall {
  part: ToolCallPart
  rawInput: string
  done: boolean
}

/** Builds events and the final response from raw parts, pushing each event as it is made. */
class StreamAccumulator {
  readonly #provider: string
  readonly #push: (event: ChatStreamEvent) => void
  #modelId: string
  #id: string | undefined
  #requestId: string | undefined
  #headers: Record<string, string> | undefined
  #providerMetadata: Record<string, Record<string, unknown>> | undefined
  #announced = false
  readonly #content: (TextPart | ReasoningPart | ToolCallPart)[] = []
  readonly #toolCalls = new Map<string, OpenToolCall>()
  #reasoning: ReasoningPart | undefined
  #usage: Usage = { inputTokens: 0, outputTokens: 0 }
  readonly #warnings: Warning[]
  #finish: { finishReason: FinishReason; rawFinishReason?: string } | undefined

  constructor(
    options: Pick<CreateChatStreamOptions<unknown>, 'provider' | 'modelId' | 'warnings'>,
    push: (event: ChatStreamEvent) => void,
  ) {
    this.#provider = options.provider
    this.#modelId = options.modelId
    this.#warnings = [...(options.warnings ?? [])]
    this.#push = push
  }

  accept(part: ChatStreamPart): void {
    if (this.#finish !== undefined && part.type !== 'usage' && part.type !== 'metadata') {
      throw this.#invalid(`the stream sent '${part.type}' after its finish event`)
    }
    switch (part.type) {
      case 'metadata':
        if (part.id !== undefined) this.#id = part.id
        if (part.modelId !== undefined && part.modelId !== '') this.#modelId = part.modelId
        if (part.requestId !== undefined) this.#requestId = part.requestId
        if (part.headers !== undefined) this.#headers = part.headers
        if (part.providerMetadata !== undefined) {
          this.#providerMetadata = { ...this.#providerMetadata, ...part.providerMetadata }
        }
        return
      case 'text-delta': {
        if (part.delta === '') return
        const last = this.#content.at(-1)
        if (last?.type === 'text') last.text += part.delta
        else this.#content.push({ type: 'text', text: part.delta })
        // the part is the event's shape already: pass it on rather than copy it
        this.#emit(part)
        return
      }
      case 'reasoning-delta':
        if (part.delta === '') return
        this.#openReasoning().text += part.delta
        this.#emit(part)
        return
      case 'reasoning-end': {
        const block = this.#openReasoning()
        if (part.signature !== undefined) block.signature = part.signature
        if (part.data !== undefined) block.data = part.data
        this.#reasoning = undefined
        this.#emit({
          type: 'reasoning-end',
          ...(part.signature === undefined ? {} : { signature: part.signature }),
          ...(part.data === undefined ? {} : { data: part.data }),
        })
        return
      }
      case 'tool-call-delta': {
        let call = this.#toolCalls.get(part.toolCallId)
        if (call === undefined) {
          if (part.toolName === '')
            throw this.#invalid(`tool call '${part.toolCallId}' started without a tool name`)
          call = {
            part: {
              type: 'tool-call',
              toolCallId: part.toolCallId,
              toolName: part.toolName,
              input: undefined,
            },
            rawInput: '',
            done: false,
          }
          this.#toolCalls.set(part.toolCallId, call)
          this.#content.push(call.part)
        } else if (call.done) {
          throw this.#invalid(`tool call '${part.toolCallId}' received arguments after it ended`)
        }
        call.rawInput += part.inputDelta
        this.#emit({
          type: 'tool-call-delta',
          toolCallId: part.toolCallId,
          toolName: call.part.toolName,
          inputDelta: part.inputDelta,
        })
        return
      }
      case 'tool-call-end': {
        const call = this.#toolCalls.get(part.toolCallId)
        if (call === undefined) throw this.#invalid(`tool call '${part.toolCallId}' ended before it started`)
        if (!call.done) this.#completeToolCall(call)
        return
      }
      case 'usage':
        this.#usage = mergeUsage(this.#usage, part.usage)
        this.#emit({ type: 'usage', usage: { ...this.#usage } })
        return
      case 'warning':
        this.#warnings.push(part.warning)
        return
      case 'finish':
        this.#finish = {
          finishReason: part.finishReason,
          ...(part.rawFinishReason === undefined ? {} : { rawFinishReason: part.rawFinishReason }),
        }
        return
    }
  }

  /** Completes open tool calls and pushes `finish`; throws when the provider never finished. */
  finish(): void {
    if (this.#finish === undefined) {
      throw this.#invalid(
        'the stream ended before the provider sent its terminal event; the answer may be incomplete',
      )
    }
    for (const call of this.#toolCalls.values()) if (!call.done) this.#completeToolCall(call)
    const response = createChatResponse({
      content: this.#content,
      finishReason: this.#finish.finishReason,
      rawFinishReason: this.#finish.rawFinishReason,
      usage: this.#usage,
      provider: this.#provider,
      modelId: this.#modelId,
      id: this.#id,
      requestId: this.#requestId,
      headers: this.#headers,
      warnings: this.#warnings,
      providerMetadata: this.#providerMetadata,
    })
    this.#emit({ type: 'finish', finishReason: response.finishReason, usage: response.usage, response })
  }

  /** Pushes an event, announcing who answers first (one `metadata` event before any other). */
  #emit(event: ChatStreamEvent): void {
    if (!this.#announced) {
      this.#announced = true
      this.#push({
        type: 'metadata',
        provider: this.#provider,
        modelId: this.#modelId,
        ...(this.#id === undefined ? {} : { id: this.#id }),
        ...(this.#requestId === undefined ? {} : { requestId: this.#requestId }),
        ...(this.#headers === undefined ? {} : { headers: this.#headers }),
      })
    }
    this.#push(event)
  }

  #openReasoning(): ReasoningPart {
    if (this.#reasoning === undefined) {
      this.#reasoning = { type: 'reasoning', text: '' }
      this.#content.push(this.#reasoning)
    }
    return this.#reasoning
  }

  #completeToolCall(call: OpenToolCall): void {
    call.done = true
    call.part.input = parseToolInput(call.rawInput, call.part.toolName, this.#provider)
    this.#emit({
      type: 'tool-call',
      toolCall: { id: call.part.toolCallId, name: call.part.toolName, input: call.part.input },
    })
  }

  #invalid(message: string): InvalidResponseError {
    return new InvalidResponseError({ message: `${this.#provider}: ${message}`, provider: this.#provider })
  }
}

function mergeUsage(current: Usage, update: Partial<Usage>): Usage {
  const merged: Usage = { ...current }
  if (update.inputTokens !== undefined) merged.inputTokens = update.inputTokens
  if (update.outputTokens !== undefined) merged.outputTokens = update.outputTokens
  if (update.cachedInputTokens !== undefined) merged.cachedInputTokens = update.cachedInputTokens
  if (update.cacheCreationInputTokens !== undefined)
    merged.cacheCreationInputTokens = update.cacheCreationInputTokens
  if (update.reasoningTokens !== undefined) merged.reasoningTokens = update.reasoningTokens
  return merged
}

import type { ChatStream } from './chat-model'
import { createCallSignal } from './create-call-signal'
import { createChatResponse } from './create-chat-response'
import { AbortedError } from './errors/aborted-error'
import { InvalidResponseError } from './errors/invalid-response-error'
import { QlError } from './errors/ql-error'
import { UnavailableError } from './errors/unavailable-error'
import { parseToolInput } from './parse-tool-input'
import type { ChatResponse } from './schemas/chat-response'
import type { ChatStreamEvent } from './schemas/chat-stream-event'
import type { ChatStreamPart } from './schemas/chat-stream-part'
import type { ReasoningPart, TextPart, ToolCallPart } from './schemas/content-parts'
import type { FinishReason } from './schemas/finish-reason'
import type { Usage } from './schemas/usage'
import type { Warning } from './schemas/warning'

/** How {@link createChatStream} runs a model's stream. */
export interface CreateChatStreamOptions {
  /** The provider's name, reported in the response and in errors. */
  provider: string
  /** The requested model; replaced by a `metadata` part's `modelId` when the provider reports one. */
  modelId: string
  /**
   * Starts the provider call and yields its parts. `signal` aborts when the caller cancels, the
   * timeout runs out, or the consumer stops iterating: pass it to the SDK.
   */
  start: (signal: AbortSignal) => AsyncIterable<ChatStreamPart> | Promise<AsyncIterable<ChatStreamPart>>
  /** The caller's signal (from `CallOptions`). */
  signal?: AbortSignal | undefined
  /** The caller's time budget for the whole stream (from `CallOptions`). */
  timeoutMs?: number | undefined
  /** Settings the adapter already knows it ignored. */
  warnings?: Warning[] | undefined
  /** Turns anything the source throws into a typed error. Defaults to wrapping it as `UnavailableError`. */
  mapError?: ((error: unknown) => QlError) | undefined
}

/**
 * Turns a provider's raw stream parts into a {@link ChatStream}: deltas pass through, tool-call
 * fragments become parsed `tool-call` events, usage is merged, and a final `finish` event carries
 * the same `ChatResponse` a `generate` call would return.
 *
 * It enforces the contract every adapter owes its callers:
 * - a source that ends without a `finish` part fails with `InvalidResponseError`;
 * - anything the source throws reaches the consumer as a `QlError` (through `mapError`), and
 *   `response` rejects with the same error;
 * - cancellation and `timeoutMs` abort the source and surface as `AbortedError` / `TimeoutError`;
 * - breaking out of the iteration early aborts the provider call (unless `response` was awaited).
 */
export function createChatStream(options: CreateChatStreamOptions): ChatStream {
  return new ManagedChatStream(options)
}

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  promise.catch(() => {}) // a stream consumed only by iteration must not leave an unhandled rejection
  return { promise, resolve, reject }
}

class ManagedChatStream implements ChatStream {
  readonly #options: CreateChatStreamOptions
  readonly #consumer = new AbortController()
  readonly #response = deferred<ChatResponse>()
  readonly #buffer: ChatStreamEvent[] = []
  #events: AsyncGenerator<ChatStreamEvent> | undefined
  #pulling: Promise<void> | undefined
  #done = false
  #error: QlError | undefined
  #errorDelivered = false
  #draining = false
  #iterating = false
  #closed = false

  constructor(options: CreateChatStreamOptions) {
    this.#options = options
  }

  get response(): Promise<ChatResponse> {
    if (!this.#draining) {
      this.#draining = true
      void this.#drain()
    }
    return this.#response.promise
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatStreamEvent> {
    if (this.#iterating) throw new TypeError('a ChatStream can be iterated only once')
    this.#iterating = true
    return {
      next: () => this.#next(),
      return: async () => {
        await this.#close()
        return { done: true, value: undefined }
      },
    }
  }

  async #next(): Promise<IteratorResult<ChatStreamEvent>> {
    for (;;) {
      const event = this.#buffer.shift()
      if (event !== undefined) return { done: false, value: event }
      if (this.#error !== undefined && !this.#errorDelivered) {
        this.#errorDelivered = true
        throw this.#error
      }
      if (this.#done || this.#closed) return { done: true, value: undefined }
      await this.#pull()
    }
  }

  async #drain(): Promise<void> {
    while (!this.#done) await this.#pull()
  }

  async #close(): Promise<void> {
    this.#closed = true
    this.#buffer.length = 0
    if (this.#done || this.#draining) return
    const reason = new AbortedError({ message: 'the stream was closed by its consumer before it finished' })
    this.#consumer.abort(reason)
    if (this.#pulling === undefined) {
      await this.#events?.return(undefined)
      this.#done = true
      this.#response.reject(reason)
    }
  }

  #pull(): Promise<void> {
    this.#pulling ??= this.#pullOnce().finally(() => {
      this.#pulling = undefined
    })
    return this.#pulling
  }

  async #pullOnce(): Promise<void> {
    if (this.#done) return
    this.#events ??= this.#run()
    try {
      const result = await this.#events.next()
      if (result.done) {
        this.#done = true
        this.#response.reject(new InvalidResponseError({ message: 'the stream ended without a response' }))
      } else {
        if (!this.#closed) this.#buffer.push(result.value)
        if (result.value.type === 'finish') this.#response.resolve(result.value.response)
      }
    } catch (error) {
      this.#done = true
      this.#error = error as QlError
      this.#response.reject(error)
    }
  }

  async *#run(): AsyncGenerator<ChatStreamEvent> {
    const options = this.#options
    const call = createCallSignal(options, this.#consumer.signal)
    const fail = (error: unknown): QlError => {
      if (call.signal.aborted && QlError.isInstance(call.signal.reason)) return call.signal.reason
      if (QlError.isInstance(error)) return error
      return options.mapError?.(error) ?? defaultError(error, options.provider)
    }
    try {
      const source = await options.start(call.signal)
      const accumulator = new StreamAccumulator(options)
      for await (const part of source) {
        if (call.signal.aborted) throw call.signal.reason
        yield* accumulator.accept(part)
      }
      if (call.signal.aborted) throw call.signal.reason
      yield* accumulator.finish()
    } catch (error) {
      throw fail(error)
    } finally {
      call.dispose()
    }
  }
}

function defaultError(error: unknown, provider: string): QlError {
  const message = error instanceof Error ? error.message : String(error)
  return new UnavailableError({
    message: `the ${provider} stream failed: ${message}`,
    provider,
    cause: error,
  })
}

interface OpenToolCall {
  part: ToolCallPart
  rawInput: string
  done: boolean
}

/** Builds events and the final response from raw parts. */
class StreamAccumulator {
  readonly #provider: string
  #modelId: string
  #id: string | undefined
  #providerMetadata: Record<string, Record<string, unknown>> | undefined
  readonly #content: (TextPart | ReasoningPart | ToolCallPart)[] = []
  readonly #toolCalls = new Map<string, OpenToolCall>()
  #reasoning: ReasoningPart | undefined
  #usage: Usage = { inputTokens: 0, outputTokens: 0 }
  readonly #warnings: Warning[]
  #finish: { finishReason: FinishReason; rawFinishReason?: string } | undefined

  constructor(options: CreateChatStreamOptions) {
    this.#provider = options.provider
    this.#modelId = options.modelId
    this.#warnings = [...(options.warnings ?? [])]
  }

  *accept(part: ChatStreamPart): Generator<ChatStreamEvent> {
    if (this.#finish !== undefined && part.type !== 'usage' && part.type !== 'metadata') {
      throw this.#invalid(`the stream sent '${part.type}' after its finish event`)
    }
    switch (part.type) {
      case 'metadata':
        if (part.id !== undefined) this.#id = part.id
        if (part.modelId !== undefined && part.modelId !== '') this.#modelId = part.modelId
        if (part.providerMetadata !== undefined) {
          this.#providerMetadata = { ...this.#providerMetadata, ...part.providerMetadata }
        }
        return
      case 'text-delta': {
        if (part.delta === '') return
        const last = this.#content.at(-1)
        if (last?.type === 'text') last.text += part.delta
        else this.#content.push({ type: 'text', text: part.delta })
        yield { type: 'text-delta', delta: part.delta }
        return
      }
      case 'reasoning-delta':
        if (part.delta === '') return
        this.#openReasoning().text += part.delta
        yield { type: 'reasoning-delta', delta: part.delta }
        return
      case 'reasoning-end': {
        const block = this.#openReasoning()
        if (part.signature !== undefined) block.signature = part.signature
        if (part.data !== undefined) block.data = part.data
        this.#reasoning = undefined
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
        yield {
          type: 'tool-call-delta',
          toolCallId: part.toolCallId,
          toolName: call.part.toolName,
          inputDelta: part.inputDelta,
        }
        return
      }
      case 'tool-call-end': {
        const call = this.#toolCalls.get(part.toolCallId)
        if (call === undefined) throw this.#invalid(`tool call '${part.toolCallId}' ended before it started`)
        if (!call.done) yield this.#completeToolCall(call)
        return
      }
      case 'usage':
        this.#usage = mergeUsage(this.#usage, part.usage)
        yield { type: 'usage', usage: { ...this.#usage } }
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

  *finish(): Generator<ChatStreamEvent> {
    if (this.#finish === undefined) {
      throw this.#invalid(
        'the stream ended before the provider sent its terminal event; the answer may be incomplete',
      )
    }
    for (const call of this.#toolCalls.values()) if (!call.done) yield this.#completeToolCall(call)
    const response = createChatResponse({
      content: this.#content,
      finishReason: this.#finish.finishReason,
      rawFinishReason: this.#finish.rawFinishReason,
      usage: this.#usage,
      provider: this.#provider,
      modelId: this.#modelId,
      id: this.#id,
      warnings: this.#warnings,
      providerMetadata: this.#providerMetadata,
    })
    yield { type: 'finish', finishReason: response.finishReason, usage: response.usage, response }
  }

  #openReasoning(): ReasoningPart {
    if (this.#reasoning === undefined) {
      this.#reasoning = { type: 'reasoning', text: '' }
      this.#content.push(this.#reasoning)
    }
    return this.#reasoning
  }

  #completeToolCall(call: OpenToolCall): ChatStreamEvent {
    call.done = true
    call.part.input = parseToolInput(call.rawInput, call.part.toolName, this.#provider)
    return {
      type: 'tool-call',
      toolCall: { id: call.part.toolCallId, name: call.part.toolName, input: call.part.input },
    }
  }

  #invalid(message: string): InvalidResponseError {
    return new InvalidResponseError({ message: `${this.#provider}: ${message}`, provider: this.#provider })
  }
}

function mergeUsage(current: Usage, update: Partial<Usage>): Usage {
  const merged: Usage = { ...current }
  for (const [key, value] of Object.entries(update) as [keyof Usage, number | undefined][]) {
    if (value !== undefined) merged[key] = value
  }
  return merged
}

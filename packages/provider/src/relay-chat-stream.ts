import type { ChatStream } from './chat-model'
import { createChatResponse } from './create-chat-response'
import { InvalidResponseError } from './errors/invalid-response-error'
import type { QlError } from './errors/ql-error'
import { toQlError } from './errors/to-ql-error'
import { type EventSink, type EventSource, EventStream } from './event-stream'
import type { ChatResponse } from './schemas/chat-response'
import type { ChatStreamEvent } from './schemas/chat-stream-event'
import type { ReasoningPart, TextPart, ToolCallPart } from './schemas/content-parts'

/** What a {@link RelayChatStreamOptions.map} returns for one event: an event, several, or none. */
export type RelayedEvents = ChatStreamEvent | readonly ChatStreamEvent[] | null | undefined

/** How {@link relayChatStream} forwards events. */
export interface RelayChatStreamOptions {
  /**
   * Transforms each event of the inner stream: return it (or a changed copy), several events, or
   * `null`/`undefined` to drop it; may be async. The relayed `response` is rebuilt from the events
   * you return (text from `text-delta`, reasoning from `reasoning-delta`/`reasoning-end`, tool calls
   * from `tool-call`, usage and finish reason from `finish`), so it always matches what the consumer
   * saw. Dropping the `finish` event makes the stream fail: a relay never ends short silently.
   * Leave it out to forward every event as it is; `response` is then the inner stream's response.
   */
  map?: ((event: ChatStreamEvent) => RelayedEvents | Promise<RelayedEvents>) | undefined
  /** Who the relay speaks for, named in errors that come before the inner stream says who answers. */
  provider?: string | undefined
  /** The model the relay speaks for, named in errors that come before the inner stream's metadata. */
  modelId?: string | undefined
}

/**
 * Builds a {@link ChatStream} from another one, forwarding its events as they are or mapped. It
 * keeps every guarantee of the inner stream: the inner stream's typed error reaches the consumer
 * (and `response`) as the same object, an error thrown by `map` becomes a typed error, a stream that
 * ends without `finish` fails with `InvalidResponseError`, and breaking out of the relayed stream
 * cancels the inner call.
 *
 * `source` may be a function (sync or async) that makes the inner stream when the relay is first
 * read: a middleware that must await something first (a transformed request, a cache lookup) still
 * returns its stream at once.
 *
 * @example
 * ```ts
 * const shouting = relayChatStream(model.stream(request), {
 *   map: (event) => (event.type === 'text-delta' ? { ...event, delta: event.delta.toUpperCase() } : event),
 * })
 * ```
 */
export function relayChatStream(
  source: ChatStream | (() => ChatStream | Promise<ChatStream>),
  options: RelayChatStreamOptions = {},
): ChatStream {
  return new EventStream(new RelaySource(source, options))
}

class RelaySource implements EventSource {
  readonly #source: ChatStream | (() => ChatStream | Promise<ChatStream>)
  readonly #map: RelayChatStreamOptions['map']
  readonly #rebuild: ResponseRebuilder | undefined
  #events: AsyncIterator<ChatStreamEvent> | undefined
  /** The sink of the pull in progress (the fast path's). */
  #sink: EventSink | undefined
  #finished = false
  #stopped = false
  #provider: string | undefined
  #modelId: string | undefined

  constructor(
    source: ChatStream | (() => ChatStream | Promise<ChatStream>),
    options: RelayChatStreamOptions,
  ) {
    this.#source = source
    this.#map = options.map
    this.#rebuild = options.map === undefined ? undefined : new ResponseRebuilder()
    this.#provider = options.provider
    this.#modelId = options.modelId
  }

  pull(sink: EventSink): void {
    const events = this.#events
    if (events !== undefined && this.#map === undefined) {
      // the stream is running and forwards events as they are: one `then` per event, no async frame
      this.#sink = sink
      let next: Promise<IteratorResult<ChatStreamEvent>>
      try {
        next = events.next()
      } catch (error) {
        this.#onError(error)
        return
      }
      next.then(this.#onResult, this.#onError)
      return
    }
    this.#pull((event) => sink.push(event)).then(
      (ended) => sink.pulled(ended),
      (error: QlError) => sink.failed(error),
    )
  }

  /** The fast path's inner result: the same steps as {@link #pull} takes for one unmapped event. */
  readonly #onResult = (result: IteratorResult<ChatStreamEvent>): void => {
    const sink = this.#sink as EventSink
    if (result.done === true) {
      if (this.#finished) {
        sink.pulled(true)
        return
      }
      this.#onError(this.#endedEarly())
      return
    }
    const event = result.value
    if (event.type === 'metadata') {
      this.#provider = event.provider
      this.#modelId = event.modelId
    } else if (event.type === 'finish') {
      this.#finished = true
    }
    sink.push(event)
    sink.pulled(false)
  }

  readonly #onError = (error: unknown): void => {
    ;(this.#sink as EventSink).failed(this.#failure(error))
  }

  #endedEarly(): InvalidResponseError {
    return new InvalidResponseError({
      message: 'the relayed stream ended without its finish event; the answer may be incomplete',
      ...(this.#provider === undefined ? {} : { provider: this.#provider }),
    })
  }

  /** The typed error for a failure of the relay, after closing the inner stream. */
  #failure(error: unknown): QlError {
    const failure = toQlError(error, {
      ...(this.#provider === undefined ? {} : { provider: this.#provider }),
      ...(this.#modelId === undefined ? {} : { modelId: this.#modelId }),
    })
    this.#stop().catch(() => {})
    return failure
  }

  async #pull(push: (event: ChatStreamEvent) => void): Promise<boolean> {
    try {
      if (this.#events === undefined) {
        const source = this.#source
        const inner = typeof source === 'function' ? await source() : source
        const events = inner[Symbol.asyncIterator]()
        if (this.#stopped) {
          await events.return?.()
          return true
        }
        this.#events = events
      }
      for (;;) {
        const result = await this.#events.next()
        if (result.done === true) {
          if (!this.#finished) throw this.#endedEarly()
          return true
        }
        const event = result.value
        if (event.type === 'metadata') {
          this.#provider = event.provider
          this.#modelId = event.modelId
        }
        if (this.#map === undefined) {
          if (event.type === 'finish') this.#finished = true
          push(event)
          return false
        }
        if (this.#forward(await this.#map(event), event, push) > 0) return false
      }
    } catch (error) {
      throw this.#failure(error)
    }
  }

  async cancel(_reason: QlError): Promise<void> {
    await this.#stop()
  }

  /** Pushes the mapped events (the `finish` event with the rebuilt response); returns how many. */
  #forward(mapped: RelayedEvents, original: ChatStreamEvent, push: (event: ChatStreamEvent) => void): number {
    if (mapped === null || mapped === undefined) return 0
    const events: readonly ChatStreamEvent[] = Array.isArray(mapped) ? mapped : [mapped as ChatStreamEvent]
    const rebuild = this.#rebuild as ResponseRebuilder
    if (original.type === 'metadata') rebuild.original = original
    for (const event of events) {
      if (event.type === 'finish') {
        this.#finished = true
        push({ ...event, response: rebuild.build(event) })
      } else {
        rebuild.observe(event)
        push(event)
      }
    }
    return events.length
  }

  /** Closes the inner stream, which cancels its call if it has not finished. */
  async #stop(): Promise<void> {
    this.#stopped = true
    const events = this.#events
    this.#events = undefined
    await events?.return?.()
  }
}

type MetadataEvent = Extract<ChatStreamEvent, { type: 'metadata' }>

/** Rebuilds a response from the events a relay forwards, in the order the content came. */
class ResponseRebuilder {
  /** The inner stream's own metadata event; fields the map changed override the inner response. */
  original: MetadataEvent | undefined
  #metadata: MetadataEvent | undefined
  readonly #content: (TextPart | ReasoningPart | ToolCallPart)[] = []
  readonly #calls = new Map<string, ToolCallPart>()
  #reasoning: ReasoningPart | undefined

  observe(event: ChatStreamEvent): void {
    switch (event.type) {
      case 'metadata':
        this.#metadata = event
        return
      case 'text-delta': {
        if (event.delta === '') return
        const last = this.#content.at(-1)
        if (last?.type === 'text') last.text += event.delta
        else this.#content.push({ type: 'text', text: event.delta })
        return
      }
      case 'reasoning-delta':
        this.#openReasoning().text += event.delta
        return
      case 'reasoning-end': {
        const block = this.#openReasoning()
        if (event.signature !== undefined) block.signature = event.signature
        if (event.data !== undefined) block.data = event.data
        this.#reasoning = undefined
        return
      }
      case 'tool-call-delta':
        this.#call(event.toolCallId, event.toolName)
        return
      case 'tool-call': {
        const call = this.#call(event.toolCall.id, event.toolCall.name)
        call.toolName = event.toolCall.name
        call.input = event.toolCall.input
        return
      }
      case 'usage':
      case 'finish':
        return
    }
  }

  build(finish: Extract<ChatStreamEvent, { type: 'finish' }>): ChatResponse {
    const base = finish.response
    const changed = <K extends 'provider' | 'modelId' | 'id' | 'requestId' | 'headers'>(
      key: K,
    ): MetadataEvent[K] | undefined => {
      const value = this.#metadata?.[key]
      return value !== undefined && value !== this.original?.[key] ? value : undefined
    }
    // tool calls announced by deltas but never completed carry no input: leave them out
    const content = this.#content.filter((part) => part.type !== 'tool-call' || part.input !== undefined)
    return createChatResponse({
      content,
      finishReason: finish.finishReason,
      rawFinishReason: base.rawFinishReason,
      usage: finish.usage,
      provider: changed('provider') ?? base.provider,
      modelId: changed('modelId') ?? base.modelId,
      id: changed('id') ?? base.id,
      requestId: changed('requestId') ?? base.requestId,
      headers: changed('headers') ?? base.headers,
      cost: base.cost,
      warnings: base.warnings,
      providerMetadata: base.providerMetadata,
    })
  }

  #openReasoning(): ReasoningPart {
    if (this.#reasoning === undefined) {
      this.#reasoning = { type: 'reasoning', text: '' }
      this.#content.push(this.#reasoning)
    }
    return this.#reasoning
  }

  #call(id: string, name: string): ToolCallPart {
    let call = this.#calls.get(id)
    if (call === undefined) {
      call = { type: 'tool-call', toolCallId: id, toolName: name, input: undefined }
      this.#calls.set(id, call)
      this.#content.push(call)
    }
    return call
  }
}

import type { ChatStream } from './chat-model'
import { AbortedError } from './errors/aborted-error'
import { InvalidResponseError } from './errors/invalid-response-error'
import type { QlError } from './errors/ql-error'
import type { ChatResponse } from './schemas/chat-response'
import type { ChatStreamEvent } from './schemas/chat-stream-event'

/** What an {@link EventSource} reports to, for one pull. */
export interface EventSink {
  /** One event, in order. */
  push(event: ChatStreamEvent): void
  /** The pull is over: at least one event was pushed, or (`ended`) the source is done. */
  pulled(ended: boolean): void
  /** The pull failed with this typed error; the source is then finished. */
  failed(error: QlError): void
}

/** Where an {@link EventStream} gets its events: a provider call, or another stream. */
export interface EventSource {
  /**
   * Pushes at least one event, then calls `sink.pulled(false)`; or, at the end (after its
   * `finish` event), `sink.pulled(true)`; or `sink.failed(error)`. Exactly one of the last two,
   * once per pull, synchronously or later.
   */
  pull(sink: EventSink): void
  /** The consumer left before the end: stop the underlying call and release what it holds. */
  cancel(reason: QlError): Promise<void>
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined })

interface Waiter {
  resolve: (result: IteratorResult<ChatStreamEvent>) => void
  reject: (error: unknown) => void
}

/**
 * The one implementation of {@link ChatStream}, over any {@link EventSource}: events are pulled
 * on demand (backpressure reaches the provider) and handed to a waiting consumer directly, so a
 * relayed event costs one microtask, as one more async generator would.
 *
 * - Iterating pulls; `response` resolves from the `finish` event and rejects with the error the
 *   iteration throws (the very same object).
 * - Reading `response` without iterating consumes the stream (after the current microtask, so a
 *   `for await` that starts right after is the one that pulls); its events are kept for a later
 *   iteration.
 * - Breaking out of the iteration before `finish` cancels the provider call, whoever awaits
 *   `response`: it then rejects with an `AbortedError`.
 */
export class EventStream implements ChatStream {
  readonly #source: EventSource
  readonly #response: Promise<ChatResponse>
  #resolve!: (response: ChatResponse) => void
  #reject!: (error: unknown) => void
  #settled = false
  #buffer: ChatStreamEvent[] = []
  #head = 0
  #waiter: Waiter | undefined
  #pulling = false
  #ended = false
  #error: QlError | undefined
  #errorDelivered = false
  #iterating = false
  #draining = false
  #closed = false
  #drainQueued = false

  /** What the source reports to; made once per stream. */
  readonly #sink: EventSink = {
    push: (event) => this.#push(event),
    pulled: (ended) => this.#pulled(ended),
    failed: (error) => this.#failed(error),
  }

  constructor(source: EventSource) {
    this.#source = source
    this.#response = new Promise<ChatResponse>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    this.#response.catch(() => {}) // a stream consumed only by iteration leaves no unhandled rejection
  }

  get response(): Promise<ChatResponse> {
    if (!this.#drainQueued) {
      this.#drainQueued = true
      queueMicrotask(() => {
        if (this.#iterating || this.#ended) return
        this.#draining = true
        this.#pull()
      })
    }
    return this.#response
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatStreamEvent> {
    if (this.#iterating) throw new TypeError('a ChatStream can be iterated only once')
    this.#iterating = true
    return {
      next: () => this.#next(),
      return: async () => {
        await this.#close()
        return DONE
      },
    }
  }

  /** Hands an event to the waiting consumer, or keeps it for the next `next()`. */
  #push(event: ChatStreamEvent): void {
    if (event.type === 'finish' && !this.#settled) {
      this.#settled = true
      this.#resolve(event.response)
    }
    if (this.#closed) return
    const waiter = this.#waiter
    if (waiter !== undefined) {
      this.#waiter = undefined
      waiter.resolve({ done: false, value: event })
    } else {
      this.#buffer.push(event)
    }
  }

  #next(): Promise<IteratorResult<ChatStreamEvent>> {
    if (this.#head < this.#buffer.length) return Promise.resolve(this.#take())
    if (this.#error !== undefined && !this.#errorDelivered) {
      this.#errorDelivered = true
      return Promise.reject(this.#error)
    }
    if (this.#ended || this.#closed) return Promise.resolve(DONE)
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject }
      this.#pull()
    })
  }

  #take(): IteratorResult<ChatStreamEvent> {
    const value = this.#buffer[this.#head++] as ChatStreamEvent
    if (this.#head === this.#buffer.length) {
      this.#buffer.length = 0
      this.#head = 0
    }
    return { done: false, value }
  }

  #pull(): void {
    if (this.#pulling || this.#ended) return
    this.#pulling = true
    this.#source.pull(this.#sink)
  }

  /** The source's pull is over (see {@link EventSink.pulled}). */
  #pulled(ended: boolean): void {
    this.#pulling = false
    if (ended && !this.#ended) {
      this.#ended = true
      if (!this.#settled)
        this.#fail(new InvalidResponseError({ message: 'the stream ended without a response' }))
    }
    const waiter = this.#waiter
    if (waiter !== undefined) {
      if (!this.#ended) {
        this.#pull()
        return
      }
      this.#waiter = undefined
      if (this.#error !== undefined && !this.#errorDelivered) {
        this.#errorDelivered = true
        waiter.reject(this.#error)
      } else {
        waiter.resolve(DONE)
      }
      return
    }
    if (this.#draining && !this.#iterating) this.#pull()
  }

  /** The source failed (see {@link EventSink.failed}). */
  #failed(error: QlError): void {
    this.#pulling = false
    this.#ended = true
    this.#fail(error)
    const waiter = this.#waiter
    if (waiter !== undefined) {
      this.#waiter = undefined
      this.#errorDelivered = true
      waiter.reject(this.#error)
    }
  }

  #fail(error: QlError): void {
    if (this.#error === undefined) this.#error = error
    if (!this.#settled) {
      this.#settled = true
      this.#reject(error)
    }
  }

  async #close(): Promise<void> {
    this.#closed = true
    this.#buffer.length = 0
    this.#head = 0
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.resolve(DONE)
    if (this.#ended) return
    this.#ended = true
    const reason = new AbortedError({ message: 'the stream was closed by its consumer before it finished' })
    this.#errorDelivered = true
    this.#fail(reason)
    try {
      await this.#source.cancel(reason)
    } catch {
      // the consumer is gone; a failure while stopping has no one to reach
    }
  }
}

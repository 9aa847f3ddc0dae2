import type { ChatStream } from './chat-model'
import { AbortedError } from './errors/aborted-error'
import { InvalidResponseError } from './errors/invalid-response-error'
import type { QlError } from './errors/ql-error'
import type { ChatResponse } from './schemas/chat-response'
import type { ChatStreamEvent } from './schemas/chat-stream-event'

/** Where an {@link EventStream} gets its events: a provider call, or another stream. */
export interface EventSource {
  /**
   * Pushes at least one event, or resolves `true` when the source has ended (after pushing its
   * `finish` event). Rejects with the typed error of a failure; the source is then finished.
   */
  pull(push: (event: ChatStreamEvent) => void): Promise<boolean>
  /** The consumer left before the end: stop the underlying call and release what it holds. */
  cancel(reason: QlError): Promise<void>
}

/**
 * The one implementation of {@link ChatStream}, over any {@link EventSource}: a buffer that the
 * iterator and `response` read from, pulled on demand (backpressure reaches the provider).
 *
 * - Iterating pulls; `response` resolves from the `finish` event and rejects with the error the
 *   iteration throws (the very same object).
 * - Reading `response` without iterating consumes the stream (after the current microtask, so a
 *   `for await` that starts right after is the one that pulls).
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
  #pending: Promise<void> | undefined
  #ended = false
  #error: QlError | undefined
  #errorDelivered = false
  #iterating = false
  #closed = false
  #drainQueued = false
  readonly #push = (event: ChatStreamEvent): void => {
    if (!this.#closed) this.#buffer.push(event)
    if (event.type === 'finish' && !this.#settled) {
      this.#settled = true
      this.#resolve(event.response)
    }
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
        if (!this.#iterating) void this.#drain()
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
        return { done: true, value: undefined }
      },
    }
  }

  #next(): Promise<IteratorResult<ChatStreamEvent>> {
    if (this.#head < this.#buffer.length) return Promise.resolve(this.#take())
    return this.#nextSlow()
  }

  #take(): IteratorResult<ChatStreamEvent> {
    const value = this.#buffer[this.#head++] as ChatStreamEvent
    if (this.#head === this.#buffer.length) {
      this.#buffer.length = 0
      this.#head = 0
    }
    return { done: false, value }
  }

  async #nextSlow(): Promise<IteratorResult<ChatStreamEvent>> {
    for (;;) {
      if (this.#head < this.#buffer.length) return this.#take()
      if (this.#error !== undefined && !this.#errorDelivered) {
        this.#errorDelivered = true
        throw this.#error
      }
      if (this.#ended || this.#closed) return { done: true, value: undefined }
      await this.#pull()
    }
  }

  async #drain(): Promise<void> {
    while (!this.#ended && !this.#iterating) await this.#pull()
  }

  #pull(): Promise<void> {
    this.#pending ??= this.#pullOnce()
    return this.#pending
  }

  async #pullOnce(): Promise<void> {
    try {
      if (await this.#source.pull(this.#push)) {
        this.#ended = true
        if (!this.#settled) this.#fail(new InvalidResponseError({ message: 'the stream ended without a response' }))
      }
    } catch (error) {
      this.#ended = true
      this.#fail(error as QlError)
    } finally {
      this.#pending = undefined
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

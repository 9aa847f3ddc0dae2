import {
  type ChatResponse,
  type ChatStream,
  type ChatStreamEvent,
  InvalidResponseError,
  type QlError,
  TimeoutError,
  toQlError,
} from '@ql/provider'
import type { Lease } from './state/target-limiter'

/** Events that commit a stream to its attempt: once one reached the consumer, there is no failover. */
const COMMITTING = new Set<ChatStreamEvent['type']>([
  'text-delta',
  'reasoning-delta',
  'reasoning-end',
  'tool-call-delta',
  'tool-call',
  'finish',
])

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined })

/** What a {@link StreamAttempt} needs from the router. */
export interface StreamAttemptOptions {
  /** Capacity held on the target until the stream ends. */
  lease: Lease
  /** Time from the start of the attempt to its first content event, in ms. */
  firstTokenMs: number | undefined
  /** The longest gap between two events after the first, in ms. */
  stallMs: number | undefined
  now: () => number
  /** Maps a failure to the error the consumer gets (the call's own abort or deadline first). */
  failure: (error: unknown) => QlError
  /** The first content event arrived (time to first token). */
  onFirstContent: () => void
  /** A started stream failed (its error reaches the consumer). */
  onFailAfterStart: (error: QlError) => void
  /** The stream finished: returns the response to hand on (with its cost). */
  onFinish: (response: ChatResponse, firstTokenMs: number) => ChatResponse
  /** The stream is over, however it ended (finish, failure, consumer left): release the call. */
  onEnd: () => void
}

/**
 * One streaming attempt on one target. {@link start} reads the inner stream until its first
 * content event, keeping what came before (the `metadata` event, early usage) to itself: if the
 * attempt fails first, the router tries another target and the consumer never sees any of it.
 * Once started it is the stream the consumer reads (through `relayChatStream`): from then on a
 * failure reaches the consumer as the typed error, never as a quietly shorter answer.
 *
 * `completion` settles when the stream is over, for the target's circuit breaker: it rejects when
 * the target failed (before or after the first content), and resolves when the stream finished
 * or the consumer left.
 */
export class StreamAttempt implements ChatStream {
  readonly completion: Promise<void>
  #resolveCompletion!: () => void
  #rejectCompletion!: (error: unknown) => void
  readonly #inner: AsyncIterator<ChatStreamEvent>
  readonly #options: StreamAttemptOptions
  readonly #startedAt: number
  readonly #buffer: ChatStreamEvent[] = []
  #head = 0
  #firstTokenMs = 0
  #ended = false
  #started = false
  #response: Promise<ChatResponse> | undefined
  #settleResponse: ((response: ChatResponse | QlError) => void) | undefined

  constructor(inner: ChatStream, options: StreamAttemptOptions) {
    this.#inner = inner[Symbol.asyncIterator]()
    this.#options = options
    this.#startedAt = options.now()
    this.completion = new Promise<void>((resolve, reject) => {
      this.#resolveCompletion = resolve
      this.#rejectCompletion = reject
    })
    this.completion.catch(() => {})
  }

  /**
   * Reads until the first content event (or `finish`). Rejects with the attempt's typed error,
   * the inner stream closed, when the attempt fails first or its first token is late.
   */
  async start(): Promise<this> {
    const { firstTokenMs, now } = this.#options
    const deadline = firstTokenMs === undefined ? undefined : this.#startedAt + firstTokenMs
    for (;;) {
      let result: IteratorResult<ChatStreamEvent>
      try {
        result = await this.#read(
          deadline === undefined ? undefined : deadline - now(),
          () =>
            new TimeoutError({
              message: `no content within ${firstTokenMs} ms of the start of the stream (the first-token timeout)`,
              ...(firstTokenMs === undefined ? {} : { timeoutMs: firstTokenMs }),
            }),
        )
        if (result.done === true) {
          throw new InvalidResponseError({ message: 'the stream ended before its first event' })
        }
      } catch (error) {
        throw this.#fail(error)
      }
      this.#buffer.push(result.value)
      if (COMMITTING.has(result.value.type)) {
        this.#firstTokenMs = now() - this.#startedAt
        this.#started = true
        this.#options.onFirstContent()
        return this
      }
    }
  }

  get response(): Promise<ChatResponse> {
    if (this.#response === undefined) {
      this.#response = new Promise<ChatResponse>((resolve, reject) => {
        this.#settleResponse = (value) => (value instanceof Error ? reject(value) : resolve(value))
      })
      this.#response.catch(() => {})
    }
    return this.#response
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatStreamEvent> {
    return {
      next: () => this.#next(),
      return: () => this.#return(),
    }
  }

  #next(): Promise<IteratorResult<ChatStreamEvent>> {
    try {
      if (this.#head < this.#buffer.length) {
        const event = this.#buffer[this.#head++] as ChatStreamEvent
        if (this.#head === this.#buffer.length) {
          this.#buffer.length = 0
          this.#head = 0
        }
        return Promise.resolve({ done: false, value: this.#deliver(event) })
      }
      if (this.#ended) return Promise.resolve(DONE)
    } catch (error) {
      return Promise.reject(error)
    }
    // no async frame per event: one `then` on the inner read
    let read: Promise<IteratorResult<ChatStreamEvent>>
    try {
      const { stallMs } = this.#options
      read =
        stallMs === undefined
          ? this.#inner.next()
          : this.#read(
              stallMs,
              () =>
                new TimeoutError({
                  message: `the stream stalled: no event for ${stallMs} ms (the stall timeout)`,
                  timeoutMs: stallMs,
                }),
            )
    } catch (error) {
      return Promise.reject(this.#fail(error))
    }
    return read.then(this.#onRead, this.#onReadError)
  }

  readonly #onRead = (result: IteratorResult<ChatStreamEvent>): IteratorResult<ChatStreamEvent> => {
    if (result.done === true) {
      // the inner stream only ends after its finish event, which ended this one already
      this.#end()
      return DONE
    }
    return { done: false, value: this.#deliver(result.value) }
  }

  readonly #onReadError = (error: unknown): never => {
    throw this.#fail(error)
  }

  #deliver(event: ChatStreamEvent): ChatStreamEvent {
    if (event.type !== 'finish') return event
    const response = this.#options.onFinish(event.response, this.#firstTokenMs)
    const usage = response.usage
    this.#options.lease.release(usage.inputTokens + usage.outputTokens)
    this.#settleResponse?.(response)
    this.#resolveCompletion()
    this.#end()
    return response === event.response ? event : { ...event, response }
  }

  /** The consumer left: close the inner stream (which cancels its call). Not the target's failure. */
  async #return(): Promise<IteratorResult<ChatStreamEvent>> {
    if (!this.#ended) {
      this.#options.lease.release()
      this.#resolveCompletion()
      this.#end()
    }
    await this.#inner.return?.()
    return DONE
  }

  /** Reads the next inner event within `timeoutMs` (none: no limit); past it the inner stream is closed. */
  #read(
    timeoutMs: number | undefined,
    timeoutError: () => TimeoutError,
  ): Promise<IteratorResult<ChatStreamEvent>> {
    if (timeoutMs === undefined) return this.#inner.next()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          reject(timeoutError())
          this.#inner.return?.()?.catch(() => {})
        },
        Math.max(0, timeoutMs),
      )
      this.#inner.next().then(
        (result) => {
          clearTimeout(timer)
          resolve(result)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }

  /** The attempt failed: settle everything once and return the typed error to throw. */
  #fail(error: unknown): QlError {
    const failure = this.#options.failure(toQlError(error))
    if (!this.#ended) {
      if (this.#started) this.#options.onFailAfterStart(failure)
      this.#options.lease.release()
      this.#rejectCompletion(failure)
      this.#settleResponse?.(failure)
      this.#end()
      this.#inner.return?.()?.catch(() => {})
    }
    return failure
  }

  #end(): void {
    if (this.#ended) return
    this.#ended = true
    // before the start the call is still routing: it is not over
    if (this.#started) this.#options.onEnd()
  }
}

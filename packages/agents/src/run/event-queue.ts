/**
 * A push queue read by one async iterator: events are buffered until read; `end` finishes the
 * iteration, `fail` makes it throw after the buffered events. Breaking out of the loop stops
 * buffering (the run goes on; its `result` still settles). @internal
 */
export class EventQueue<Event> {
  #buffer: Event[] = []
  #waiting: ((result: IteratorResult<Event>) => void) | undefined
  #failWaiting: ((error: unknown) => void) | undefined
  #ended = false
  #error: { error: unknown } | undefined
  #closed = false
  #iterated = false

  push(event: Event): void {
    if (this.#closed || this.#ended) return
    const waiting = this.#waiting
    if (waiting !== undefined) {
      this.#waiting = undefined
      this.#failWaiting = undefined
      waiting({ value: event, done: false })
    } else this.#buffer.push(event)
  }

  end(): void {
    this.#ended = true
    const waiting = this.#waiting
    this.#waiting = undefined
    this.#failWaiting = undefined
    waiting?.({ value: undefined, done: true })
  }

  fail(error: unknown): void {
    this.#ended = true
    this.#error = { error }
    const fail = this.#failWaiting
    this.#waiting = undefined
    this.#failWaiting = undefined
    fail?.(error)
  }

  iterate(): AsyncIterator<Event> {
    if (this.#iterated) throw new TypeError('A graph run can be iterated once.')
    this.#iterated = true
    return {
      next: () => {
        const event = this.#buffer.shift()
        if (event !== undefined) return Promise.resolve({ value: event, done: false })
        if (this.#error !== undefined) {
          const { error } = this.#error
          this.#error = undefined
          return Promise.reject(error)
        }
        if (this.#ended || this.#closed) return Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve, reject) => {
          this.#waiting = resolve
          this.#failWaiting = reject
        })
      },
      return: () => {
        this.#closed = true
        this.#buffer = []
        return Promise.resolve({ value: undefined, done: true })
      },
    }
  }
}

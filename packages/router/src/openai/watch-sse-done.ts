/**
 * The key under which a call hands its {@link SseDoneWatch} to the fetch wrapper, through the
 * SDK's per-request `fetchOptions` (which the SDK passes on to `fetch` unchanged).
 */
export const SSE_DONE_WATCH = Symbol.for('ql.router.sseDoneWatch')

/** What the fetch wrapper saw of one streaming response. */
export interface SseDoneWatch {
  /** The wrapper saw this call's response (false: no wrapper in the path, nothing is known). */
  observed: boolean
  /** A `data: [DONE]` line arrived. */
  sawDone: boolean
}

const DONE = Buffer.from('[DONE]', 'latin1')
/** `data:` or `data: ` at the start of a line, right before the marker. */
const DATA_PREFIX = /(?:^|[\r\n])data: ?$/
/** How much of the stream's end the scanner keeps to see a marker split across chunks. */
const KEEP = 16

/**
 * Wraps `fetch` so a streaming call can tell whether its SSE body ended with `data: [DONE]`.
 * The `openai` SDK consumes `[DONE]` without telling its caller, so without this a stream cut
 * cleanly after its last chunk would look complete. Responses of calls that carry no watch, and
 * error responses, pass through untouched.
 *
 * The body is watched where the SDK reads it, without a second stream: the response's `body`
 * becomes an async iterable over the original body's chunks (the SDK iterates `body` through
 * `Symbol.asyncIterator` when it has one), and each chunk is searched for the marker natively.
 */
export function watchSseDone(fetchImpl: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init)
    const watch = (init as Record<symbol, unknown> | undefined)?.[SSE_DONE_WATCH] as SseDoneWatch | undefined
    if (watch === undefined || response.body === null || !response.ok) return response
    watch.observed = true
    Object.defineProperty(response, 'body', {
      value: watchedBody(response.body as unknown as AsyncIterable<Uint8Array>, watch),
      configurable: true,
    })
    return response
  }
}

function watchedBody(body: AsyncIterable<Uint8Array>, watch: SseDoneWatch): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const chunks = body[Symbol.asyncIterator]()
      const scanner = new DoneScanner(watch)
      return {
        next: () =>
          chunks.next().then((result) => {
            if (result.done !== true) scanner.scan(result.value)
            return result
          }),
        return: (value?: unknown) =>
          chunks.return === undefined
            ? Promise.resolve({ done: true as const, value: undefined })
            : chunks.return(value),
      }
    },
  }
}

/** Finds `data: [DONE]` at the start of a line, including a marker split across chunks. */
class DoneScanner {
  readonly #watch: SseDoneWatch
  /** The last bytes seen, as latin1 text; starts as a line break so the stream's start counts as one. */
  #recent = '\n'

  constructor(watch: SseDoneWatch) {
    this.#watch = watch
  }

  scan(chunk: Uint8Array): void {
    if (this.#watch.sawDone || chunk.byteLength === 0) return
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let at = bytes.indexOf(DONE)
    while (at !== -1) {
      const before = this.#recent + bytes.toString('latin1', Math.max(0, at - 7), at)
      if (DATA_PREFIX.test(before)) {
        this.#watch.sawDone = true
        return
      }
      at = bytes.indexOf(DONE, at + 1)
    }
    // a marker split across this chunk and the last: search the seam
    const seam = this.#recent + bytes.toString('latin1', 0, Math.min(bytes.length, DONE.length + 7))
    const split = seam.indexOf('[DONE]', this.#recent.length - DONE.length + 1)
    if (split !== -1 && split < this.#recent.length && DATA_PREFIX.test(seam.slice(0, split))) {
      this.#watch.sawDone = true
      return
    }
    const end = bytes.toString('latin1', Math.max(0, bytes.length - KEEP))
    this.#recent = (this.#recent + end).slice(-KEEP)
  }
}

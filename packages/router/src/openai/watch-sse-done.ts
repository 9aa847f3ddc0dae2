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

/** `data: [DONE]` (or `data:[DONE]`) alone on the last line of the stream, whitespace after it. */
const DONE_AT_END = /(?:^|[\r\n])data: ?\[DONE\]\s*$/
/** The marker line is short: the last 64 bytes of the stream always hold it. */
const TAIL_BYTES = 64

/**
 * Wraps `fetch` so a streaming call can tell whether its SSE body ended with `data: [DONE]`.
 * The `openai` SDK consumes `[DONE]` without telling its caller, so without this a stream cut
 * cleanly after its last chunk would look complete. Responses of calls that carry no watch, and
 * error responses, pass through untouched.
 *
 * The body is watched where the SDK reads it, without a second stream: the response's `body`
 * becomes an async iterable over the original body's chunks (the SDK iterates `body` through
 * `Symbol.asyncIterator` when it has one). Nothing is scanned while the chunks flow: the last two
 * are kept, and when the body ends its last bytes are checked for the marker line (the SDK reads
 * the body to its end, `[DONE]` included).
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
      // the last chunks, as few as hold the stream's last TAIL_BYTES bytes (usually one or two)
      const tail: Uint8Array[] = []
      let tailBytes = 0
      const seen = (result: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
        if (result.done === true) {
          watch.sawDone = DONE_AT_END.test(tail.map(latin1).join('').slice(-TAIL_BYTES))
        } else if (result.value.byteLength > 0) {
          tail.push(result.value)
          tailBytes += result.value.byteLength
          while (tailBytes - (tail[0] as Uint8Array).byteLength >= TAIL_BYTES) {
            tailBytes -= (tail.shift() as Uint8Array).byteLength
          }
        }
        return result
      }
      return {
        next: () => chunks.next().then(seen),
        return: (value?: unknown) =>
          chunks.return === undefined
            ? Promise.resolve({ done: true as const, value: undefined })
            : chunks.return(value),
      }
    },
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

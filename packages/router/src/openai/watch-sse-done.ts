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

/**
 * Wraps `fetch` so a streaming call can tell whether its SSE body ended with `data: [DONE]`.
 * The `openai` SDK consumes `[DONE]` without telling its caller, so without this a stream cut
 * cleanly after its last chunk would look complete. Responses of calls that carry no watch pass
 * through untouched.
 */
export function watchSseDone(fetchImpl: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init)
    const watch = (init as Record<symbol, unknown> | undefined)?.[SSE_DONE_WATCH] as SseDoneWatch | undefined
    if (watch === undefined || response.body === null) return response
    watch.observed = true
    const decoder = new TextDecoder()
    let partial = ''
    const scan = (text: string) => {
      const lines = (partial + text).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) if (/^data: ?\[DONE\]\s*$/.test(line)) watch.sawDone = true
    }
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          scan(decoder.decode(chunk, { stream: true }))
          controller.enqueue(chunk)
        },
        flush() {
          scan(`${decoder.decode()}\n`)
        },
      }),
    )
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
}

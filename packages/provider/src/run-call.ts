import { type CallSignal, createCallSignal } from './create-call-signal'

/**
 * Runs one non-streaming provider call under the caller's `signal` and `timeoutMs`: what
 * {@link createChatStream} does for streams, for `generate`. `run` gets the combined signal to
 * pass to the SDK; if the call fails after that signal fired, the typed reason (`AbortedError`,
 * `TimeoutError`) is thrown, otherwise `mapError` of the failure. The timer is always released.
 *
 * @example
 * ```ts
 * return runCall(options, (signal) => sdk.create(body, { signal }), (error) => mapMyError(error))
 * ```
 */
export async function runCall<T>(
  options: Parameters<typeof createCallSignal>[0],
  run: (signal: AbortSignal) => Promise<T>,
  mapError: (error: unknown) => unknown = (error) => error,
): Promise<T> {
  const call: CallSignal = createCallSignal(options)
  try {
    return await run(call.signal)
  } catch (error) {
    throw call.signal.aborted ? call.signal.reason : mapError(error)
  } finally {
    call.dispose()
  }
}

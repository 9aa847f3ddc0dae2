import { type CallSignal, createCallSignal } from './create-call-signal'
import { QlError } from './errors/ql-error'
import { type ToQlErrorContext, toQlError } from './errors/to-ql-error'

/** What {@link runCall} needs: the caller's signal and time budget, and who is being called. */
export interface RunCallOptions extends ToQlErrorContext {
  /** The caller's signal (from `CallOptions`). */
  signal?: AbortSignal | undefined
  /** The caller's time budget (from `CallOptions`). */
  timeoutMs?: number | undefined
}

/**
 * Runs one non-streaming provider call under the caller's `signal` and `timeoutMs`: what
 * `createChatStream` does for streams, for `generate`. `run` gets the combined signal to pass to
 * the SDK, or `undefined` when nothing can cancel the call (no `signal`, no `timeoutMs`). If the
 * call fails after that signal fired, the typed reason (`AbortedError`,
 * `TimeoutError`) is thrown; otherwise `mapError` of the failure, and what it leaves unmapped
 * becomes what `toQlError` makes of it, exactly as a stream would fail. The timer is always
 * released.
 *
 * @example
 * ```ts
 * return runCall({ ...options, provider: 'my-provider' }, (signal) => sdk.create(body, { signal }), mapMyError)
 * ```
 */
export async function runCall<T>(
  options: RunCallOptions | undefined,
  run: (signal: AbortSignal | undefined) => Promise<T>,
  mapError?: (error: unknown) => QlError | undefined,
): Promise<T> {
  // nothing can cancel a call without a signal or a time budget: make no signal for it (an
  // AbortSignal costs microseconds to make, and an SDK handed one links its own to it)
  const call: CallSignal | undefined =
    options?.signal === undefined && options?.timeoutMs === undefined ? undefined : createCallSignal(options)
  try {
    return await run(call?.signal)
  } catch (error) {
    if (call?.signal.aborted === true && QlError.isInstance(call.signal.reason)) throw call.signal.reason
    if (QlError.isInstance(error)) throw error
    throw mapError?.(error) ?? toQlError(error, contextOf(options))
  } finally {
    call?.dispose()
  }
}

function contextOf(options: RunCallOptions | undefined): ToQlErrorContext {
  return {
    ...(options?.provider === undefined ? {} : { provider: options.provider }),
    ...(options?.modelId === undefined ? {} : { modelId: options.modelId }),
  }
}

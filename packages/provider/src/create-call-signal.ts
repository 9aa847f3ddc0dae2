import { AbortedError } from './errors/aborted-error'
import { InvalidRequestError } from './errors/invalid-request-error'
import { QlError } from './errors/ql-error'
import { TimeoutError } from './errors/timeout-error'

/** A signal for one call, and the means to release it. */
export interface CallSignal {
  /**
   * Aborts when the caller's signal aborts (reason: `AbortedError`), when the timeout runs out
   * (reason: `TimeoutError`), or when any extra signal aborts. `signal.reason` is always the
   * typed error to throw.
   */
  readonly signal: AbortSignal
  /** Aborts the call with `reason` (a consumer that left, a failure found mid-stream), if it has not aborted yet. */
  abort(reason: QlError): void
  /** Stops the timer and detaches from the caller's signal. Call it when the call ends. */
  dispose(): void
}

/**
 * Combines the caller's `signal` and `timeoutMs` (from `CallOptions`) with extra signals into one
 * signal whose `reason` is a typed error. The timer is an ordinary `setTimeout`, so fake timers
 * drive it in tests.
 *
 * `generate` implementations use it through {@link runCall}; streams through `createChatStream`.
 */
export function createCallSignal(
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } = {},
  ...extra: (AbortSignal | undefined)[]
): CallSignal {
  const controller = new AbortController()
  const cleanups: (() => void)[] = []
  const abort = (reason: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason)
    for (const cleanup of cleanups.splice(0)) cleanup()
  }
  const follow = (signal: AbortSignal | undefined, reasonOf: (signal: AbortSignal) => unknown) => {
    if (signal === undefined) return
    if (signal.aborted) return abort(reasonOf(signal))
    const listener = () => abort(reasonOf(signal))
    signal.addEventListener('abort', listener, { once: true })
    cleanups.push(() => signal.removeEventListener('abort', listener))
  }
  follow(options.signal, (signal) => new AbortedError({ cause: signal.reason }))
  for (const signal of extra) {
    follow(signal, (s) => (QlError.isInstance(s.reason) ? s.reason : new AbortedError({ cause: s.reason })))
  }
  const { timeoutMs } = options
  if (timeoutMs !== undefined && !controller.signal.aborted) {
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new InvalidRequestError({
        message: `timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`,
        issues: [{ path: 'timeoutMs', message: 'expected a positive number of milliseconds' }],
      })
    }
    const timer = setTimeout(
      () => abort(new TimeoutError({ message: `the call did not finish within ${timeoutMs} ms`, timeoutMs })),
      timeoutMs,
    )
    cleanups.push(() => clearTimeout(timer))
  }
  return {
    signal: controller.signal,
    abort,
    dispose: () => {
      for (const cleanup of cleanups.splice(0)) cleanup()
    },
  }
}

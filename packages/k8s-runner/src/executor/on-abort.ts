/** Listeners by signal: one 'abort' listener per signal, however many tasks share it. */
const registry = new WeakMap<AbortSignal, Set<() => void>>()

/**
 * Calls `listener` once when `signal` aborts; returns a function that stops listening. A run's
 * signal is shared by all its tasks (500 in a fan-out): this adds one listener to it, not 500 (and
 * no MaxListenersExceededWarning). @internal
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let listeners = registry.get(signal)
  if (listeners === undefined) {
    const set = new Set<() => void>()
    listeners = set
    registry.set(signal, set)
    signal.addEventListener(
      'abort',
      () => {
        registry.delete(signal)
        for (const each of [...set]) each()
      },
      { once: true },
    )
  }
  const set = listeners
  set.add(listener)
  return () => {
    set.delete(listener)
  }
}

import { onAbort } from './on-abort'

/** At most `limit` holders at once; the rest wait in order. @internal */
export interface ConcurrencyLimit {
  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<() => void>
}

/** @internal */
export function createConcurrencyLimit(limit: number): ConcurrencyLimit {
  let active = 0
  const queue: (() => void)[] = []
  const releaser = () => {
    let released = false
    return () => {
      if (released) return
      released = true
      active--
      queue.shift()?.()
    }
  }
  return {
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason)
      if (active < limit) {
        active++
        return Promise.resolve(releaser())
      }
      return new Promise((resolve, reject) => {
        const grant = () => {
          stopListening()
          active++
          resolve(releaser())
        }
        const stopListening = onAbort(signal, () => {
          const index = queue.indexOf(grant)
          if (index >= 0) queue.splice(index, 1)
          reject(signal.reason)
        })
        queue.push(grant)
      })
    },
  }
}

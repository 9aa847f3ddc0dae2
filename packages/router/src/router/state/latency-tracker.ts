import { InvalidRouterConfigError } from './invalid-router-config-error'

/** Options of a {@link LatencyTracker}. */
export interface LatencyTrackerOptions {
  /**
   * The weight of each new sample, in (0, 1] (default 0.3): higher follows changes faster,
   * lower smooths out noise. With 0.3 a sample's weight halves after about two more samples.
   */
  alpha?: number | undefined
}

/** The default weight of a new latency sample. */
export const DEFAULT_LATENCY_ALPHA = 0.3

/**
 * An exponentially weighted moving average of one target's latency, in milliseconds. Keep one
 * per target per kind of call: time to first token for streams, total time for `generate`
 * (mixing them would make a streaming target look slow or fast depending on the traffic mix).
 * O(1) time and memory.
 */
export class LatencyTracker {
  /** The weight of each new sample. */
  readonly alpha: number
  #value: number | undefined
  #samples = 0
  #updatedAt: number | undefined

  /** @throws {@link InvalidRouterConfigError} when `alpha` is not in (0, 1]. */
  constructor(options: LatencyTrackerOptions = {}) {
    this.alpha = checkAlpha(options.alpha, 'alpha')
  }

  /**
   * Adds one sample. The first sample becomes the average; each later one moves it by `alpha`
   * of the difference. Samples that are negative or not finite are ignored (a clock that went
   * backwards must not make a target look fast).
   *
   * @param at - When the sample was taken (epoch ms); kept as {@link LatencyTracker.updatedAt}.
   * @param maxAgeMs - When the previous sample is older than this at `at`, the average is
   *   stale: the sample replaces it instead of moving it (a target that recovered must not carry
   *   its old latency for several more samples).
   */
  record(ms: number, at?: number, maxAgeMs?: number): void {
    if (!Number.isFinite(ms) || ms < 0) return
    const previous = this.#updatedAt
    const expired =
      maxAgeMs !== undefined && at !== undefined && previous !== undefined && at - previous > maxAgeMs
    this.#value = this.#value === undefined || expired ? ms : this.#value + this.alpha * (ms - this.#value)
    if (at !== undefined) this.#updatedAt = at
    this.#samples++
  }

  /** The average, or `undefined` before the first sample. */
  get value(): number | undefined {
    return this.#value
  }

  /** When the newest sample was taken (epoch ms), when `record` was told. */
  get updatedAt(): number | undefined {
    return this.#updatedAt
  }

  /** How many samples were recorded. */
  get samples(): number {
    return this.#samples
  }
}

/** Returns a valid EWMA weight, the default when `alpha` is undefined. */
export function checkAlpha(alpha: number | undefined, path: string): number {
  if (alpha === undefined) return DEFAULT_LATENCY_ALPHA
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 1)) {
    throw new InvalidRouterConfigError({
      path,
      message: `${path} must be a number greater than 0 and at most 1 (the weight of each new latency sample); got ${String(alpha)}`,
    })
  }
  return alpha
}

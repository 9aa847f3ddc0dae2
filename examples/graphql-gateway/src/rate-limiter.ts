/** A client's request rate: `requestsPerSecond` on average, bursts of up to `burst`. */
export interface RateLimit {
  requestsPerSecond: number
  burst: number
}

/** What `take` decided. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number }

interface Bucket {
  tokens: number
  updatedAt: number
}

/**
 * Per-key token buckets, in memory: each key holds up to `burst` tokens, refilled at
 * `requestsPerSecond`, and every request takes one. One bucket per key, so memory is bounded by
 * the number of keys. On several replicas each enforces its own share; put the buckets in Redis
 * (or divide the limits by the replica count) for one limit across them.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>()

  /** Takes one request from `key`'s bucket under `limit`. */
  take(key: string, limit: RateLimit, now = performance.now()): RateDecision {
    let bucket = this.#buckets.get(key)
    if (bucket === undefined) {
      bucket = { tokens: limit.burst, updatedAt: now }
      this.#buckets.set(key, bucket)
    } else {
      const refill = ((now - bucket.updatedAt) / 1000) * limit.requestsPerSecond
      bucket.tokens = Math.min(limit.burst, bucket.tokens + refill)
      bucket.updatedAt = now
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { allowed: true }
    }
    return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / limit.requestsPerSecond) * 1000) }
  }
}

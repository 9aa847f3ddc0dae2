/**
 * What a provider's response headers say about its rate limits, normalized. Every field is
 * optional: a provider sends some, all or none of them, and a value that does not parse is left
 * out rather than guessed. Times are epoch milliseconds.
 */
export interface RateLimitSnapshot {
  /** Requests left in the provider's current window. */
  remainingRequests?: number
  /** Tokens left (the most restrictive token limit when the provider reports several). */
  remainingTokens?: number
  /** The provider's request limit for the window. */
  limitRequests?: number
  /** The provider's token limit that `remainingTokens` belongs to. */
  limitTokens?: number
  /** When the request limit is fully replenished. */
  requestsResetAt?: number
  /** When the token limit that `remainingTokens` belongs to is fully replenished. */
  tokensResetAt?: number
  /** How long the provider asked us to wait before the next call (`retry-after-ms`, `retry-after`). */
  retryAfterMs?: number
}

/** Response headers: a plain record (any case of names) or a `Headers` object. */
export type RateLimitHeaders = Record<string, string | readonly string[] | undefined> | Headers

/** The longest wait or reset we believe; anything further out is treated as absent. */
const MAX_WAIT_MS = 24 * 60 * 60 * 1000
/** Longer values are not rate-limit headers we understand: ignored without parsing. */
const MAX_VALUE_LENGTH = 64

const DURATION_UNITS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  μs: 0.001,
  ns: 0.000_001,
}
const DURATION = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|μs|ns))+$/
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/g
const DECIMAL = /^\d+(?:\.\d+)?$/
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/

type AnthropicLimit = 'requests' | 'tokens' | 'input-tokens' | 'output-tokens'

/** The names of every header we read, lower-case. */
const KNOWN_HEADERS: ReadonlySet<string> = new Set([
  'retry-after',
  'retry-after-ms',
  ...['limit', 'remaining', 'reset'].flatMap((field) =>
    ['requests', 'tokens'].map((limit) => `x-ratelimit-${field}-${limit}`),
  ),
  ...['requests', 'tokens', 'input-tokens', 'output-tokens'].flatMap((limit) =>
    ['limit', 'remaining', 'reset'].map((field) => `anthropic-ratelimit-${limit}-${field}`),
  ),
])

/**
 * Reads a provider's rate-limit state from its response headers. Header names are matched
 * case-insensitively; values that are malformed, negative, absurdly large or long are ignored
 * (never thrown on). One pass over the headers.
 *
 * - OpenAI (and Azure OpenAI, Groq and others that copy it): `x-ratelimit-limit-{requests,tokens}`,
 *   `x-ratelimit-remaining-{requests,tokens}`, `x-ratelimit-reset-{requests,tokens}`: the time
 *   until the limit is fully replenished as a Go duration (`1s`, `6m0s`, `1.5s`, `20ms`,
 *   `1h2m3.5s`), or a bare number of seconds (Azure).
 * - Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
 *   the reset an RFC 3339 time. `remainingTokens` is the most restrictive of the token limits
 *   (the fewest tokens left; on a tie, the later reset), with its limit and reset.
 * - `retry-after-ms` (milliseconds) wins over `retry-after` (seconds, or an HTTP date).
 *
 * Waits and resets further than 24 hours out are ignored, as are remaining counts that are not
 * whole numbers (Azure sends `-1` when it does not know).
 *
 * @param headers - The response headers, or `undefined`.
 * @param now - The current time, epoch milliseconds (durations are relative to it).
 */
export function readRateLimitHeaders(headers: RateLimitHeaders | undefined, now: number): RateLimitSnapshot {
  const snapshot: RateLimitSnapshot = {}
  if (headers === undefined || headers === null) return snapshot
  const raw = collect(headers)
  if (raw === undefined) return snapshot

  const retryAfterMs = readRetryAfterMs(raw.get('retry-after-ms'), raw.get('retry-after'), now)
  if (retryAfterMs !== undefined) snapshot.retryAfterMs = retryAfterMs

  // Requests: OpenAI's and Anthropic's, the more restrictive when both came.
  const requests = mostRestrictive(
    readLimit(
      raw.get('x-ratelimit-remaining-requests'),
      raw.get('x-ratelimit-limit-requests'),
      readDuration(raw.get('x-ratelimit-reset-requests'), now),
    ),
    readAnthropicLimit(raw, 'requests', now),
  )
  if (requests !== undefined) {
    if (requests.remaining !== undefined) snapshot.remainingRequests = requests.remaining
    if (requests.limit !== undefined) snapshot.limitRequests = requests.limit
    if (requests.resetAt !== undefined) snapshot.requestsResetAt = requests.resetAt
  }

  let tokens = readLimit(
    raw.get('x-ratelimit-remaining-tokens'),
    raw.get('x-ratelimit-limit-tokens'),
    readDuration(raw.get('x-ratelimit-reset-tokens'), now),
  )
  tokens = mostRestrictive(tokens, readAnthropicLimit(raw, 'tokens', now))
  tokens = mostRestrictive(tokens, readAnthropicLimit(raw, 'input-tokens', now))
  tokens = mostRestrictive(tokens, readAnthropicLimit(raw, 'output-tokens', now))
  if (tokens !== undefined) {
    if (tokens.remaining !== undefined) snapshot.remainingTokens = tokens.remaining
    if (tokens.limit !== undefined) snapshot.limitTokens = tokens.limit
    if (tokens.resetAt !== undefined) snapshot.tokensResetAt = tokens.resetAt
  }
  return snapshot
}

/** One pass over the headers, keeping the values of the ones we read by lower-case name. */
function collect(headers: RateLimitHeaders): Map<string, string> | undefined {
  let raw: Map<string, string> | undefined
  const visit = (value: string | readonly string[] | undefined, name: string): void => {
    if (value === undefined || name.length < 11) return
    const first = name.charCodeAt(0) | 0x20 // lower-case ASCII
    if (first !== 0x78 /* x */ && first !== 0x61 /* a */ && first !== 0x72 /* r */) return
    const text = typeof value === 'string' ? value : value[0]
    if (typeof text !== 'string' || text.length > MAX_VALUE_LENGTH) return
    const lower = name.toLowerCase()
    if (!KNOWN_HEADERS.has(lower)) return
    raw ??= new Map()
    raw.set(lower, text)
  }
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    headers.forEach(visit)
  } else if (typeof headers === 'object') {
    const record = headers as Record<string, string | readonly string[] | undefined>
    for (const name in record) {
      if (Object.hasOwn(record, name)) visit(record[name], name)
    }
  }
  return raw
}

function readAnthropicLimit(
  raw: Map<string, string>,
  limit: AnthropicLimit,
  now: number,
): LimitState | undefined {
  return readLimit(
    raw.get(`anthropic-ratelimit-${limit}-remaining`),
    raw.get(`anthropic-ratelimit-${limit}-limit`),
    readTime(raw.get(`anthropic-ratelimit-${limit}-reset`), now),
  )
}

interface LimitState {
  remaining?: number
  limit?: number
  resetAt?: number
}

function readLimit(
  remainingText: string | undefined,
  limitText: string | undefined,
  resetAt: number | undefined,
): LimitState | undefined {
  const remaining = readCount(remainingText)
  const limit = readCount(limitText)
  if (remaining === undefined && limit === undefined && resetAt === undefined) return undefined
  const state: LimitState = {}
  if (remaining !== undefined) state.remaining = remaining
  if (limit !== undefined) state.limit = limit
  if (resetAt !== undefined) state.resetAt = resetAt
  return state
}

/** The limit with fewer left; on a tie (or when neither says), the later reset. */
function mostRestrictive(a: LimitState | undefined, b: LimitState | undefined): LimitState | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const left = a.remaining ?? Number.POSITIVE_INFINITY
  const right = b.remaining ?? Number.POSITIVE_INFINITY
  if (left !== right) return left < right ? a : b
  return (b.resetAt ?? Number.NEGATIVE_INFINITY) > (a.resetAt ?? Number.NEGATIVE_INFINITY) ? b : a
}

/** A whole, non-negative, safe integer, or `undefined`. */
function readCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (!/^\d{1,16}$/.test(trimmed)) return undefined
  const value = Number(trimmed)
  return Number.isSafeInteger(value) ? value : undefined
}

/** An OpenAI reset (`6m0s`, `20ms`, or bare seconds) as an epoch time. */
function readDuration(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  let ms: number
  if (DECIMAL.test(trimmed)) {
    ms = Number(trimmed) * 1000
  } else if (DURATION.test(trimmed)) {
    ms = 0
    for (const [, amount, unit] of trimmed.matchAll(DURATION_PART)) {
      ms += Number(amount) * (DURATION_UNITS[unit as string] ?? 0)
    }
  } else {
    return undefined
  }
  return Number.isFinite(ms) && ms <= MAX_WAIT_MS ? now + Math.ceil(ms) : undefined
}

/** An Anthropic reset (RFC 3339) as an epoch time. */
function readTime(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (!RFC_3339.test(trimmed)) return undefined
  const time = Date.parse(trimmed.replace(' ', 'T'))
  return Number.isFinite(time) && time - now <= MAX_WAIT_MS ? time : undefined
}

function readRetryAfterMs(
  retryAfterMsText: string | undefined,
  retryAfterText: string | undefined,
  now: number,
): number | undefined {
  if (retryAfterMsText !== undefined) {
    const trimmed = retryAfterMsText.trim()
    if (DECIMAL.test(trimmed)) {
      const ms = Number(trimmed)
      if (ms <= MAX_WAIT_MS) return Math.ceil(ms)
    }
  }
  if (retryAfterText !== undefined) {
    const trimmed = retryAfterText.trim()
    if (DECIMAL.test(trimmed)) {
      const ms = Number(trimmed) * 1000
      return ms <= MAX_WAIT_MS ? Math.ceil(ms) : undefined
    }
    // An HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`, or the obsolete RFC 850 and asctime forms
    // recipients must accept); a date in the past means now.
    if (/^[A-Za-z]{3}/.test(trimmed)) {
      const time = Date.parse(trimmed)
      if (Number.isFinite(time) && time - now <= MAX_WAIT_MS) return Math.max(0, time - now)
    }
  }
  return undefined
}

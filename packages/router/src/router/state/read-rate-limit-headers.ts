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

const DECIMAL = /^\d+(?:\.\d+)?$/
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/

// Each header we read has a slot; one pass over the headers fills the slots.
const RETRY_AFTER = 0
const RETRY_AFTER_MS = 1
/** OpenAI slots: 2 + 3 × limit kind (requests 0, tokens 1) + field (limit 0, remaining 1, reset 2). */
const OPENAI = 2
/** Anthropic slots: 8 + 3 × limit kind (requests, tokens, input-tokens, output-tokens) + field. */
const ANTHROPIC = 8
const SLOT_COUNT = 20
const LIMIT = 0
const REMAINING = 1
const RESET = 2

const SLOTS: ReadonlyMap<string, number> = new Map<string, number>([
  ['retry-after', RETRY_AFTER],
  ['retry-after-ms', RETRY_AFTER_MS],
  ...['requests', 'tokens'].flatMap((kind, k) =>
    ['limit', 'remaining', 'reset'].map((field, f): [string, number] => [
      `x-ratelimit-${field}-${kind}`,
      OPENAI + 3 * k + f,
    ]),
  ),
  ...['requests', 'tokens', 'input-tokens', 'output-tokens'].flatMap((kind, k) =>
    ['limit', 'remaining', 'reset'].map((field, f): [string, number] => [
      `anthropic-ratelimit-${kind}-${field}`,
      ANTHROPIC + 3 * k + f,
    ]),
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

  const retryAfterMs = readRetryAfterMs(raw[RETRY_AFTER_MS], raw[RETRY_AFTER], now)
  if (retryAfterMs !== undefined) snapshot.retryAfterMs = retryAfterMs

  // Requests: OpenAI's and Anthropic's, the more restrictive when both came.
  const requests = mostRestrictive(readOpenAILimit(raw, 0, now), readAnthropicLimit(raw, 0, now))
  if (requests !== undefined) {
    if (requests.remaining !== undefined) snapshot.remainingRequests = requests.remaining
    if (requests.limit !== undefined) snapshot.limitRequests = requests.limit
    if (requests.resetAt !== undefined) snapshot.requestsResetAt = requests.resetAt
  }

  // Tokens: OpenAI's, and Anthropic's tokens, input-tokens and output-tokens: the most restrictive.
  let tokens = readOpenAILimit(raw, 1, now)
  for (let kind = 1; kind < 4; kind++) tokens = mostRestrictive(tokens, readAnthropicLimit(raw, kind, now))
  if (tokens !== undefined) {
    if (tokens.remaining !== undefined) snapshot.remainingTokens = tokens.remaining
    if (tokens.limit !== undefined) snapshot.limitTokens = tokens.limit
    if (tokens.resetAt !== undefined) snapshot.tokensResetAt = tokens.resetAt
  }
  return snapshot
}

type Slots = (string | undefined)[]

/** One pass over the headers, filling the slot of each one we read. `undefined` when none is there. */
function collect(headers: RateLimitHeaders): Slots | undefined {
  let raw: Slots | undefined
  const visit = (value: string | readonly string[] | undefined, name: string): void => {
    if (value === undefined || name.length < 11) return
    const first = name.charCodeAt(0) | 0x20 // lower-case ASCII
    if (first !== 0x78 /* x */ && first !== 0x61 /* a */ && first !== 0x72 /* r */) return
    const text = typeof value === 'string' ? value : value[0]
    if (typeof text !== 'string' || text.length > MAX_VALUE_LENGTH) return
    const slot = SLOTS.get(name) ?? SLOTS.get(name.toLowerCase())
    if (slot === undefined) return
    raw ??= new Array<string | undefined>(SLOT_COUNT)
    raw[slot] = text
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

/** OpenAI's limit of one kind (0 requests, 1 tokens). */
function readOpenAILimit(raw: Slots, kind: number, now: number): LimitState | undefined {
  const base = OPENAI + 3 * kind
  return readLimit(raw[base + REMAINING], raw[base + LIMIT], readDuration(raw[base + RESET], now))
}

/** Anthropic's limit of one kind (0 requests, 1 tokens, 2 input-tokens, 3 output-tokens). */
function readAnthropicLimit(raw: Slots, kind: number, now: number): LimitState | undefined {
  const base = ANTHROPIC + 3 * kind
  return readLimit(raw[base + REMAINING], raw[base + LIMIT], readTime(raw[base + RESET], now))
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
  const ms = DECIMAL.test(trimmed) ? Number(trimmed) * 1000 : parseGoDuration(trimmed)
  return ms !== undefined && Number.isFinite(ms) && ms <= MAX_WAIT_MS ? now + Math.ceil(ms) : undefined
}

/**
 * A Go duration as Go prints it (`1h2m3.5s`, `6m0s`, `20ms`, `1.5µs`, `100ns`): one or more
 * number-unit pairs, units h, m, s, ms, us/µs/μs, ns. Anything else is `undefined`. Hand-written:
 * it runs on every response.
 */
function parseGoDuration(text: string): number | undefined {
  let total = 0
  let i = 0
  const length = text.length
  if (length === 0) return undefined
  while (i < length) {
    const start = i
    while (i < length && isDigit(text.charCodeAt(i))) i++
    if (i === start) return undefined
    if (i < length && text.charCodeAt(i) === 0x2e /* . */) {
      i++
      const fraction = i
      while (i < length && isDigit(text.charCodeAt(i))) i++
      if (i === fraction) return undefined
    }
    const amount = Number(text.slice(start, i))
    const unit = text.charCodeAt(i)
    const next = text.charCodeAt(i + 1) // NaN past the end
    let scale: number
    if (unit === 0x68 /* h */) {
      scale = 3_600_000
      i += 1
    } else if (unit === 0x6d /* m */) {
      if (next === 0x73 /* s */) {
        scale = 1
        i += 2
      } else {
        scale = 60_000
        i += 1
      }
    } else if (unit === 0x73 /* s */) {
      scale = 1000
      i += 1
    } else if ((unit === 0x75 /* u */ || unit === 0xb5 /* µ */ || unit === 0x3bc) /* μ */ && next === 0x73) {
      scale = 0.001
      i += 2
    } else if (unit === 0x6e /* n */ && next === 0x73) {
      scale = 0.000_001
      i += 2
    } else {
      return undefined
    }
    total += amount * scale
  }
  return total
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39
}

// Anthropic sends the same reset time in several headers: parse each distinct text once.
let lastTimeText: string | undefined
let lastTime: number | undefined

/** An Anthropic reset (RFC 3339) as an epoch time. */
function readTime(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined
  let time: number | undefined
  if (text === lastTimeText) {
    time = lastTime
  } else {
    const trimmed = text.trim()
    const parsed = RFC_3339.test(trimmed) ? Date.parse(trimmed.replace(' ', 'T')) : Number.NaN
    time = Number.isFinite(parsed) ? parsed : undefined
    lastTimeText = text
    lastTime = time
  }
  return time !== undefined && time - now <= MAX_WAIT_MS ? time : undefined
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

/**
 * When the provider's capacity returns according to `snapshot` (epoch ms), for a 429 or a block:
 * the `retry-after` wait when there is one; otherwise the latest reset among the limits reported
 * exhausted (0 remaining). `undefined` when neither says: a reset of a limit that still has room
 * (OpenAI reports `x-ratelimit-reset-tokens: 6m0s` with plenty left) is no reason to wait.
 */
export function rateLimitRetryAt(snapshot: RateLimitSnapshot, now: number): number | undefined {
  if (snapshot.retryAfterMs !== undefined) return now + snapshot.retryAfterMs
  let retryAt: number | undefined
  if (snapshot.remainingRequests === 0 && snapshot.requestsResetAt !== undefined)
    retryAt = snapshot.requestsResetAt
  if (snapshot.remainingTokens === 0 && snapshot.tokensResetAt !== undefined) {
    retryAt = Math.max(retryAt ?? snapshot.tokensResetAt, snapshot.tokensResetAt)
  }
  return retryAt !== undefined && retryAt > now ? retryAt : undefined
}

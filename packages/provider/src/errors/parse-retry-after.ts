/** Response headers, as a `Headers` object or a plain record. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined

/** The longest wait we believe a provider asks for; anything longer is treated as absent. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * How long a provider asked us to wait, in milliseconds, read from its response headers, or
 * `undefined` when it did not say. In order of precedence:
 *
 * 1. `retry-after-ms` (milliseconds; OpenAI, Azure)
 * 2. `retry-after` (seconds, or an HTTP date)
 * 3. the reset time of an exhausted rate limit: OpenAI `x-ratelimit-reset-{requests,tokens}`
 *    (durations such as `6m0s`, `120ms`) and Anthropic `anthropic-ratelimit-*-reset`
 *    (RFC 3339 times). When no limit says it is exhausted, the latest reset is used.
 *
 * @param headers - Response headers, as a `Headers` object or a plain record.
 * @param now - The current time in milliseconds since the epoch (for dates and timestamps).
 */
export function parseRetryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined
  const get = (name: string): string | undefined => readHeader(headers, name)

  const retryAfterMs = get('retry-after-ms')
  if (retryAfterMs !== undefined) {
    const value = Number(retryAfterMs)
    if (retryAfterMs.trim() !== '' && Number.isFinite(value)) return clamp(value)
  }

  const retryAfter = get('retry-after')
  if (retryAfter !== undefined) {
    const trimmed = retryAfter.trim()
    if (/^\d+(\.\d+)?$/.test(trimmed)) return clamp(Number(trimmed) * 1000)
    const date = Date.parse(trimmed)
    if (!Number.isNaN(date)) return clamp(date - now)
  }

  const exhausted: number[] = []
  const all: number[] = []
  for (const limit of ['requests', 'tokens']) {
    const reset = parseDuration(get(`x-ratelimit-reset-${limit}`))
    if (reset === undefined) continue
    all.push(reset)
    if (get(`x-ratelimit-remaining-${limit}`)?.trim() === '0') exhausted.push(reset)
  }
  for (const limit of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    const resetAt = get(`anthropic-ratelimit-${limit}-reset`)
    if (resetAt === undefined) continue
    const time = Date.parse(resetAt)
    if (Number.isNaN(time)) continue
    all.push(time - now)
    if (get(`anthropic-ratelimit-${limit}-remaining`)?.trim() === '0') exhausted.push(time - now)
  }
  const candidates = exhausted.length > 0 ? exhausted : all
  return candidates.length === 0 ? undefined : clamp(Math.max(...candidates))
}

function readHeader(headers: Exclude<HeaderSource, undefined>, name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined
  const record = headers as Record<string, string | string[] | undefined>
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== name) continue
    const value = record[key]
    return Array.isArray(value) ? value[0] : value
  }
  return undefined
}

/** Parses OpenAI's Go-style durations: `1s`, `6m0s`, `1h2m3.5s`, `120ms`. */
function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(trimmed)) return undefined
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }
  let total = 0
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(h|ms|m|s)/g)) {
    total += Number(amount) * (units[unit as string] ?? 0)
  }
  return total
}

function clamp(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms > MAX_RETRY_AFTER_MS) return undefined
  return Math.max(0, Math.round(ms))
}

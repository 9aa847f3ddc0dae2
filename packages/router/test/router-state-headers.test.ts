import { describe, expect, it } from 'vitest'
import { rateLimitRetryAt, readRateLimitHeaders } from '../src/router/state/read-rate-limit-headers'

const now = Date.UTC(2025, 0, 15, 12, 0, 0)
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString()

describe('readRateLimitHeaders: OpenAI', () => {
  it('reads the documented header set (limit, remaining, reset as Go durations)', () => {
    expect(
      readRateLimitHeaders(
        {
          'x-ratelimit-limit-requests': '60',
          'x-ratelimit-limit-tokens': '150000',
          'x-ratelimit-remaining-requests': '59',
          'x-ratelimit-remaining-tokens': '149984',
          'x-ratelimit-reset-requests': '1s',
          'x-ratelimit-reset-tokens': '6m0s',
        },
        now,
      ),
    ).toEqual({
      limitRequests: 60,
      limitTokens: 150000,
      remainingRequests: 59,
      remainingTokens: 149984,
      requestsResetAt: now + 1000,
      tokensResetAt: now + 360_000,
    })
  })

  it.each([
    ['20ms', 20],
    ['1.5s', 1500],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['0s', 0],
    ['500us', 1],
    ['250µs', 1],
    ['100ns', 1],
    ['3\u03bcs', 1], // Greek mu, as well as the micro sign
    ['2h', 7_200_000],
    ['7', 7000], // Azure: bare seconds
    ['0.25', 250],
  ])('reads the duration %s as %i ms', (text, ms) => {
    expect(readRateLimitHeaders({ 'x-ratelimit-reset-requests': text }, now).requestsResetAt).toBe(now + ms)
  })

  it.each([
    '',
    'soon',
    '1d',
    '-5s',
    '1s2',
    's',
    '1..5s',
    '1.s',
    '.5s',
    '5u',
    '5n',
    '5µ',
    '1 s',
    '25h',
    '9999999999',
  ])('ignores the malformed or absurd duration %j', (text) => {
    expect(readRateLimitHeaders({ 'x-ratelimit-reset-requests': text }, now).requestsResetAt).toBeUndefined()
  })

  it('matches header names in any case, from a record or a Headers object', () => {
    const expected = { remainingRequests: 3, requestsResetAt: now + 2000 }
    expect(
      readRateLimitHeaders(
        { 'X-RateLimit-Remaining-Requests': '3', 'X-RATELIMIT-RESET-REQUESTS': '2s' },
        now,
      ),
    ).toEqual(expected)
    const headers = new Headers({ 'X-RateLimit-Remaining-Requests': '3', 'x-ratelimit-reset-requests': '2s' })
    expect(readRateLimitHeaders(headers, now)).toEqual(expected)
    expect(readRateLimitHeaders({ 'x-ratelimit-remaining-requests': ['3', '9'] }, now)).toEqual({
      remainingRequests: 3,
    })
  })

  it('ignores counts that are not whole non-negative safe integers (Azure sends -1)', () => {
    for (const text of ['-1', '1.5', 'abc', '', '99999999999999999999', '1e3', ' ', '0x10']) {
      expect(readRateLimitHeaders({ 'x-ratelimit-remaining-tokens': text }, now)).toEqual({})
    }
    expect(readRateLimitHeaders({ 'x-ratelimit-remaining-tokens': ' 42 ' }, now)).toEqual({
      remainingTokens: 42,
    })
    expect(readRateLimitHeaders({ 'x-ratelimit-remaining-tokens': '0' }, now)).toEqual({ remainingTokens: 0 })
  })

  it('ignores look-alike names (OpenAI’s tokens_usage_based) and unrelated headers', () => {
    expect(
      readRateLimitHeaders(
        {
          'x-ratelimit-remaining-tokens_usage_based': '5',
          'x-ratelimit-remaining': '5',
          'x-request-id': 'req_1',
          'content-type': 'application/json',
          'anthropic-ratelimit-unified-5h-utilization': '0.2',
          'anthropic-organization-id': 'org',
          'retry-after-seconds': '9',
        },
        now,
      ),
    ).toEqual({})
  })
})

describe('readRateLimitHeaders: Anthropic', () => {
  it('reads requests and the most restrictive token limit, with RFC 3339 resets', () => {
    expect(
      readRateLimitHeaders(
        {
          'anthropic-ratelimit-requests-limit': '50',
          'anthropic-ratelimit-requests-remaining': '49',
          'anthropic-ratelimit-requests-reset': iso(1000),
          'anthropic-ratelimit-tokens-limit': '48000',
          'anthropic-ratelimit-tokens-remaining': '30000',
          'anthropic-ratelimit-tokens-reset': iso(20_000),
          'anthropic-ratelimit-input-tokens-limit': '40000',
          'anthropic-ratelimit-input-tokens-remaining': '39000',
          'anthropic-ratelimit-input-tokens-reset': iso(2000),
          'anthropic-ratelimit-output-tokens-limit': '8000',
          'anthropic-ratelimit-output-tokens-remaining': '500',
          'anthropic-ratelimit-output-tokens-reset': iso(30_000),
        },
        now,
      ),
    ).toEqual({
      limitRequests: 50,
      remainingRequests: 49,
      requestsResetAt: now + 1000,
      limitTokens: 8000,
      remainingTokens: 500,
      tokensResetAt: now + 30_000,
    })
  })

  it('on a tie of remaining tokens, keeps the later reset', () => {
    const snapshot = readRateLimitHeaders(
      {
        'anthropic-ratelimit-input-tokens-remaining': '0',
        'anthropic-ratelimit-input-tokens-reset': iso(5000),
        'anthropic-ratelimit-output-tokens-remaining': '0',
        'anthropic-ratelimit-output-tokens-reset': iso(9000),
      },
      now,
    )
    expect(snapshot).toEqual({ remainingTokens: 0, tokensResetAt: now + 9000 })
  })

  it('accepts offsets and fractions; rejects other date forms and far-off resets', () => {
    expect(
      readRateLimitHeaders({ 'anthropic-ratelimit-requests-reset': '2025-01-15T13:00:01.500+01:00' }, now)
        .requestsResetAt,
    ).toBe(now + 1500)
    for (const text of [
      'tomorrow',
      '2025-01-15',
      '1736942400',
      'Wed, 15 Jan 2025 12:00:00 GMT',
      iso(25 * 3_600_000),
    ]) {
      expect(readRateLimitHeaders({ 'anthropic-ratelimit-requests-reset': text }, now)).toEqual({})
    }
  })

  it('takes the more restrictive requests limit when OpenAI- and Anthropic-style headers both came', () => {
    const snapshot = readRateLimitHeaders(
      {
        'x-ratelimit-remaining-requests': '10',
        'anthropic-ratelimit-requests-remaining': '2',
        'anthropic-ratelimit-requests-reset': iso(4000),
      },
      now,
    )
    expect(snapshot).toEqual({ remainingRequests: 2, requestsResetAt: now + 4000 })
  })
})

describe('readRateLimitHeaders: retry-after', () => {
  it('reads retry-after-ms first, then retry-after in seconds or as an HTTP date', () => {
    expect(readRateLimitHeaders({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toEqual({
      retryAfterMs: 1500,
    })
    expect(readRateLimitHeaders({ 'retry-after': '9' }, now)).toEqual({ retryAfterMs: 9000 })
    expect(readRateLimitHeaders({ 'Retry-After': '0.5' }, now)).toEqual({ retryAfterMs: 500 })
    expect(readRateLimitHeaders({ 'retry-after': new Date(now + 30_000).toUTCString() }, now)).toEqual({
      retryAfterMs: 30_000,
    })
    // a date in the past means "now"
    expect(readRateLimitHeaders({ 'retry-after': new Date(now - 30_000).toUTCString() }, now)).toEqual({
      retryAfterMs: 0,
    })
    // the obsolete RFC 850 form recipients must still accept
    expect(readRateLimitHeaders({ 'retry-after': 'Wednesday, 15-Jan-25 12:00:10 GMT' }, now)).toEqual({
      retryAfterMs: 10_000,
    })
  })

  it('falls back to retry-after when retry-after-ms is malformed', () => {
    expect(readRateLimitHeaders({ 'retry-after-ms': 'soon', 'retry-after': '2' }, now)).toEqual({
      retryAfterMs: 2000,
    })
    expect(readRateLimitHeaders({ 'retry-after-ms': '1e999', 'retry-after': '2' }, now)).toEqual({
      retryAfterMs: 2000,
    })
  })

  it('ignores waits that are negative, malformed or longer than a day', () => {
    for (const headers of [
      { 'retry-after': '-1' },
      { 'retry-after': 'later' },
      { 'retry-after': '86401' },
      { 'retry-after-ms': '86400001' },
      { 'retry-after': new Date(now + 2 * 86_400_000).toUTCString() },
      { 'retry-after': 'Wed, 99 Foo 2025 99:99:99 GMT' },
      { 'retry-after': '' },
    ]) {
      expect(readRateLimitHeaders(headers, now)).toEqual({})
    }
  })
})

describe('readRateLimitHeaders: hostile input', () => {
  it('never throws and ignores huge or strange values', () => {
    const huge = '9'.repeat(100_000)
    expect(
      readRateLimitHeaders(
        {
          'retry-after': huge,
          'x-ratelimit-remaining-requests': huge,
          'x-ratelimit-reset-tokens': `${'1h'.repeat(10_000)}`,
          'anthropic-ratelimit-tokens-reset': `2025-01-15T12:00:00Z${' '.repeat(100)}`,
          'x-ratelimit-limit-tokens': undefined,
        },
        now,
      ),
    ).toEqual({})
    expect(readRateLimitHeaders(undefined, now)).toEqual({})
    expect(readRateLimitHeaders(null as never, now)).toEqual({})
    expect(readRateLimitHeaders('x-ratelimit-remaining-requests: 1' as never, now)).toEqual({})
    expect(readRateLimitHeaders({ 'x-ratelimit-remaining-requests': [] as string[] }, now)).toEqual({})
    expect(readRateLimitHeaders({ 'x-ratelimit-remaining-requests': 5 as never }, now)).toEqual({})
  })

  it('reads only own properties (a polluted prototype is not a header)', () => {
    const headers = Object.create({ 'retry-after': '5' }) as Record<string, string>
    expect(readRateLimitHeaders(headers, now)).toEqual({})
  })
})

describe('rateLimitRetryAt', () => {
  it('prefers retry-after, then the latest reset of an exhausted limit', () => {
    expect(
      rateLimitRetryAt({ retryAfterMs: 3000, remainingRequests: 0, requestsResetAt: now + 9000 }, now),
    ).toBe(now + 3000)
    expect(
      rateLimitRetryAt(
        {
          remainingRequests: 0,
          requestsResetAt: now + 2000,
          remainingTokens: 5,
          tokensResetAt: now + 360_000,
        },
        now,
      ),
    ).toBe(now + 2000)
    expect(
      rateLimitRetryAt(
        { remainingRequests: 0, requestsResetAt: now + 2000, remainingTokens: 0, tokensResetAt: now + 7000 },
        now,
      ),
    ).toBe(now + 7000)
    expect(
      rateLimitRetryAt(
        { remainingRequests: 3, requestsResetAt: now + 2000, remainingTokens: 0, tokensResetAt: now + 7000 },
        now,
      ),
    ).toBe(now + 7000)
  })

  it('does not wait for the reset of a limit that still has room, or one already past', () => {
    expect(
      rateLimitRetryAt(
        readRateLimitHeaders(
          { 'x-ratelimit-remaining-tokens': '900', 'x-ratelimit-reset-tokens': '6m0s' },
          now,
        ),
        now,
      ),
    ).toBeUndefined()
    expect(rateLimitRetryAt({ remainingRequests: 0, requestsResetAt: now - 1 }, now)).toBeUndefined()
    expect(rateLimitRetryAt({ remainingRequests: 0 }, now)).toBeUndefined()
    expect(rateLimitRetryAt({}, now)).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { parseRetryAfterMs } from '../src/index'

const NOW = Date.parse('2026-11-24T12:00:00Z')

describe('parseRetryAfterMs', () => {
  it('prefers retry-after-ms, then retry-after in seconds or as an HTTP date', () => {
    expect(parseRetryAfterMs({ 'retry-after-ms': '250.7', 'retry-after': '9' }, NOW)).toBe(251)
    expect(parseRetryAfterMs({ 'Retry-After': '2' }, NOW)).toBe(2000)
    expect(parseRetryAfterMs({ 'retry-after': '1.5' }, NOW)).toBe(1500)
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Tue, 24 Nov 2026 12:00:05 GMT' }), NOW)).toBe(5000)
    expect(parseRetryAfterMs({ 'retry-after': 'Tue, 24 Nov 2026 11:59:00 GMT' }, NOW)).toBe(0)
  })

  it('reads OpenAI reset durations, preferring the exhausted limit', () => {
    expect(
      parseRetryAfterMs(
        {
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '1m2.5s',
          'x-ratelimit-remaining-tokens': '1000',
          'x-ratelimit-reset-tokens': '6m0s',
        },
        NOW,
      ),
    ).toBe(62_500)
    expect(
      parseRetryAfterMs({ 'x-ratelimit-reset-requests': '120ms', 'x-ratelimit-reset-tokens': '2s' }, NOW),
    ).toBe(2000)
    expect(parseRetryAfterMs({ 'x-ratelimit-reset-tokens': '1h' }, NOW)).toBe(3_600_000)
  })

  it('reads Anthropic RFC 3339 reset times, preferring the exhausted limit', () => {
    expect(
      parseRetryAfterMs(
        {
          'anthropic-ratelimit-requests-remaining': '10',
          'anthropic-ratelimit-requests-reset': '2026-11-24T12:00:30Z',
          'anthropic-ratelimit-input-tokens-remaining': '0',
          'anthropic-ratelimit-input-tokens-reset': '2026-11-24T12:00:04Z',
        },
        NOW,
      ),
    ).toBe(4000)
  })

  it('ignores what it cannot read, and absurd waits', () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined()
    expect(parseRetryAfterMs({}, NOW)).toBeUndefined()
    expect(parseRetryAfterMs({ 'retry-after': 'soon' }, NOW)).toBeUndefined()
    expect(parseRetryAfterMs({ 'retry-after-ms': '' }, NOW)).toBeUndefined()
    expect(parseRetryAfterMs({ 'x-ratelimit-reset-requests': 'tomorrow' }, NOW)).toBeUndefined()
    expect(parseRetryAfterMs({ 'anthropic-ratelimit-tokens-reset': 'not a date' }, NOW)).toBeUndefined()
    expect(parseRetryAfterMs({ 'retry-after': String(60 * 60 * 48) }, NOW)).toBeUndefined()
    expect(parseRetryAfterMs({ 'retry-after': ['3', '4'] }, NOW)).toBe(3000)
  })
})

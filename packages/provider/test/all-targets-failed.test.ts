import { describe, expect, it } from 'vitest'
import {
  AllTargetsFailedError,
  type FailedAttempt,
  OverloadedError,
  type QlError,
  RateLimitedError,
  UnavailableError,
} from '../src/index'

const attempt = (targetId: string, at: number, error: QlError): FailedAttempt => ({
  targetId,
  provider: 'openai',
  modelId: 'gpt-x',
  at,
  error,
})
const limited = (retryAfterMs?: number) =>
  new RateLimitedError({ message: '429', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) })

describe('AllTargetsFailedError', () => {
  it('lists every attempt by target id and is not retryable', () => {
    const first = limited()
    const second = new UnavailableError({ message: 'reset', status: 503 })
    const error = new AllTargetsFailedError({
      attempts: [attempt('openai-east', 1, first), attempt('openai-west', 2, second)],
    })
    expect(error.retryable).toBe(false)
    expect(error.errors).toEqual([first, second])
    expect(error.lastError).toBe(second)
    expect(error.cause).toBe(second)
    expect(error.status).toBe(503)
    expect(error.message).toBe(
      'all 2 attempts failed:\n  1. openai-east (openai/gpt-x): [rate_limited] 429\n  2. openai-west (openai/gpt-x): [unavailable] reset',
    )
    expect(new AllTargetsFailedError({ attempts: [] }).message).toBe('no target was available to try')
    expect(new AllTargetsFailedError({ attempts: [] }).retryAfterMs).toBeUndefined()
  })

  it('retryAfterMs is the earliest moment one of the targets takes calls again', () => {
    // two keys for the same model: east free at 1000 + 5000, west free at 2000 + 1000
    const error = new AllTargetsFailedError({
      now: 2500,
      attempts: [attempt('east', 1000, limited(5000)), attempt('west', 2000, limited(1000))],
    })
    expect(error.retryAfterMs).toBe(500)
  })

  it('counts each target’s latest attempt and overloaded errors with a hint', () => {
    const error = new AllTargetsFailedError({
      now: 10_000,
      attempts: [
        attempt('east', 1000, limited(100)), // superseded by east's retry below
        attempt('west', 2000, new OverloadedError({ message: '529', retryAfterMs: 9000 })),
        attempt('east', 9000, limited(4000)),
      ],
    })
    expect(error.retryAfterMs).toBe(1000) // west at 11_000, east at 13_000
  })

  it('retryAfterMs is 0 when a target is already free, and undefined when any attempt gives no wait', () => {
    expect(
      new AllTargetsFailedError({ now: 5000, attempts: [attempt('a', 1000, limited(10))] }).retryAfterMs,
    ).toBe(0)
    const mixed = [
      attempt('a', 1000, limited(100)),
      attempt('b', 1000, new UnavailableError({ message: '503' })),
    ]
    expect(new AllTargetsFailedError({ now: 1000, attempts: mixed }).retryAfterMs).toBeUndefined()
    const noHint = [attempt('a', 1000, limited(100)), attempt('b', 1000, limited())]
    expect(new AllTargetsFailedError({ now: 1000, attempts: noHint }).retryAfterMs).toBeUndefined()
    const overloadedNoHint = [attempt('a', 1000, new OverloadedError({ message: '529' }))]
    expect(new AllTargetsFailedError({ now: 1000, attempts: overloadedNoHint }).retryAfterMs).toBeUndefined()
  })
})

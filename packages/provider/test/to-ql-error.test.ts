import { describe, expect, it, vi } from 'vitest'
import { isQlError, QlError, RateLimitedError, toQlError, UnknownError } from '../src/index'

describe('toQlError', () => {
  it('returns a QlError as is, from any copy of the package', async () => {
    const error = new RateLimitedError({ message: '429' })
    expect(toQlError(error, { provider: 'openai' })).toBe(error)
    vi.resetModules()
    const copy = (await import('../src/index')) as typeof import('../src/index')
    const foreign = new copy.RateLimitedError({ message: 'x' })
    expect(toQlError(foreign)).toBe(foreign)
  })

  it('turns anything else into a non-retryable UnknownError that keeps the cause', () => {
    const bug = new Error('the script ran out of steps')
    const error = toQlError(bug, { provider: 'mock', modelId: 'm1' })
    expect(error).toBeInstanceOf(UnknownError)
    expect(UnknownError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      name: 'UnknownError',
      code: 'unknown',
      retryable: false,
      provider: 'mock',
      modelId: 'm1',
      message: 'the mock model failed with an unexpected error: the script ran out of steps',
    })
    expect(error.cause).toBe(bug)
    expect(error.toJSON().cause).toEqual({ name: 'Error', message: 'the script ran out of steps' })
  })

  it('describes values that are not errors', () => {
    expect(toQlError('boom', { provider: 'p' }).message).toBe(
      'the p model failed with an unexpected error: boom',
    )
    expect(toQlError({ reason: 'x' }).message).toBe(
      'the unknown model failed with an unexpected error: {"reason":"x"}',
    )
    expect(toQlError(undefined).message).toContain('undefined')
    expect(isQlError(toQlError(null))).toBe(true)
    expect(toQlError(Symbol('s'))).toBeInstanceOf(QlError)
    expect(toQlError({ code: 'rate_limited', retryable: true }).code).toBe('unknown') // a look-alike is not trusted
  })
})

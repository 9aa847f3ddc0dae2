import { describe, expect, it, vi } from 'vitest'
import {
  AuthenticationError,
  CircuitOpenError,
  ContentFilteredError,
  ContextLengthExceededError,
  createApiCallError,
  InvalidRequestError,
  InvalidResponseError,
  isQlError,
  OverloadedError,
  QlError,
  qlErrorFromJSON,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  UnsupportedFeatureError,
} from '../src/index'

describe('typed errors', () => {
  it.each([
    [RateLimitedError, 'rate_limited', true],
    [OverloadedError, 'overloaded', true],
    [UnavailableError, 'unavailable', true],
    [InvalidResponseError, 'invalid_response', true],
    [CircuitOpenError, 'circuit_open', true],
    [AuthenticationError, 'authentication', false],
    [ContextLengthExceededError, 'context_length_exceeded', false],
    [ContentFilteredError, 'content_filtered', false],
    [UnsupportedFeatureError, 'unsupported_feature', false],
    [InvalidRequestError, 'invalid_request', false],
    [UnknownError, 'unknown', false],
  ] as const)(
    '%o has code %s and retryable %s, and only its own guard accepts it',
    (ErrorClass, code, retryable) => {
      const error = new ErrorClass({ message: 'm' })
      expect(error).toMatchObject({ code, retryable, name: ErrorClass.name })
      expect(ErrorClass.isInstance(error)).toBe(true)
      expect(
        [RateLimitedError, AuthenticationError, UnsupportedFeatureError].filter((c) => c.isInstance(error))
          .length,
      ).toBe(
        [RateLimitedError, AuthenticationError, UnsupportedFeatureError].includes(ErrorClass as never)
          ? 1
          : 0,
      )
      const revived = qlErrorFromJSON(error.toJSON())
      expect(revived).toBeInstanceOf(ErrorClass)
    },
  )

  it('carry code, retryability and HTTP facts', () => {
    const error = new RateLimitedError({
      message: 'slow down',
      status: 429,
      retryAfterMs: 1500.4,
      provider: 'openai',
    })
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      name: 'RateLimitedError',
      code: 'rate_limited',
      retryable: true,
      status: 429,
    })
    expect(error.retryAfterMs).toBe(1500)
    expect(new AuthenticationError({ message: 'no' }).retryable).toBe(false)
    expect(new UnavailableError({ message: 'x', retryable: false }).retryable).toBe(false)
  })

  it('are recognised across duplicated copies of the package, by kind', async () => {
    vi.resetModules()
    const copy = (await import('../src/index')) as typeof import('../src/index')
    expect(copy.RateLimitedError).not.toBe(RateLimitedError)
    const foreign = new copy.RateLimitedError({ message: 'x' })
    expect(foreign instanceof RateLimitedError).toBe(false)
    expect(RateLimitedError.isInstance(foreign)).toBe(true)
    expect(QlError.isInstance(foreign)).toBe(true)
    expect(isQlError(foreign)).toBe(true)
    expect(OverloadedError.isInstance(foreign)).toBe(false)
    expect(copy.QlError.isInstance(new TimeoutError({ message: 't' }))).toBe(true)
  })

  it('reject look-alikes that lack the marker', () => {
    expect(isQlError({ code: 'rate_limited', retryable: true, message: 'x' })).toBe(false)
    expect(isQlError(new Error('x'))).toBe(false)
    expect(isQlError(null)).toBe(false)
    expect(RateLimitedError.isInstance('rate_limited')).toBe(false)
  })

  it('never keep a secret in the message, headers, body or URL', () => {
    const key = 'my-custom-gateway-key-123'
    const error = new AuthenticationError({
      message: `bad key ${key} and sk-proj-abcdefghijklmnop and Bearer abc.def.ghi123`,
      secrets: [key],
      url: 'https://api.example.com/v1/chat?api_key=sk-zzzzzzzzzzzz',
      responseHeaders: { 'x-api-key': key, authorization: 'Bearer x', 'x-request-id': `req ${key}` },
      responseBody: `{"error":"invalid api_key: ${key}", "aws": "AKIAABCDEFGHIJKLMNOP"}`,
    })
    const everything = JSON.stringify({ ...error.toJSON(), stack: error.stack })
    expect(everything).not.toContain(key)
    expect(everything).not.toContain('sk-proj-abcdefghijklmnop')
    expect(everything).not.toContain('abc.def.ghi123')
    expect(everything).not.toContain('AKIAABCDEFGHIJKLMNOP')
    expect(everything).not.toContain('sk-zzzz')
    expect(error.responseHeaders).toEqual({ 'x-request-id': 'req [REDACTED]' })
    expect(error.url).toBe('https://api.example.com/v1/chat')
    expect(error.message).toContain('Bearer [REDACTED]')
  })

  it('replace an Error cause by a redacted stand-in when given secrets', () => {
    const key = 'gateway-key-0123456789'
    const sdkError = Object.assign(new Error(`401 for key ${key}`), { name: 'APIError', request: { key } })
    const error = new AuthenticationError({ message: 'rejected', cause: sdkError, secrets: [key] })
    expect(error.cause).not.toBe(sdkError)
    expect((error.cause as Error).name).toBe('APIError')
    expect((error.cause as Error).message).toBe('401 for key [REDACTED]')
    expect(JSON.stringify(error.toJSON()) + String((error.cause as Error).stack)).not.toContain(key)
    const typed = new RateLimitedError({ message: 'inner' })
    expect(new AuthenticationError({ message: 'x', cause: typed, secrets: [key] }).cause).toBe(typed)
    expect(new AuthenticationError({ message: 'x', cause: sdkError }).cause).toBe(sdkError)
  })

  it('keep at most 4 KiB of a response body', () => {
    const error = new UnavailableError({ message: 'x', responseBody: 'a'.repeat(10_000) })
    expect(error.responseBody).toHaveLength(4096)
  })

  it('createApiCallError maps statuses to kinds and reads the retry delay', () => {
    const kinds = [400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 529].map((status) => {
      const e = createApiCallError({ status, message: `status ${status}`, provider: 'p' })
      return [status, e.code, e.retryable]
    })
    expect(kinds).toEqual([
      [400, 'invalid_request', false],
      [401, 'authentication', false],
      [403, 'authentication', false],
      [404, 'invalid_request', false],
      [408, 'timeout', true],
      [409, 'unavailable', true],
      [413, 'invalid_request', false],
      [422, 'invalid_request', false],
      [429, 'rate_limited', true],
      [500, 'unavailable', true],
      [502, 'unavailable', true],
      [503, 'unavailable', true],
      [529, 'overloaded', true],
    ])
    const limited = createApiCallError({
      status: 429,
      message: 'x',
      responseHeaders: new Headers({ 'retry-after': '3' }),
    })
    expect(limited.retryAfterMs).toBe(3000)
    expect(limited.responseHeaders).toEqual({ 'retry-after': '3' })
  })
})

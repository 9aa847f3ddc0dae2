import { describe, expect, it } from 'vitest'
import { errorType, qlErrorFromJSON, RateLimitedError, safeErrorMessage } from '../src/index'

const OPENAI_KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789'

describe('errorType', () => {
  it('is the QlError code, else an own class name, else _OTHER — never message text', () => {
    expect(errorType(new RateLimitedError({ message: 'slow down' }))).toBe('rate_limited')
    expect(errorType(new TypeError('bad'))).toBe('TypeError')
    expect(errorType(new Error('plain'))).toBe('_OTHER')
    expect(errorType(Object.assign(new Error('nameless'), { name: '' }))).toBe('_OTHER')
    expect(errorType('a string')).toBe('_OTHER')
    expect(errorType(undefined)).toBe('_OTHER')
    // a QlError copied across module copies (JSON round trip) keeps its code
    expect(errorType(qlErrorFromJSON(new RateLimitedError({ message: 'x' }).toJSON()))).toBe('rate_limited')
  })
})

describe('safeErrorMessage', () => {
  it('redacts credentials, keeps only messages, and cuts long text to 500 characters', () => {
    expect(safeErrorMessage(new Error(`key ${OPENAI_KEY}`))).toBe('key [REDACTED]')
    expect(safeErrorMessage(new Error(`Authorization: Bearer ${OPENAI_KEY}`))).not.toContain(OPENAI_KEY)
    expect(safeErrorMessage('plain text')).toBe('plain text')
    expect(safeErrorMessage({ message: 'not an error' })).toBe('')
    const long = safeErrorMessage(new Error('x'.repeat(2_000)))
    expect(long).toHaveLength(501)
    expect(long.endsWith('…')).toBe(true)
  })
})

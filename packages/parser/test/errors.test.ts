import { describe, expect, it } from 'vitest'
import {
  BinaryContentError,
  DisposedError,
  GrammarLoadError,
  InputTooLargeError,
  InvalidUtf8Error,
  isParserError,
  ParseFailedError,
  ParserError,
  ParseTimeoutError,
  UnknownLanguageError,
} from './helpers'

const cause = new Error('underlying')
const all = [
  new UnknownLanguageError({ message: 'm', requested: 'x' }),
  new InputTooLargeError({ message: 'm', bytes: 2, maxBytes: 1 }),
  new ParseTimeoutError({ message: 'm', timeoutMs: 5 }),
  new BinaryContentError({ message: 'm', index: 0 }),
  new InvalidUtf8Error({ message: 'm', cause }),
  new GrammarLoadError({ message: 'm', language: 'x', cause }),
  new DisposedError({ message: 'm' }),
  new ParseFailedError({ message: 'm' }),
]

describe('errors', () => {
  it('each has its own code and name, and is a ParserError and an Error', () => {
    expect(all.map((error) => error.code)).toEqual([
      'unknown_language',
      'input_too_large',
      'parse_timeout',
      'binary_content',
      'invalid_utf8',
      'grammar_load_failed',
      'disposed',
      'parse_failed',
    ])
    expect(new Set(all.map((error) => error.name)).size).toBe(all.length)
    for (const error of all) {
      expect(error).toBeInstanceOf(Error)
      expect(ParserError.isInstance(error)).toBe(true)
    }
    expect(all[4]?.cause).toBe(cause)
    expect(all[0]?.cause).toBeUndefined()
  })

  it('isInstance checks the code, works unbound, and works across copies of the package', () => {
    const checks = [
      UnknownLanguageError.isInstance,
      InputTooLargeError.isInstance,
      ParseTimeoutError.isInstance,
      BinaryContentError.isInstance,
      InvalidUtf8Error.isInstance,
      GrammarLoadError.isInstance,
      DisposedError.isInstance,
      ParseFailedError.isInstance,
    ]
    checks.forEach((check, index) => {
      expect(all.filter(check)).toEqual([all[index]])
    })
    // An object from another copy of the package carries the same registered symbol.
    const foreign = Object.assign(new Error('other copy'), {
      [Symbol.for('ql.parser.error')]: true,
      code: 'parse_timeout',
    })
    expect(ParseTimeoutError.isInstance(foreign)).toBe(true)
    expect(ParserError.isInstance(foreign)).toBe(true)
    expect(isParserError(foreign, 'disposed')).toBe(false)
    for (const value of [
      null,
      undefined,
      'parse_timeout',
      42,
      new Error('plain'),
      { code: 'parse_timeout' },
    ]) {
      expect(ParserError.isInstance(value)).toBe(false)
    }
  })
})

import { describe, expect, it } from 'vitest'
import {
  BinaryContentError,
  BudgetExceededError,
  DisposedError,
  GrammarLoadError,
  InputTooLargeError,
  InvalidArgumentError,
  InvalidUtf8Error,
  isParserError,
  ParseFailedError,
  ParserError,
  type ParserErrorCode,
  ParseTimeoutError,
  parserErrorFromJSON,
  UnknownLanguageError,
} from '../src/index'

const cause = Object.assign(new Error('ENOENT: no such file'), { name: 'SystemError' })

/** One error per code; the Record makes a new code fail to compile here. */
const everyCode: Record<ParserErrorCode, ParserError> = {
  unknown_language: new UnknownLanguageError({ message: 'no language', requested: 'cobol' }),
  input_too_large: new InputTooLargeError({ message: 'too big', bytes: 2048, maxBytes: 1024 }),
  parse_timeout: new ParseTimeoutError({ message: 'slow', timeoutMs: 50 }),
  budget_exceeded: new BudgetExceededError({
    message: 'symbols ran out',
    operation: 'symbols',
    budgetMs: 250,
  }),
  binary_content: new BinaryContentError({ message: 'NUL', index: 7 }),
  invalid_utf8: new InvalidUtf8Error({ message: 'bad bytes' }),
  grammar_load_failed: new GrammarLoadError({ message: 'no wasm', language: 'swift', cause }),
  disposed: new DisposedError({ message: 'disposed' }),
  invalid_argument: new InvalidArgumentError({ message: 'bad argument' }),
  parse_failed: new ParseFailedError({ message: 'worker crashed', cause }),
}

describe('ParserError JSON', () => {
  it.each(Object.entries(everyCode))('%s round-trips with its class, code and fields', (code, original) => {
    const json = JSON.parse(JSON.stringify(original))
    const revived = parserErrorFromJSON(json)
    expect(revived.constructor).toBe(original.constructor)
    expect(revived.code).toBe(code)
    expect(revived.name).toBe(original.name)
    expect(revived.message).toBe(original.message)
    expect(revived.toJSON()).toEqual(original.toJSON())
    expect({ ...revived }).toEqual({ ...original }) // every own field (requested, bytes, timeoutMs, ...)
    if (original.cause !== undefined) expect((revived.cause as Error).name).toBe('SystemError')
  })

  it('keeps the fields in its JSON form', () => {
    expect(everyCode.input_too_large.toJSON()).toEqual({
      name: 'InputTooLargeError',
      code: 'input_too_large',
      message: 'too big',
      details: { bytes: 2048, maxBytes: 1024 },
    })
    expect(everyCode.grammar_load_failed.toJSON().cause).toEqual({
      name: 'SystemError',
      message: 'ENOENT: no such file',
    })
  })

  it('rebuilds a code from a newer version as a ParserError that keeps everything', () => {
    const newer = {
      name: 'QueryBudgetError',
      code: 'query_budget_exceeded',
      message: 'the query ran too long',
      details: { budgetMs: 10 },
      addedLater: true,
    }
    const revived = parserErrorFromJSON(newer)
    expect(isParserError(revived)).toBe(true)
    expect(revived).toBeInstanceOf(ParserError)
    const { addedLater: _ignored, ...known } = newer
    expect(revived.toJSON()).toEqual(known)
  })

  it.each([
    [null, /the value must be an object, got null/],
    [[1], /got an array/],
    [{ message: 'x' }, /code must be a non-empty string/],
    [{ code: 'disposed' }, /message must be a string/],
    [{ code: 'disposed', message: 'x', cause: 'boom' }, /cause must be/],
    [{ code: 'disposed', message: 'x', details: 3 }, /details must be an object/],
  ])('rejects malformed input %j with an InvalidArgumentError', (input, message) => {
    expect(() => parserErrorFromJSON(input)).toThrow(InvalidArgumentError)
    expect(() => parserErrorFromJSON(input)).toThrow(message)
  })
})

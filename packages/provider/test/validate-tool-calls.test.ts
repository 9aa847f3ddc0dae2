import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import {
  type ChatResponse,
  checkJsonSchema,
  InvalidToolInputError,
  type JSONSchema,
  qlErrorFromJSON,
  type ToolCall,
  type ToolDefinition,
  validateToolCalls,
} from '../src/index'

const weather = {
  name: 'get_weather',
  inputSchema: z.object({ city: z.string(), unit: z.enum(['c', 'f']).default('c') }),
} as const
const time = {
  name: 'get_time',
  inputSchema: {
    type: 'object',
    properties: { zone: { type: 'string' } },
    required: ['zone'],
    additionalProperties: false,
  },
} as const

const responseWith = (...toolCalls: ToolCall[]) =>
  ({ toolCalls, text: '', finishReason: 'tool-calls' }) as Partial<ChatResponse> as ChatResponse

function failure(run: () => unknown): InvalidToolInputError {
  try {
    run()
  } catch (error) {
    expect(InvalidToolInputError.isInstance(error)).toBe(true)
    return error as InvalidToolInputError
  }
  throw new Error('expected validateToolCalls to throw')
}

describe('validateToolCalls', () => {
  it('returns each call with its input parsed by the zod schema (defaults applied) or checked by the JSON Schema', () => {
    const calls = validateToolCalls(
      responseWith(
        { id: 'c1', name: 'get_weather', input: { city: 'Oslo' } },
        { id: 'c2', name: 'get_time', input: { zone: 'UTC' } },
      ),
      [weather, time],
    )
    expect(calls).toEqual([
      { id: 'c1', name: 'get_weather', input: { city: 'Oslo', unit: 'c' } },
      { id: 'c2', name: 'get_time', input: { zone: 'UTC' } },
    ])
  })

  it('takes a list of tool calls as well as a response, and returns [] for none', () => {
    expect(validateToolCalls([{ id: 'c1', name: 'get_time', input: { zone: 'UTC' } }], [time])).toHaveLength(
      1,
    )
    expect(validateToolCalls(responseWith(), [weather])).toEqual([])
    expect(validateToolCalls([], undefined)).toEqual([])
  })

  it('throws unknown_tool for a name that is not one of the tools, listing the tools', () => {
    const error = failure(() =>
      validateToolCalls([{ id: 'c9', name: 'get_news', input: { q: 1 } }], [weather, time]),
    )
    expect(error).toMatchObject({
      reason: 'unknown_tool',
      toolName: 'get_news',
      toolCallId: 'c9',
      rawInput: '{"q":1}',
      retryable: true,
    })
    expect(error.message).toBe(
      "the model called tool 'get_news' (call 'c9'), which is not one of the request's tools ('get_weather', 'get_time')",
    )
    expect(
      failure(() => validateToolCalls([{ id: 'c9', name: 'x', input: {} }], undefined)).message,
    ).toContain('(none)')
  })

  it('throws schema_mismatch for zod input that fails, with an issue per field', () => {
    const error = failure(() =>
      validateToolCalls([{ id: 'c1', name: 'get_weather', input: { city: 3, unit: 'k' } }], [weather]),
    )
    expect(error.reason).toBe('schema_mismatch')
    expect(error.toolCallId).toBe('c1')
    expect(error.issues.map((issue) => issue.path)).toEqual(['city', 'unit'])
    expect(error.message).toMatch(
      /^the model called tool 'get_weather' \(call 'c1'\) with input that fails its schema: city: /,
    )
  })

  it('throws schema_mismatch for JSON Schema input that fails, naming the field', () => {
    const missing = failure(() => validateToolCalls([{ id: 'c2', name: 'get_time', input: {} }], [time]))
    expect(missing.issues).toEqual([{ path: 'zone', message: 'required, but missing' }])
    const extra = failure(() =>
      validateToolCalls([{ id: 'c2', name: 'get_time', input: { zone: 'UTC', x: 1 } }], [time]),
    )
    expect(extra.issues).toEqual([{ path: 'x', message: 'is not an allowed property' }])
    const notObject = failure(() => validateToolCalls([{ id: 'c2', name: 'get_time', input: 'UTC' }], [time]))
    expect(notObject.issues).toEqual([{ path: '', message: 'expected object, got string "UTC"' }])
    expect(notObject.message).toContain('(input): expected object')
  })

  it('stops at the first failing call', () => {
    const error = failure(() =>
      validateToolCalls(
        [
          { id: 'ok', name: 'get_time', input: { zone: 'UTC' } },
          { id: 'bad1', name: 'get_time', input: {} },
          { id: 'bad2', name: 'nope', input: {} },
        ],
        [time],
      ),
    )
    expect(error.toolCallId).toBe('bad1')
  })

  it('keeps reason, call id and issues through JSON', () => {
    const error = failure(() => validateToolCalls([{ id: 'c2', name: 'get_time', input: {} }], [time]))
    const back = qlErrorFromJSON(JSON.parse(JSON.stringify(error.toJSON())))
    expect(InvalidToolInputError.isInstance(back)).toBe(true)
    expect(back).toMatchObject({
      reason: 'schema_mismatch',
      toolCallId: 'c2',
      issues: error.issues,
      toolName: 'get_time',
    })
  })

  it('carries the zod-inferred input types out, narrowed by name (checked by tsc)', () => {
    const calls = validateToolCalls(
      [{ id: 'c1', name: 'get_weather', input: { city: 'Oslo' } }],
      [weather, time],
    )
    const call = calls[0]
    if (call?.name === 'get_weather') {
      expectTypeOf(call.input).toEqualTypeOf<{ city: string; unit: 'c' | 'f' }>()
      expect(call.input.unit).toBe('c')
    } else if (call !== undefined) {
      expectTypeOf(call.name).toEqualTypeOf<'get_time'>()
      expectTypeOf(call.input).toEqualTypeOf<Record<string, unknown>>()
    }
    // @ts-expect-error the name is one of the tools
    expectTypeOf(calls[0]?.name).toEqualTypeOf<string | undefined>()
    // tools written inline narrow the same way
    const inline = validateToolCalls([], [{ name: 'f', inputSchema: z.object({ n: z.number() }) }])
    expectTypeOf(inline[0]?.name).toEqualTypeOf<'f' | undefined>()
    expectTypeOf(inline[0]?.input).toEqualTypeOf<{ n: number } | undefined>()
    // tools typed as ToolDefinition[] (say, request.tools) give object inputs and string names
    const loose: ToolDefinition[] = [weather]
    expectTypeOf(validateToolCalls([], loose)[0]?.input).toEqualTypeOf<Record<string, unknown> | undefined>()
    expectTypeOf(validateToolCalls([], loose)[0]?.name).toEqualTypeOf<string | undefined>()
  })
})

describe('checkJsonSchema', () => {
  const schema: JSONSchema = {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 5 },
      age: { type: 'integer', minimum: 0, maximum: 150 },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
      kind: { enum: ['a', 'b'] },
      fixed: { const: { v: 1 } },
      maybe: { type: ['string', 'null'] },
      legacy: { type: 'string', nullable: true },
      either: { anyOf: [{ type: 'number' }, { type: 'boolean' }] },
      pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] },
      nested: {
        type: 'object',
        properties: { deep: { type: 'boolean' } },
        additionalProperties: { type: 'number' },
      },
    },
    required: ['name'],
  }

  it('accepts a value that meets every keyword', () => {
    const value = {
      name: 'Ada',
      age: 36,
      tags: ['x'],
      kind: 'a',
      fixed: { v: 1 },
      maybe: null,
      legacy: null,
      either: true,
      pair: ['a', 1],
      nested: { deep: true, extra: 2 },
      undeclared: 'allowed',
    }
    expect(checkJsonSchema(schema, value)).toEqual([])
  })

  it.each([
    ['type', { name: 5 }, 'name', 'expected string, got number 5'],
    ['integer', { name: 'a', age: 1.5 }, 'age', 'expected integer, got number 1.5'],
    ['minimum', { name: 'a', age: -1 }, 'age', 'expected >= 0, got -1'],
    ['maximum', { name: 'a', age: 200 }, 'age', 'expected <= 150, got 200'],
    ['minLength', { name: '' }, 'name', 'expected at least 1 characters, got 0'],
    ['maxLength', { name: 'abcdef' }, 'name', 'expected at most 5 characters, got 6'],
    ['items', { name: 'a', tags: ['x', 2] }, 'tags[1]', 'expected string, got number 2'],
    ['maxItems', { name: 'a', tags: ['x', 'y', 'z'] }, 'tags', 'expected at most 2 items, got 3'],
    ['enum', { name: 'a', kind: 'c' }, 'kind', 'expected one of "a", "b", got string "c"'],
    ['const', { name: 'a', fixed: { v: 2 } }, 'fixed', 'expected {"v":1}, got an object'],
    ['type list', { name: 'a', maybe: 1 }, 'maybe', 'expected string or null, got number 1'],
    ['anyOf', { name: 'a', either: 'no' }, 'either', 'matches none of the anyOf alternatives'],
    ['prefixItems', { name: 'a', pair: ['a', 'b'] }, 'pair[1]', 'expected number, got string "b"'],
    [
      'additionalProperties schema',
      { name: 'a', nested: { extra: 'x' } },
      'nested.extra',
      'expected number, got string "x"',
    ],
    ['required', {}, 'name', 'required, but missing'],
  ])('reports %s at its path', (_keyword, value, path, message) => {
    expect(checkJsonSchema(schema, value)).toEqual([{ path, message }])
  })
})

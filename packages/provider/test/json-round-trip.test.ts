import { Buffer } from 'node:buffer'
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  type ChatRequest,
  type ChatResponse,
  chatResponseSchema,
  findNonJsonValue,
  type ImagePart,
  InvalidRequestError,
  type ToolCall,
  type ToolCallPart,
  type ToolResultPart,
  validateChatRequest,
} from '../src/index'

/** What a checkpoint does to a value. */
const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

function issuesOf(request: unknown) {
  try {
    validateChatRequest(request)
  } catch (error) {
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    return (error as InvalidRequestError).issues
  }
  throw new Error('expected the request to be rejected')
}

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13])
const PNG_BASE64 = Buffer.from(PNG).toString('base64')

const withImage = (image: unknown, mediaType = 'image/png') => ({
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image', image, mediaType },
      ],
    },
  ],
})
const imageOf = (request: ChatRequest) => {
  const content = request.messages[0]?.content
  return Array.isArray(content) ? (content[1] as { image: unknown }).image : undefined
}

describe('images survive a checkpoint', () => {
  it('hands bytes back as base64, so the validated request is JSON as it is', () => {
    const valid = validateChatRequest(withImage(PNG))
    expect(imageOf(valid)).toBe(PNG_BASE64)
    expect(validateChatRequest(throughJson(valid))).toEqual(valid)
  })

  it('treats a Buffer and a Uint8Array view into a larger buffer as their own bytes', () => {
    expect(imageOf(validateChatRequest(withImage(Buffer.from(PNG))))).toBe(PNG_BASE64)
    const larger = new Uint8Array([1, 2, ...PNG, 3])
    expect(imageOf(validateChatRequest(withImage(larger.subarray(2, 2 + PNG.length))))).toBe(PNG_BASE64)
  })

  it('reads bytes that went through JSON unvalidated back as the same base64', () => {
    const original = withImage(PNG)
    const indexObject = throughJson(original)
    expect(imageOf(indexObject as ChatRequest)).toEqual({
      0: 137,
      1: 80,
      2: 78,
      3: 71,
      4: 13,
      5: 10,
      6: 26,
      7: 10,
      8: 0,
      9: 0,
      10: 0,
      11: 13,
    })
    expect(validateChatRequest(indexObject)).toEqual(validateChatRequest(original))

    const bufferJson = throughJson(withImage(Buffer.from(PNG)))
    expect(imageOf(bufferJson as ChatRequest)).toEqual({ type: 'Buffer', data: [...PNG] })
    expect(validateChatRequest(bufferJson)).toEqual(validateChatRequest(original))
  })

  it('keeps URLs and base64 text as given', () => {
    for (const image of ['https://example.com/cat.png', `data:image/png;base64,${PNG_BASE64}`, PNG_BASE64])
      expect(imageOf(validateChatRequest(withImage(image)))).toBe(image)
  })

  it.each([
    ['an object that is not bytes', { a: 1 }, 'got an object that is not bytes read back from JSON'],
    ['an index object with a value out of byte range', { 0: 137, 1: 300 }, 'got an object that is not bytes'],
    ['an index object with a gap', { 0: 137, 2: 80 }, 'got an object that is not bytes'],
    ['a Buffer JSON with a non-byte', { type: 'Buffer', data: [1, -1] }, 'got an object that is not bytes'],
    ['an array of numbers', [137, 80], 'got an array'],
    ['a number', 42, 'got number'],
    ['null', null, 'got null'],
    ['an empty string', '', 'the image is an empty string'],
    ['no bytes', new Uint8Array(0), 'the image has no bytes'],
    ['an empty index object', {}, 'got an object that is not bytes'],
  ])('rejects %s at the image path, saying what to pass', (_name, image, expected) => {
    const issues = issuesOf(withImage(image))
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe('messages[0].content[1].image')
    expect(issues[0]?.message).toContain(expected)
    if (!expected.startsWith('the image has no'))
      expect(issues[0]?.message).toContain('base64 string with mediaType')
  })
})

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const cycle: Record<string, unknown> = { a: 1 }
cycle.self = cycle

/** Values that JSON would change or lose, the path inside them that is wrong, and what the message must say. */
const HOSTILE: [name: string, value: unknown, path: string, says: string][] = [
  ['a Map', { rows: new Map([['a', 1]]) }, '.rows', 'Object.fromEntries(map)'],
  ['a Set', { tags: new Set(['a']) }, '.tags', '[...set]'],
  ['a Date', { at: new Date(0) }, '.at', 'date.toISOString()'],
  ['a class instance', { where: new Point(1, 2) }, '.where', 'an instance of Point'],
  ['an Error', { failure: new Error('x') }, '.failure', 'an Error is not a JSON value'],
  ['a function', { run: () => 1 }, '.run', 'a function is not a JSON value'],
  ['a symbol', { s: Symbol('x') }, '.s', 'a symbol is not a JSON value'],
  ['a bigint', { big: 10n }, '.big', 'a bigint'],
  ['NaN', { n: Number.NaN }, '.n', 'NaN is not a JSON number'],
  ['Infinity', { n: [1, Number.POSITIVE_INFINITY] }, '.n[1]', 'Infinity is not a JSON number'],
  ['-Infinity', { deep: { n: Number.NEGATIVE_INFINITY } }, '.deep.n', '-Infinity is not a JSON number'],
  ['undefined in an array', { list: [1, undefined] }, '.list[1]', 'undefined in an array becomes null'],
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point
  ['an array hole', { list: [1, , 3] }, '.list[1]', 'undefined in an array becomes null'],
  ['a typed array', { bytes: new Uint8Array([1]) }, '.bytes', 'a Uint8Array is not a JSON value'],
  ['a cycle', { c: cycle }, '.c.self', 'a circular reference'],
  ['a boxed string', { s: new String('x') }, '.s', 'an instance of String'],
  ['a Map at the top', new Map(), '', 'a Map is not a JSON value'],
]

const call = (input: unknown) => ({
  role: 'assistant',
  content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input }],
})
const result = (output: unknown) => ({
  role: 'tool',
  content: [{ type: 'tool-result', toolCallId: 'call_1', output }],
})

describe('tool inputs and outputs must be JSON values', () => {
  it.each(HOSTILE)('rejects %s in a tool result output at its path', (_name, value, path, says) => {
    const issues = issuesOf({ messages: [{ role: 'user', content: 'go' }, call({}), result(value)] })
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe(`messages[2].content[0].output${path}`)
    expect(issues[0]?.message).toContain(says)
  })

  it.each(HOSTILE)('rejects %s in a tool call input at its path', (_name, value, path, says) => {
    const issues = issuesOf({ messages: [{ role: 'user', content: 'go' }, call(value), result('ok')] })
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe(`messages[1].content[0].input${path}`)
    expect(issues[0]?.message).toContain(says)
  })

  it('accepts shared references, null-prototype objects, undefined properties and a missing output', () => {
    const shared = { city: 'Oslo' }
    const bare = Object.assign(Object.create(null), { a: [1, 'two', true, null] })
    const outputs = [
      { first: shared, second: shared },
      bare,
      { kept: 1, dropped: undefined },
      undefined,
      'text',
      0,
    ]
    for (const output of outputs) {
      const request = { messages: [{ role: 'user', content: 'go' }, call({ q: 1 }), result(output)] }
      const valid = validateChatRequest(request)
      expect(validateChatRequest(throughJson(valid))).toEqual(valid)
    }
  })

  it('finds the first non-JSON value without copying, and says nothing about JSON-safe values', () => {
    expect(findNonJsonValue({ a: [1, { b: 'c' }], d: null })).toBeUndefined()
    expect(findNonJsonValue({ a: [1, { b: new Set() }] })).toEqual({
      path: ['a', 1, 'b'],
      message: 'a Set is not a JSON value (JSON turns it into {}); pass an array, for example [...set]',
    })
  })

  it('rejects a response whose tool call input is not JSON, and keeps one that is', () => {
    const response: ChatResponse = {
      text: '',
      message: {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'f', input: { q: 1 } }],
      },
      toolCalls: [{ id: 'c1', name: 'f', input: { q: 1 } }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 1, outputTokens: 2 },
      warnings: [],
      provider: 'test',
      modelId: 'm',
    }
    expect(chatResponseSchema.parse(throughJson(response))).toEqual(response)
    const bad = { ...response, toolCalls: [{ id: 'c1', name: 'f', input: { when: new Date(0) } }] }
    const parsed = chatResponseSchema.safeParse(bad)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.path).toEqual(['toolCalls', 0, 'input', 'when'])
  })
})

describe('a whole conversation survives a checkpoint', () => {
  it('validates to the same request before and after JSON', () => {
    const request = {
      system: 'be brief',
      messages: [
        { role: 'system', content: 'mid-conversation instructions' },
        {
          role: 'user',
          content: [
            {
              type: 'text',
              text: 'what is in these?',
              providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
            },
            { type: 'image', image: PNG, mediaType: 'image/png' },
            { type: 'image', image: 'https://example.com/a.png' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'look closer', signature: 'sig' },
            { type: 'reasoning', text: '', data: 'opaque' },
            { type: 'text', text: 'let me check' },
            {
              type: 'tool-call',
              toolCallId: 'call_1',
              toolName: 'inspect',
              input: { zoom: 2, areas: [[0, 0.5]] },
            },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', output: { found: ['cat'] }, isError: false },
          ],
        },
        { role: 'assistant', content: 'A cat.' },
        { role: 'user', content: 'thanks' },
      ],
      tools: [{ name: 'inspect', inputSchema: { type: 'object', properties: { zoom: { type: 'number' } } } }],
      toolChoice: 'auto',
      responseFormat: { type: 'json', schema: { type: 'object' } },
      maxTokens: 100,
      temperature: 0.5,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      providerOptions: { openai: { reasoningEffort: 'low' } },
      metadata: { userId: 'u1', tier: 2, beta: true },
    }
    const valid = validateChatRequest(request)
    expect(validateChatRequest(throughJson(valid))).toEqual(valid)
    // and straight from the unvalidated original, bytes and all
    expect(validateChatRequest(throughJson(request))).toEqual(valid)
  })
})

describe('the types users write stay as they were (checked by tsc)', () => {
  it('still takes bytes for an image and any value for tool inputs and outputs', () => {
    expectTypeOf<ImagePart['image']>().toEqualTypeOf<string | Uint8Array>()
    expectTypeOf<ToolCallPart['input']>().toEqualTypeOf<unknown>()
    expectTypeOf<ToolResultPart['output']>().toEqualTypeOf<unknown>()
    expectTypeOf<ToolCall['input']>().toEqualTypeOf<unknown>()
    const part: ToolCallPart = { type: 'tool-call', toolCallId: 'c', toolName: 't' }
    expect(part.input).toBeUndefined()
  })
})

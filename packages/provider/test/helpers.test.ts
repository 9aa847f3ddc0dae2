import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import {
  AbortedError,
  createCallSignal,
  createChatResponse,
  InvalidRequestError,
  isChatModel,
  parseToolInput,
  redactSecrets,
  runCall,
  TimeoutError,
  toJsonSchema,
} from '../src/index'

describe('toJsonSchema', () => {
  it('converts a zod object schema to JSON Schema describing its input, without $schema', () => {
    const schema = z.object({ city: z.string().describe('the city'), days: z.number().int().default(1) })
    expect(toJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        city: { type: 'string', description: 'the city' },
        days: { type: 'integer', default: 1, minimum: expect.any(Number), maximum: expect.any(Number) },
      },
      required: ['city'],
    })
  })

  it('returns a JSON Schema as given, and rejects what cannot be expressed', () => {
    const json = { type: 'object', properties: { a: { type: 'string' } } }
    expect(toJsonSchema(json)).toBe(json)
    expect(() => toJsonSchema(z.object({ when: z.date() }))).toThrow(/cannot be expressed as JSON Schema/)
    expect(() => toJsonSchema(null as never)).toThrow(InvalidRequestError)
  })
})

describe('createCallSignal', () => {
  it('aborts with a typed reason for the caller, the timeout and extra signals', () => {
    vi.useFakeTimers()
    try {
      const caller = new AbortController()
      const a = createCallSignal({ signal: caller.signal })
      caller.abort('bye')
      expect(AbortedError.isInstance(a.signal.reason)).toBe(true)

      const b = createCallSignal({ timeoutMs: 100 })
      vi.advanceTimersByTime(99)
      expect(b.signal.aborted).toBe(false)
      vi.advanceTimersByTime(1)
      expect(TimeoutError.isInstance(b.signal.reason)).toBe(true)

      const c = createCallSignal({ timeoutMs: 100 })
      c.dispose()
      vi.advanceTimersByTime(1000)
      expect(c.signal.aborted).toBe(false)

      const extra = new AbortController()
      const d = createCallSignal({}, undefined, extra.signal)
      const reason = new TimeoutError({ message: 'outer budget' })
      extra.abort(reason)
      expect(d.signal.reason).toBe(reason)

      expect(createCallSignal({ signal: AbortSignal.abort() }).signal.aborted).toBe(true)
      expect(() => createCallSignal({ timeoutMs: -1 })).toThrow(InvalidRequestError)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('runCall', () => {
  it('maps failures, throws the typed reason once the signal fired, and passes results through', async () => {
    const mapped = new InvalidRequestError({ message: 'mapped' })
    await expect(
      runCall(
        {},
        async () => 42,
        () => mapped,
      ),
    ).resolves.toBe(42)
    await expect(
      runCall(
        {},
        async () => Promise.reject(new Error('sdk')),
        () => mapped,
      ),
    ).rejects.toBe(mapped)
    const raw = new Error('a bug')
    const unmapped = await runCall({ provider: 'p', modelId: 'm' }, async () => Promise.reject(raw)).catch(
      (error: unknown) => error,
    )
    // the same default mapping a stream applies: a non-retryable UnknownError keeping the cause
    expect(unmapped).toMatchObject({
      code: 'unknown',
      retryable: false,
      provider: 'p',
      modelId: 'm',
      cause: raw,
    })
    const typed = new InvalidRequestError({ message: 'typed' })
    await expect(
      runCall(
        {},
        async () => Promise.reject(typed),
        () => mapped,
      ),
    ).rejects.toBe(typed)
    const controller = new AbortController()
    const pending = runCall(
      { signal: controller.signal },
      (signal) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('sdk abort')))),
      () => mapped,
    )
    controller.abort()
    await expect(pending).rejects.toSatisfy(AbortedError.isInstance)
  })
})

describe('small helpers', () => {
  it('parseToolInput treats empty as {} and names the tool on bad JSON', () => {
    expect(parseToolInput('', 'f')).toEqual({})
    expect(parseToolInput('{"a":1}', 'f')).toEqual({ a: 1 })
    expect(() => parseToolInput('{', 'lookup', 'openai')).toThrow(
      /tool 'lookup' with arguments that are not valid JSON/,
    )
  })

  it('createChatResponse derives text, reasoning and tool calls from parts', () => {
    const response = createChatResponse({
      content: [
        { type: 'text', text: 'a' },
        { type: 'tool-call', toolCallId: '1', toolName: 'f', input: {} },
        { type: 'text', text: 'b' },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 1, outputTokens: 2 },
      provider: 'p',
      modelId: 'm',
      cost: { inputCost: 0.1, outputCost: 0.2, totalCost: 0.3, currency: 'USD' },
    })
    expect(response).toMatchObject({
      text: 'ab',
      toolCalls: [{ id: '1', name: 'f', input: {} }],
      warnings: [],
    })
    expect(response.reasoning).toBeUndefined()
    expect(response.cost?.totalCost).toBe(0.3)
  })

  it('isChatModel checks the whole interface', () => {
    expect(
      isChatModel({ specificationVersion: 'v2', provider: 'p', modelId: 'm', generate() {}, stream() {} }),
    ).toBe(false)
    expect(isChatModel(null)).toBe(false)
  })

  it('redactSecrets removes exact secrets and key-shaped text, and ignores tiny values', () => {
    expect(redactSecrets('key=abc', ['abc'])).toBe('key=abc')
    expect(redactSecrets('token sk-ant-api03-abcdefghijkl here')).toBe('token [REDACTED] here')
    expect(redactSecrets('{"api_key": "hunter22"}')).toBe('{"api_key": "[REDACTED]"}')
    expect(redactSecrets('x-api-key: zzzz-1234')).toBe('x-api-key: [REDACTED]')
    expect(redactSecrets('secretAccessKey=wJalrXUtnFEMI/K7MDENG')).toBe('secretAccessKey=[REDACTED]')
  })
})

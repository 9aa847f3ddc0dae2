import { describe, expect, it, vi } from 'vitest'
import {
  type ChatStreamEvent,
  createChatResponse,
  defineChatModel,
  InvalidRequestError,
  type QlError,
  TimeoutError,
  UnavailableError,
  UnknownError,
} from '../src/index'

const hi = { messages: [{ role: 'user' as const, content: 'hi' }] }

/** A model whose SDK is a list of chunks; `fail` makes the SDK throw that value instead. */
function echo(options: { fail?: unknown; stall?: boolean; connects?: { count: number } } = {}) {
  return defineChatModel({
    provider: 'echo',
    modelId: 'echo-1',
    prepare: (request) => ({
      text: String(request.messages.at(-1)?.content),
      warnings: [{ type: 'unsupported-setting' as const, setting: 'seed' }],
    }),
    connect: () => {
      if (options.connects !== undefined) options.connects.count++
      return { key: 'k' }
    },
    generate: async ({ prepared, signal }) => {
      if (options.stall === true) {
        await new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(new Error('sdk aborted'))),
        )
      }
      if (options.fail !== undefined) throw options.fail
      return createChatResponse({
        content: [{ type: 'text', text: prepared.text }],
        finishReason: 'stop',
        usage: { inputTokens: 1, outputTokens: 1 },
        provider: 'echo',
        modelId: 'echo-1',
        warnings: prepared.warnings,
        headers: { 'x-request-id': 'r1' },
        requestId: 'r1',
      })
    },
    stream: async ({ prepared }) => {
      if (options.fail !== undefined) throw options.fail
      return {
        chunks: (async function* () {
          yield prepared.text
        })(),
        toParts: (text: string, emit) => emit({ type: 'text-delta', delta: text }),
        onEnd: (emit) => emit({ type: 'finish', finishReason: 'stop' }),
        headers: { 'x-request-id': 'r1' },
        requestId: 'r1',
      }
    },
    mapError: (error) =>
      error instanceof Error && error.message === 'ECONNRESET'
        ? new UnavailableError({ message: 'reset', provider: 'echo', cause: error })
        : undefined,
  })
}

describe('defineChatModel', () => {
  it('answers the same from generate and stream, warnings, headers and request id included', async () => {
    const generated = await echo().generate(hi)
    const stream = echo().stream(hi)
    const events: ChatStreamEvent[] = []
    for await (const event of stream) events.push(event)
    expect(await stream.response).toEqual({ ...generated, usage: { inputTokens: 0, outputTokens: 0 } })
    expect(events[0]).toEqual({
      type: 'metadata',
      provider: 'echo',
      modelId: 'echo-1',
      requestId: 'r1',
      headers: { 'x-request-id': 'r1' },
    })
    expect(generated.warnings).toEqual([{ type: 'unsupported-setting', setting: 'seed' }])
  })

  it('validates before connecting, and fails both methods with the same InvalidRequestError', async () => {
    const connects = { count: 0 }
    const model = echo({ connects })
    const bad = { messages: [] }
    const fromGenerate = await model.generate(bad).catch((e: unknown) => e)
    const fromStream = await model.stream(bad).response.catch((e: unknown) => e)
    expect(InvalidRequestError.isInstance(fromGenerate)).toBe(true)
    expect(InvalidRequestError.isInstance(fromStream)).toBe(true)
    expect((fromStream as QlError).message).toBe((fromGenerate as QlError).message)
    expect(connects.count).toBe(0)
  })

  it.each([
    ['a failure the adapter maps', new Error('ECONNRESET'), 'unavailable', true],
    ['a failure it does not', new TypeError('x is undefined'), 'unknown', false],
    ['a thrown non-error', 'weird', 'unknown', false],
  ])(
    'turns %s into the same typed error from generate and stream',
    async (_name, thrown, code, retryable) => {
      const fromGenerate = await echo({ fail: thrown })
        .generate(hi)
        .catch((e: unknown) => e)
      const fromStream = await echo({ fail: thrown })
        .stream(hi)
        .response.catch((e: unknown) => e)
      for (const error of [fromGenerate, fromStream]) expect(error).toMatchObject({ code, retryable })
      expect((fromStream as Error).message).toBe((fromGenerate as Error).message)
      if (code === 'unknown') expect(UnknownError.isInstance(fromGenerate)).toBe(true)
    },
  )

  it('applies timeoutMs once, through the signal, as a TimeoutError (fake timers)', async () => {
    vi.useFakeTimers()
    try {
      const pending = echo({ stall: true })
        .generate(hi, { timeoutMs: 1000 })
        .catch((e: unknown) => e)
      await vi.advanceTimersByTimeAsync(1000)
      const error = await pending
      expect(TimeoutError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ timeoutMs: 1000 })
    } finally {
      vi.useRealTimers()
    }
  })
})

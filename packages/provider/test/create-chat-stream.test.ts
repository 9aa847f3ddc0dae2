import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AbortedError,
  type ChatStreamEvent,
  type ChatStreamPart,
  createChatStream,
  InvalidResponseError,
  InvalidToolInputError,
  type QlError,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  UnknownError,
} from '../src/index'

function fromParts(parts: ChatStreamPart[], onClose?: () => void) {
  return createChatStream({
    provider: 'test',
    modelId: 'requested',
    start: async function* () {
      try {
        yield* parts
      } finally {
        onClose?.()
      }
    },
  })
}

async function collect(stream: AsyncIterable<ChatStreamEvent>) {
  const events: ChatStreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

async function failureOf(
  stream: AsyncIterable<ChatStreamEvent>,
): Promise<{ events: ChatStreamEvent[]; error: unknown }> {
  const events: ChatStreamEvent[] = []
  try {
    for await (const event of stream) events.push(event)
  } catch (error) {
    return { events, error }
  }
  throw new Error('expected the stream to fail')
}

/** A source that yields its parts, then waits until its signal aborts (forever without one). */
function stalling(parts: ChatStreamPart[], closed: { value: boolean }) {
  return async function* (signal: AbortSignal | undefined): AsyncGenerator<ChatStreamPart> {
    try {
      yield* parts
      await new Promise((_, reject) => {
        if (signal?.aborted === true) reject(signal.reason)
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
      })
    } finally {
      closed.value = true
    }
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('createChatStream', () => {
  it('assembles text, signed reasoning, parallel tool calls and usage into events and one response', async () => {
    const stream = fromParts([
      { type: 'metadata', id: 'resp_1', modelId: 'answered-model' },
      { type: 'usage', usage: { inputTokens: 12, cachedInputTokens: 4 } },
      { type: 'reasoning-delta', delta: 'think ' },
      { type: 'reasoning-delta', delta: 'hard' },
      { type: 'reasoning-end', signature: 'sig-1' },
      { type: 'reasoning-end', data: 'opaque' },
      { type: 'text-delta', delta: 'Hel' },
      { type: 'text-delta', delta: '' },
      { type: 'text-delta', delta: 'lo' },
      { type: 'tool-call-delta', toolCallId: 'a', toolName: 'weather', inputDelta: '{"city":' },
      { type: 'tool-call-delta', toolCallId: 'b', toolName: 'time', inputDelta: '' },
      { type: 'tool-call-delta', toolCallId: 'a', toolName: '', inputDelta: '"Oslo"}' },
      { type: 'tool-call-end', toolCallId: 'a' },
      { type: 'warning', warning: { type: 'unsupported-setting', setting: 'seed' } },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
      { type: 'usage', usage: { outputTokens: 30 } },
    ])
    const events = await collect(stream)
    expect(events.map((e) => e.type)).toEqual([
      'metadata',
      'usage',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-end',
      'reasoning-end',
      'text-delta',
      'text-delta',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call',
      'usage',
      'tool-call',
      'finish',
    ])
    expect(events[0]).toEqual({ type: 'metadata', provider: 'test', modelId: 'answered-model', id: 'resp_1' })
    expect(events[4]).toEqual({ type: 'reasoning-end', signature: 'sig-1' })
    expect(events[10]).toEqual({
      type: 'tool-call-delta',
      toolCallId: 'a',
      toolName: 'weather',
      inputDelta: '"Oslo"}',
    })
    const response = await stream.response
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      usage: response.usage,
      response,
    })
    expect(response).toEqual({
      id: 'resp_1',
      text: 'Hello',
      reasoning: 'think hard',
      message: {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'think hard', signature: 'sig-1' },
          { type: 'reasoning', text: '', data: 'opaque' },
          { type: 'text', text: 'Hello' },
          { type: 'tool-call', toolCallId: 'a', toolName: 'weather', input: { city: 'Oslo' } },
          { type: 'tool-call', toolCallId: 'b', toolName: 'time', input: {} },
        ],
      },
      toolCalls: [
        { id: 'a', name: 'weather', input: { city: 'Oslo' } },
        { id: 'b', name: 'time', input: {} },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 12, cachedInputTokens: 4, outputTokens: 30 },
      warnings: [{ type: 'unsupported-setting', setting: 'seed' }],
      provider: 'test',
      modelId: 'answered-model',
    })
  })

  it('fails a stream that ends without its terminal event, in the iteration and the response', async () => {
    const stream = fromParts([{ type: 'text-delta', delta: 'partial' }])
    const { events, error } = await failureOf(stream)
    expect(events).toEqual([
      { type: 'metadata', provider: 'test', modelId: 'requested' },
      { type: 'text-delta', delta: 'partial' },
    ])
    expect(InvalidResponseError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('ended before the provider sent its terminal event')
    await expect(stream.response).rejects.toBe(error)
  })

  it('maps what the source throws mid-stream to a typed error, keeping what arrived', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    const stream = createChatStream({
      provider: 'p',
      modelId: 'm',
      mapError: (error) =>
        new UnavailableError({ message: `mapped: ${(error as Error).message}`, cause: error }),
      start: async function* () {
        yield { type: 'text-delta', delta: 'a' }
        throw reset
      },
    })
    const { events, error } = await failureOf(stream)
    expect(events.map((e) => e.type)).toEqual(['metadata', 'text-delta'])
    expect(UnavailableError.isInstance(error)).toBe(true)
    expect((error as QlError).cause).toBe(reset)
    expect((error as Error).message).toBe('mapped: socket hang up')
  })

  it('passes typed errors through and wraps unknown ones without mapError', async () => {
    const typed = new RateLimitedError({ message: 'in-stream 429' })
    const a = createChatStream({
      provider: 'p',
      modelId: 'm',
      start: () => {
        throw typed
      },
    })
    await expect(a.response).rejects.toBe(typed)
    const b = createChatStream({
      provider: 'p',
      modelId: 'm',
      start: async function* () {
        yield* []
        throw 'weird'
      },
    })
    const error = await b.response.catch((e: unknown) => e)
    expect(UnknownError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ retryable: false, provider: 'p', modelId: 'm' })
    expect((error as Error).message).toBe('the p model failed with an unexpected error: weird')
  })

  it('rejects tool arguments that are not JSON with the tool name and raw text', async () => {
    const stream = fromParts([
      { type: 'tool-call-delta', toolCallId: 'a', toolName: 'f', inputDelta: '{"x": ' },
      { type: 'finish', finishReason: 'tool-calls' },
    ])
    const error = await stream.response.catch((e: unknown) => e)
    expect(InvalidToolInputError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ toolName: 'f', rawInput: '{"x": ', retryable: true })
  })

  it.each<[string, ChatStreamPart[], string]>([
    [
      'content after finish',
      [
        { type: 'finish', finishReason: 'stop' },
        { type: 'text-delta', delta: 'late' },
      ],
      "sent 'text-delta' after its finish event",
    ],
    [
      'a tool call without a name',
      [{ type: 'tool-call-delta', toolCallId: 'x', toolName: '', inputDelta: '{}' }],
      'without a tool name',
    ],
    ['an end for an unknown call', [{ type: 'tool-call-end', toolCallId: 'x' }], 'ended before it started'],
    [
      'arguments after the end of a call',
      [
        { type: 'tool-call-delta', toolCallId: 'x', toolName: 'f', inputDelta: '{}' },
        { type: 'tool-call-end', toolCallId: 'x' },
        { type: 'tool-call-delta', toolCallId: 'x', toolName: 'f', inputDelta: '{}' },
      ],
      'received arguments after it ended',
    ],
  ])('rejects a protocol violation: %s', async (_name, parts, message) => {
    const error = await fromParts(parts).response.catch((e: unknown) => e)
    expect(InvalidResponseError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain(message)
  })

  it('aborts the source when the caller aborts, and surfaces AbortedError', async () => {
    const closed = { value: false }
    const controller = new AbortController()
    const stream = createChatStream({
      provider: 'p',
      modelId: 'm',
      signal: controller.signal,
      start: stalling([{ type: 'text-delta', delta: 'a' }], closed),
    })
    const iterator = stream[Symbol.asyncIterator]()
    expect((await iterator.next()).value?.type).toBe('metadata')
    expect(await iterator.next()).toEqual({ done: false, value: { type: 'text-delta', delta: 'a' } })
    const pending = iterator.next()
    controller.abort(new Error('user left'))
    const error = await pending.catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(((error as QlError).cause as Error).message).toBe('user left')
    expect(closed.value).toBe(true)
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
  })

  it('fails with TimeoutError when the stream outlives timeoutMs (fake timers)', async () => {
    vi.useFakeTimers()
    const closed = { value: false }
    const stream = createChatStream({
      provider: 'p',
      modelId: 'm',
      timeoutMs: 5000,
      start: stalling([], closed),
    })
    const result = stream.response.catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(4999)
    expect(closed.value).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const error = await result
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ timeoutMs: 5000, retryable: true })
    expect(closed.value).toBe(true)
  })

  it('closes the source when the consumer stops early, with no signal made when none was given', async () => {
    const closed = { value: false }
    let given: AbortSignal | undefined | 'not called' = 'not called'
    const stream = createChatStream({
      provider: 'p',
      modelId: 'm',
      start: (signal) => {
        given = signal
        return stalling([{ type: 'text-delta', delta: 'a' }], closed)(signal)
      },
    })
    for await (const _event of stream) break
    expect(given).toBeUndefined()
    expect(closed.value).toBe(true)
    await expect(stream.response).rejects.toSatisfy(AbortedError.isInstance)
  })

  it('cancels the provider call when the consumer stops early', async () => {
    let sourceSignal: AbortSignal | undefined
    const closed = { value: false }
    const stream = createChatStream({
      provider: 'p',
      modelId: 'm',
      signal: new AbortController().signal,
      start: (signal) => {
        sourceSignal = signal
        return stalling(
          [
            { type: 'text-delta', delta: 'a' },
            { type: 'text-delta', delta: 'b' },
          ],
          closed,
        )(signal)
      },
    })
    for await (const event of stream) {
      expect(event.type).toBe('metadata')
      break
    }
    expect(sourceSignal?.aborted).toBe(true)
    expect(closed.value).toBe(true)
    const error = await stream.response.catch((e: unknown) => e)
    expect(AbortedError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('closed by its consumer')
  })

  it('drains by itself when only the response is awaited, and still replays the events', async () => {
    const stream = fromParts([
      { type: 'text-delta', delta: 'hi' },
      { type: 'finish', finishReason: 'stop' },
    ])
    const response = await stream.response
    expect(response.text).toBe('hi')
    const events = await collect(stream)
    expect(events.map((e) => e.type)).toEqual(['metadata', 'text-delta', 'finish'])
  })

  it('cancels the call when the consumer breaks, even while a logger awaits the response', async () => {
    let sourceSignal: AbortSignal | undefined
    const closed = { value: false }
    const stream = createChatStream({
      provider: 'p',
      modelId: 'm',
      timeoutMs: 60_000,
      start: (signal) => {
        sourceSignal = signal
        return stalling([{ type: 'text-delta', delta: 'x' }], closed)(signal)
      },
    })
    const logged = stream.response.then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    )
    for await (const event of stream) if (event.type === 'text-delta') break
    expect(sourceSignal?.aborted).toBe(true)
    expect(closed.value).toBe(true)
    const outcome = await logged
    expect('error' in outcome && AbortedError.isInstance(outcome.error)).toBe(true)
  })

  it('lets a consumer that read the response first iterate every event without a second pull loop', async () => {
    let pulls = 0
    const stream = createChatStream({
      provider: 'p',
      modelId: 'm',
      start: async function* () {
        for (const part of [
          { type: 'text-delta', delta: 'a' },
          { type: 'text-delta', delta: 'b' },
          { type: 'finish', finishReason: 'stop' },
        ] as ChatStreamPart[]) {
          pulls++
          yield part
        }
      },
    })
    const response = stream.response
    const seen: string[] = []
    for await (const event of stream) {
      seen.push(`${event.type}@${pulls}`)
    }
    // the iteration drove the source one part per event: nothing was read ahead of the consumer
    expect(seen).toEqual(['metadata@1', 'text-delta@1', 'text-delta@2', 'finish@3'])
    expect((await response).text).toBe('ab')
  })

  it('can be iterated only once', async () => {
    const stream = fromParts([{ type: 'finish', finishReason: 'stop' }])
    stream[Symbol.asyncIterator]()
    expect(() => stream[Symbol.asyncIterator]()).toThrow('a ChatStream can be iterated only once')
  })
})

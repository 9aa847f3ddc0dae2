import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AbortedError,
  InvalidRequestError,
  isChatModel,
  OverloadedError,
  TimeoutError,
  UnavailableError,
  UnknownError,
} from '../src/index'
import { createMockChatModel } from '../src/testing/index'

const hi = { messages: [{ role: 'user' as const, content: 'hi' }] }

afterEach(() => {
  vi.useRealTimers()
})

describe('createMockChatModel', () => {
  it('is a ChatModel that answers in script order and records every call', async () => {
    const model = createMockChatModel({
      script: [{ text: 'first', usage: { inputTokens: 3, outputTokens: 1 } }, { text: 'second' }],
    })
    expect(isChatModel(model)).toBe(true)
    const first = await model.generate(hi, { metadata: { tag: 'a' } })
    expect(first).toMatchObject({
      text: 'first',
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 1 },
    })
    expect(first.provider).toBe('mock')
    const second = await model.stream(hi).response
    expect(second.text).toBe('second')
    expect(model.calls.map((c) => c.method)).toEqual(['generate', 'stream'])
    expect(model.calls[0]?.options?.metadata).toEqual({ tag: 'a' })
    await expect(model.generate(hi)).rejects.toThrow('mock model script has 2 steps, but call 3 was made')
  })

  it('fails the same way from generate and stream when the script runs out: a non-retryable error', async () => {
    const model = createMockChatModel({ script: [] })
    const fromGenerate = await model.generate(hi).catch((error: unknown) => error)
    const fromStream = await model.stream(hi).response.catch((error: unknown) => error)
    for (const error of [fromGenerate, fromStream]) {
      expect(UnknownError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ code: 'unknown', retryable: false, provider: 'mock' })
    }
    expect((fromStream as Error).message.replace('call 2', 'call 1')).toBe((fromGenerate as Error).message)
  })

  it('streams and generates the same response for the same answer', async () => {
    const answer = {
      reasoning: 'let me see',
      text: 'calling the tool now',
      toolCalls: [{ name: 'search', input: { q: 'tree-sitter', limit: 3 } }],
      chunkSize: 3,
    }
    const model = createMockChatModel({ script: () => answer })
    const generated = await model.generate(hi)
    const stream = model.stream(hi)
    const types = new Set<string>()
    for await (const event of stream) types.add(event.type)
    expect(await stream.response).toEqual(generated)
    expect(generated.finishReason).toBe('tool-calls')
    expect(generated.toolCalls).toEqual([
      { id: 'call_1', name: 'search', input: { q: 'tree-sitter', limit: 3 } },
    ])
    expect([...types]).toEqual([
      'metadata',
      'reasoning-delta',
      'reasoning-end',
      'text-delta',
      'tool-call-delta',
      'tool-call',
      'usage',
      'finish',
    ])
  })

  it('fails as scripted: before the call, and mid-stream after some events', async () => {
    const model = createMockChatModel({
      script: [
        { error: new OverloadedError({ message: 'busy', status: 529 }) },
        { error: new OverloadedError({ message: 'busy again' }) },
        {
          text: 'abcdefgh',
          chunkSize: 2,
          failAfter: { events: 2, error: new UnavailableError({ message: 'reset' }) },
        },
      ],
    })
    await expect(model.generate(hi)).rejects.toSatisfy(OverloadedError.isInstance)
    await expect(model.stream(hi).response).rejects.toThrow('busy again')
    const deltas: string[] = []
    const stream = model.stream(hi)
    await expect(
      (async () => {
        for await (const event of stream) if (event.type === 'text-delta') deltas.push(event.delta)
      })(),
    ).rejects.toSatisfy(UnavailableError.isInstance)
    expect(deltas).toEqual(['ab', 'cd'])
  })

  it('validates requests the way a real adapter does', async () => {
    const model = createMockChatModel({ script: [{ text: 'x' }, { text: 'y' }] })
    const bad = {
      messages: [
        { role: 'tool' as const, content: [{ type: 'tool-result' as const, toolCallId: 'nope', output: 1 }] },
      ],
    }
    await expect(model.generate(bad)).rejects.toSatisfy(InvalidRequestError.isInstance)
    await expect(model.stream(bad).response).rejects.toSatisfy(InvalidRequestError.isInstance)
  })

  it('delays answers on timers that abort and timeout interrupt', async () => {
    vi.useFakeTimers()
    const model = createMockChatModel({ script: () => ({ text: 'late', delayMs: 10_000 }) })
    const controller = new AbortController()
    const aborted = model.generate(hi, { signal: controller.signal }).catch((e: unknown) => e)
    controller.abort()
    expect(AbortedError.isInstance(await aborted)).toBe(true)

    const timedOut = model.stream(hi, { timeoutMs: 1000 }).response.catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1000)
    expect(TimeoutError.isInstance(await timedOut)).toBe(true)

    const onTime = model.generate(hi)
    await vi.advanceTimersByTimeAsync(10_000)
    expect((await onTime).text).toBe('late')
  })
})

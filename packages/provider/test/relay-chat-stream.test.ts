import { describe, expect, it } from 'vitest'
import {
  AbortedError,
  type ChatStream,
  type ChatStreamEvent,
  type ChatStreamPart,
  createChatStream,
  InvalidResponseError,
  RateLimitedError,
  relayChatStream,
  UnknownError,
} from '../src/index'

const answer: ChatStreamPart[] = [
  { type: 'metadata', id: 'resp_1', modelId: 'answered', requestId: 'req_1', headers: { 'x-a': '1' } },
  { type: 'reasoning-delta', delta: 'think' },
  { type: 'reasoning-end', signature: 'sig' },
  { type: 'text-delta', delta: 'Hello ' },
  { type: 'tool-call-delta', toolCallId: 'a', toolName: 'f', inputDelta: '{"x":' },
  { type: 'text-delta', delta: 'world' },
  { type: 'tool-call-delta', toolCallId: 'a', toolName: '', inputDelta: '1}' },
  { type: 'tool-call-end', toolCallId: 'a' },
  { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
  { type: 'warning', warning: { type: 'other', message: 'w' } },
  { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
]

/** A provider stream over `parts`; `state` says whether its source was closed and its signal fired. */
function inner(parts: ChatStreamPart[], state = { closed: false, aborted: false }, stallAfter?: number) {
  return createChatStream({
    provider: 'p',
    modelId: 'requested',
    signal: new AbortController().signal, // a caller's signal: the call gets one to abort
    start: async function* (signal) {
      try {
        for (const [index, part] of parts.entries()) {
          if (index === stallAfter) {
            await new Promise((_, reject) => {
              signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
            })
          }
          yield part
        }
      } finally {
        state.closed = true
        state.aborted = signal?.aborted === true
      }
    },
  })
}

async function collect(stream: ChatStream) {
  const events: ChatStreamEvent[] = []
  for await (const event of stream) events.push(event)
  return { events, response: await stream.response }
}

async function failure(stream: ChatStream) {
  const events: ChatStreamEvent[] = []
  try {
    for await (const event of stream) events.push(event)
  } catch (error) {
    await expect(stream.response).rejects.toBe(error)
    return { events, error }
  }
  throw new Error('expected the relayed stream to fail')
}

describe('relayChatStream', () => {
  it('forwards every event as it is, and the inner response', async () => {
    const direct = await collect(inner(answer))
    const relayed = await collect(relayChatStream(inner(answer)))
    expect(relayed.events).toEqual(direct.events)
    expect(relayed.response).toEqual(direct.response)
    expect(relayed.response.headers).toEqual({ 'x-a': '1' })
  })

  it('rebuilds a response equal to the inner one through an identity map', async () => {
    const direct = await collect(inner(answer))
    const relayed = await collect(relayChatStream(inner(answer), { map: (event) => event }))
    expect(relayed.response).toEqual(direct.response)
    expect((relayed.response.message.content as { type: string }[]).map((part) => part.type)).toEqual([
      'reasoning',
      'text',
      'tool-call',
      'text',
    ])
  })

  it('rebuilds the response from mapped events: rewritten, dropped and added deltas, async maps', async () => {
    const relayed = await collect(
      relayChatStream(inner(answer), {
        map: async (event) => {
          if (event.type === 'text-delta') return [event, { ...event, delta: event.delta.toUpperCase() }]
          if (event.type === 'reasoning-delta') return null
          if (event.type === 'tool-call')
            return { ...event, toolCall: { ...event.toolCall, input: { x: 2 } } }
          if (event.type === 'metadata') return { ...event, provider: 'router', modelId: 'renamed' }
          return event
        },
      }),
    )
    expect(relayed.response.text).toBe('Hello HELLO worldWORLD')
    expect(relayed.response.toolCalls).toEqual([{ id: 'a', name: 'f', input: { x: 2 } }])
    expect(relayed.response.reasoning).toBe('')
    expect(relayed.response.provider).toBe('router')
    expect(relayed.response.modelId).toBe('renamed')
    // what the map left alone comes from the inner response
    expect(relayed.response).toMatchObject({
      id: 'resp_1',
      requestId: 'req_1',
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 3, outputTokens: 4 },
      warnings: [{ type: 'other', message: 'w' }],
    })
    const finish = relayed.events.at(-1)
    expect(finish?.type === 'finish' && finish.response).toEqual(relayed.response)
  })

  it('passes the inner typed error through as the same object', async () => {
    const limited = new RateLimitedError({ message: 'slow down', retryAfterMs: 10 })
    const source = createChatStream({
      provider: 'p',
      modelId: 'm',
      start: async function* () {
        yield { type: 'text-delta', delta: 'a' }
        throw limited
      },
    })
    const { events, error } = await failure(relayChatStream(source, { map: (event) => event }))
    expect(error).toBe(limited)
    expect(events.map((event) => event.type)).toEqual(['metadata', 'text-delta'])
  })

  it('turns an error thrown by the map into a typed, non-retryable error and cancels the inner call', async () => {
    const state = { closed: false, aborted: false }
    const { error } = await failure(
      relayChatStream(inner(answer, state, 5), {
        map: (event) => {
          if (event.type === 'tool-call-delta') throw new Error('guardrail bug')
          return event
        },
      }),
    )
    expect(UnknownError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ retryable: false, provider: 'p' })
    expect((error as Error).message).toContain('guardrail bug')
    expect(state).toEqual({ closed: true, aborted: true })
  })

  it('fails when the map drops the finish event: never a silently shortened answer', async () => {
    const { error, events } = await failure(
      relayChatStream(inner(answer), { map: (event) => (event.type === 'finish' ? undefined : event) }),
    )
    expect(InvalidResponseError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('ended without its finish event')
    expect(events.some((event) => event.type === 'text-delta')).toBe(true)
  })

  it('cancels the inner call when the consumer breaks out, and rejects the response', async () => {
    const state = { closed: false, aborted: false }
    const relayed = relayChatStream(inner(answer, state, 4))
    for await (const event of relayed) if (event.type === 'text-delta') break
    expect(state).toEqual({ closed: true, aborted: true })
    await expect(relayed.response).rejects.toSatisfy(AbortedError.isInstance)
  })

  it('makes the inner stream lazily from a function, sync or async, and types what that throws', async () => {
    let made = 0
    const lazy = relayChatStream(async () => {
      made++
      return inner(answer)
    })
    expect(made).toBe(0)
    expect((await lazy.response).text).toBe('Hello world')
    expect(made).toBe(1)
    const broken = relayChatStream(() => {
      throw 'no stream'
    })
    const error = await broken.response.catch((e: unknown) => e)
    expect(UnknownError.isInstance(error)).toBe(true)
  })

  it('closes a lazily made inner stream when the consumer left before it was made', async () => {
    const state = { closed: false, aborted: false }
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const relayed = relayChatStream(async () => {
      await gate
      return inner(answer, state)
    })
    const iterator = relayed[Symbol.asyncIterator]()
    const first = iterator.next()
    const closing = iterator.return?.()
    release()
    await closing
    await first.catch(() => {})
    await expect(relayed.response).rejects.toSatisfy(AbortedError.isInstance)
    // the inner stream was made and closed before it ever started its call
    expect(state.closed).toBe(false)
  })
})

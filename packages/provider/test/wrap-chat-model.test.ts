import { describe, expect, it } from 'vitest'
import {
  type ChatRequest,
  type ChatStreamEvent,
  createChatResponse,
  isChatModel,
  OverloadedError,
  relayChatStream,
  UnknownError,
  wrapChatModel,
} from '../src/index'
import { createMockChatModel } from '../src/testing/index'

const hi: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] }

describe('wrapChatModel', () => {
  it('is a ChatModel that passes calls through when the middleware has no hooks', async () => {
    const model = createMockChatModel({ script: [{ text: 'one' }, { text: 'two' }] })
    const wrapped = wrapChatModel(model, {})
    expect(isChatModel(wrapped)).toBe(true)
    expect([wrapped.provider, wrapped.modelId]).toEqual(['mock', 'mock-model'])
    expect((await wrapped.generate(hi)).text).toBe('one')
    expect((await wrapped.stream(hi).response).text).toBe('two')
  })

  it('transforms the request for both methods, and runs links outermost first', async () => {
    const model = createMockChatModel({ script: () => ({ text: 'ok' }) })
    const order: string[] = []
    const tag = (name: string) => ({
      transformRequest: async ({ request, method }: { request: ChatRequest; method: string }) => {
        order.push(`${name}:${method}`)
        return { ...request, system: `${request.system ?? ''}${name}` }
      },
    })
    const wrapped = wrapChatModel(model, [tag('a'), tag('b')])
    await wrapped.generate(hi)
    await wrapped.stream(hi).response
    expect(order).toEqual(['a:generate', 'b:generate', 'a:stream', 'b:stream'])
    expect(model.calls.map((call) => call.request.system)).toEqual(['ab', 'ab'])
  })

  it('lets wrapGenerate answer without the inner model (a cache hit)', async () => {
    const model = createMockChatModel({ script: [] })
    const cached = createChatResponse({
      content: [{ type: 'text', text: 'from cache' }],
      finishReason: 'stop',
      usage: { inputTokens: 0, outputTokens: 0 },
      provider: 'cache',
      modelId: 'm',
    })
    const wrapped = wrapChatModel(model, {
      wrapGenerate: async () => cached,
      provider: 'cached',
      modelId: 'c',
    })
    expect(await wrapped.generate(hi)).toBe(cached)
    expect(model.calls).toHaveLength(0)
    expect([wrapped.provider, wrapped.modelId]).toEqual(['cached', 'c'])
  })

  it('turns what a hook throws into the same typed error from generate and stream', async () => {
    const model = createMockChatModel({ script: () => ({ text: 'ok' }) })
    const broken = wrapChatModel(model, {
      transformRequest: () => {
        throw new Error('bad hook')
      },
    })
    const fromGenerate = await broken.generate(hi).catch((e: unknown) => e)
    const fromStream = await broken.stream(hi).response.catch((e: unknown) => e)
    for (const error of [fromGenerate, fromStream]) {
      expect(UnknownError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ retryable: false, provider: 'mock' })
      expect((error as Error).message).toContain('bad hook')
    }
    const throwsSync = wrapChatModel(model, {
      wrapStream: () => {
        throw new Error('sync throw')
      },
    })
    const stream = throwsSync.stream(hi) // returns at once, fails through the iteration
    const error = await stream.response.catch((e: unknown) => e)
    expect(UnknownError.isInstance(error)).toBe(true)
  })

  it('keeps the inner typed error as the same object', async () => {
    const overloaded = new OverloadedError({ message: 'busy' })
    const model = createMockChatModel({ script: [{ error: overloaded }, { error: overloaded }] })
    const wrapped = wrapChatModel(model, {
      transformRequest: async ({ request }) => request,
      wrapGenerate: ({ doGenerate }) => doGenerate(),
      wrapStream: ({ doStream }) => relayChatStream(doStream(), { map: (event) => event }),
    })
    await expect(wrapped.generate(hi)).rejects.toBe(overloaded)
    await expect(wrapped.stream(hi).response).rejects.toBe(overloaded)
  })

  it('observes a stream without changing it, and a break reaches the inner call', async () => {
    const model = createMockChatModel({ script: () => ({ text: 'abcdefghijklmnop', chunkSize: 2 }) })
    const seen: string[] = []
    const logged = wrapChatModel(model, {
      wrapStream: ({ doStream }) =>
        relayChatStream(doStream(), {
          map: (event: ChatStreamEvent) => {
            seen.push(event.type)
            return event
          },
        }),
    })
    const stream = logged.stream(hi)
    const response = stream.response // a logger awaiting the response must not keep the call alive
    for await (const event of stream) if (event.type === 'text-delta') break
    await expect(response).rejects.toMatchObject({ code: 'aborted' })
    expect(seen).toEqual(['metadata', 'text-delta'])
  })
})

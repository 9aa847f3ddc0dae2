import { type ChatStreamPart, isQlError, type QlError } from '@ql/provider'
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions'
import { describe, expect, it } from 'vitest'
import { mapOpenAICompletion } from '../src/openai/map-openai-completion'
import { mapOpenAIError } from '../src/openai/map-openai-error'
import { mapOpenAIFinishReason } from '../src/openai/map-openai-finish-reason'
import { mapOpenAIUsage } from '../src/openai/map-openai-usage'
import { OpenAIStreamParts } from '../src/openai/openai-stream-parts'
import { SSE_DONE_WATCH, type SseDoneWatch, watchSseDone } from '../src/openai/watch-sse-done'

/**
 * The pure mapping functions, fed shapes a fake cannot produce on purpose (servers that leave
 * out ids, names or choices; SDK errors raised by its own timeouts). The wire behaviour is covered
 * end to end in openai.test.ts and the conformance suite.
 */

const context = { provider: 'openai', modelId: 'gpt-4o-mini', secrets: ['the-secret-key-123'] }

async function* from(chunks: Partial<ChatCompletionChunk>[]): AsyncGenerator<ChatCompletionChunk> {
  for (const chunk of chunks)
    yield {
      id: 'c',
      model: 'm',
      object: 'chat.completion.chunk',
      created: 0,
      ...chunk,
    } as ChatCompletionChunk
}

/** Runs the synchronous mapper over chunks the way createChatStream does, collecting the parts. */
async function* toOpenAIStreamParts(
  chunks: AsyncIterable<ChatCompletionChunk>,
  context: { provider: string; warnings: unknown[]; requireUsageChunk: boolean; watch?: SseDoneWatch },
): AsyncGenerator<ChatStreamPart> {
  const mapper = new OpenAIStreamParts(context)
  const out: ChatStreamPart[] = []
  const emit = (part: ChatStreamPart) => out.push(part)
  for await (const chunk of chunks) {
    mapper.map(chunk, emit)
    yield* out.splice(0)
  }
  mapper.end(emit)
  yield* out.splice(0)
}

async function parts(chunks: Partial<ChatCompletionChunk>[], requireUsageChunk = false) {
  const result: ChatStreamPart[] = []
  for await (const part of toOpenAIStreamParts(from(chunks), {
    provider: 'p',
    warnings: [],
    requireUsageChunk,
  })) {
    result.push(part)
  }
  return result
}

async function failure(promise: Promise<unknown>): Promise<QlError> {
  try {
    await promise
  } catch (error) {
    if (isQlError(error)) return error
    throw error
  }
  throw new Error('expected a failure')
}

const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({
  choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] as ChatCompletionChunk['choices'],
})

describe('toOpenAIStreamParts', () => {
  it('names tool calls that arrive without an id, and reads `reasoning` (Ollama, LM Studio)', async () => {
    const result = await parts([
      choice({ reasoning: 'hmm' }),
      choice({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{"a":' } }] }),
      choice({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      choice({}, 'tool_calls'),
    ])
    expect(result).toEqual([
      { type: 'metadata', id: 'c', modelId: 'm' },
      { type: 'reasoning-delta', delta: 'hmm' },
      { type: 'tool-call-delta', toolCallId: 'p-call-0', toolName: 'f', inputDelta: '{"a":' },
      { type: 'tool-call-delta', toolCallId: 'p-call-0', toolName: 'f', inputDelta: '1}' },
      { type: 'tool-call-end', toolCallId: 'p-call-0' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    ])
  })

  it('fails on a tool call that starts without a function name', async () => {
    const error = await failure(
      parts([choice({ tool_calls: [{ index: 0, id: 'x', function: { arguments: '{}' } }] })]),
    )
    expect(error.code).toBe('invalid_response')
  })

  it('trusts the [DONE] watch over the usage chunk when the watch saw the response', async () => {
    const run = async (watch: SseDoneWatch) => {
      const result: ChatStreamPart[] = []
      const context = { provider: 'p', warnings: [], requireUsageChunk: true, watch }
      for await (const part of toOpenAIStreamParts(from([choice({}, 'stop')]), context)) result.push(part)
      return result
    }
    expect((await run({ observed: true, sawDone: true })).at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
    })
    expect((await failure(run({ observed: true, sawDone: false }))).message).toContain('[DONE]')
  })

  it('fails on a stream without a finish_reason, and on one without the required usage chunk', async () => {
    expect((await failure(parts([choice({ content: 'a' })]))).message).toContain('finish_reason')
    expect((await failure(parts([choice({ content: 'a' }, 'stop')], true))).message).toContain('usage chunk')
  })
})

describe('watchSseDone', () => {
  const respond = (pieces: string[]) => async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const piece of pieces) controller.enqueue(new TextEncoder().encode(piece))
          controller.close()
        },
      }),
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    )

  const watched = async (pieces: string[]) => {
    const watch: SseDoneWatch = { observed: false, sawDone: false }
    const response = await watchSseDone(respond(pieces))('http://x', {
      [SSE_DONE_WATCH]: watch,
    } as RequestInit)
    // read the body the way the SDK does: through its async iterator
    let text = ''
    const decoder = new TextDecoder()
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true })
    }
    return { watch, text, response }
  }

  it('sees data: [DONE] split across chunks, and passes the bytes through', async () => {
    const { watch, text, response } = await watched(['data: {"a":1}\n\nda', 'ta: [DO', 'NE]\n\n'])
    expect(watch).toEqual({ observed: true, sawDone: true })
    expect(text).toBe('data: {"a":1}\n\ndata: [DONE]\n\n')
    expect(response.headers.get('content-type')).toBe('text/event-stream')
  })

  it('sees a final [DONE] without a trailing newline, and not [DONE] inside content', async () => {
    expect((await watched(['data: [DONE]'])).watch.sawDone).toBe(true)
    expect((await watched(['data: {"content":"data: [DONE]"}\n\n'])).watch).toEqual({
      observed: true,
      sawDone: false,
    })
  })

  it('sees every split of the marker, and only at the start of a line', async () => {
    const stream = 'data: {"a":1}\n\ndata: [DONE]\n\n'
    for (let cut = 1; cut < stream.length; cut++) {
      const { watch, text } = await watched([stream.slice(0, cut), stream.slice(cut)])
      expect(watch.sawDone, `cut at ${cut}`).toBe(true)
      expect(text).toBe(stream)
    }
    const inside = 'data: {"c":"x"}\n\nxdata: [DONE]\n\n'
    for (let cut = 1; cut < inside.length; cut++) {
      const { watch } = await watched([inside.slice(0, cut), inside.slice(cut)])
      expect(watch.sawDone, `cut at ${cut}`).toBe(false)
    }
    expect((await watched(['data:[DONE]\r\n\r\n'])).watch.sawDone).toBe(true)
  })

  it('leaves calls without a watch, and error responses, alone', async () => {
    const original = await respond(['{}'])()
    const response = await watchSseDone(async () => original)('http://x', {})
    expect(response).toBe(original)
    const failed = new Response('{"error":{}}', { status: 500 })
    const watch: SseDoneWatch = { observed: false, sawDone: false }
    const passed = await watchSseDone(async () => failed)('http://x', {
      [SSE_DONE_WATCH]: watch,
    } as RequestInit)
    expect(passed).toBe(failed)
    expect(await passed.text()).toBe('{"error":{}}')
    expect(watch.observed).toBe(false)
  })
})

describe('mapOpenAICompletion', () => {
  const completion = (extra: Partial<ChatCompletion>) =>
    ({ id: 'x', model: '', object: 'chat.completion', created: 0, ...extra }) as ChatCompletion

  it('fails on an answer without choices', () => {
    expect(() => mapOpenAICompletion(completion({ choices: [] }), { ...context, warnings: [] })).toThrow(
      /without any choice/,
    )
  })

  it('keeps a refusal, skips non-function tool calls, and falls back to the requested model id', () => {
    const response = mapOpenAICompletion(
      completion({
        choices: [
          {
            index: 0,
            logprobs: null,
            finish_reason: 'stop',
            message: {
              role: 'assistant',
              content: null,
              refusal: 'I cannot help with that.',
              tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'x', input: 'y' } }],
            },
          },
        ],
      }),
      { ...context, warnings: [] },
    )
    expect(response).toMatchObject({
      modelId: 'gpt-4o-mini',
      text: '',
      toolCalls: [],
      providerMetadata: { openai: { refusal: 'I cannot help with that.' } },
      usage: { inputTokens: 0, outputTokens: 0 },
    })
  })
})

describe('mapOpenAIFinishReason and mapOpenAIUsage', () => {
  it('maps the legacy function_call and unknown reasons', () => {
    expect(mapOpenAIFinishReason('function_call')).toBe('tool-calls')
    expect(mapOpenAIFinishReason(null)).toBe('other')
    expect(mapOpenAIFinishReason('eos')).toBe('other')
  })

  it('leaves out details a server does not report', () => {
    expect(mapOpenAIUsage({ prompt_tokens: 5, completion_tokens: 1 })).toEqual({
      inputTokens: 5,
      outputTokens: 1,
    })
  })
})

describe('mapOpenAIError', () => {
  it('maps SDK connection errors, timeouts and aborts', () => {
    expect(mapOpenAIError(new APIConnectionTimeoutError(), context).code).toBe('timeout')
    expect(mapOpenAIError(new APIUserAbortError(), context).code).toBe('aborted')
    const refused = new APIConnectionError({
      cause: Object.assign(new Error('connect failed'), { cause: { code: 'ECONNREFUSED' } }),
    })
    const error = mapOpenAIError(refused, context)
    expect(error.code).toBe('unavailable')
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('maps an in-stream error without a known code to UnavailableError, and other failures too', () => {
    expect(
      mapOpenAIError(new APIError(undefined, { message: 'odd' }, undefined, undefined), context).code,
    ).toBe('unavailable')
    expect(mapOpenAIError(new TypeError('terminated'), context).code).toBe('unavailable')
    expect(mapOpenAIError('a string', context).code).toBe('unavailable')
  })

  it('redacts the key from every part of the error', () => {
    const sdkError = new APIError(
      401,
      { message: 'bad key the-secret-key-123', code: 'invalid_api_key' },
      undefined,
      new Headers({ 'x-echo': 'the-secret-key-123' }),
    )
    const error = mapOpenAIError(sdkError, context)
    expect(error.code).toBe('authentication')
    expect(JSON.stringify(error.toJSON())).not.toContain('the-secret-key-123')
    expect(error.message).toContain('[REDACTED]')
  })
})

import { describe, expect, it } from 'vitest'
import { type FakeProvider, type FakeStep, startFakeProvider } from '../src/testing/index'

/** These tests speak raw HTTP to the fake (no SDK), to pin down the bytes it puts on the wire. */

const start = (script: FakeStep[] = []) => startFakeProvider({ protocol: 'openai', script })

function post(fake: FakeProvider, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fake.baseURL}/chat/completions?api-version=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer fake-key', ...headers },
    body: JSON.stringify(body),
  })
}

const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }
const askStream = { ...ask, stream: true, stream_options: { include_usage: true } }

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true)
      return frame.slice('data: '.length)
    })
}

describe('startFakeProvider (openai)', () => {
  it('answers Chat Completions JSON and records the request as received', async () => {
    await using fake = await start([
      {
        text: 'Hello',
        usage: { inputTokens: 12, outputTokens: 2, cachedInputTokens: 8, reasoningTokens: 1 },
      },
    ])
    expect(fake.protocol).toBe('openai')
    expect(fake.baseURL).toBe(`${fake.url}/v1`)
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(fake.pending).toBe(1)
    const response = await post(fake, ask, { 'X-Custom': 'yes' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('x-request-id')).toBe('req_fake_1')
    expect(await response.json()).toEqual({
      id: 'chatcmpl-fake-1',
      object: 'chat.completion',
      created: 1_750_000_000,
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_fake',
      service_tier: 'default',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 2,
        total_tokens: 14,
        prompt_tokens_details: { cached_tokens: 8, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 1,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
    })
    expect(fake.pending).toBe(0)
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: expect.objectContaining({ authorization: 'Bearer fake-key', 'x-custom': 'yes' }),
        body: ask,
        stream: false,
      },
    ])
  })

  it('renders tool calls, the answering model, finish reasons and extra headers', async () => {
    await using fake = await start()
    fake.enqueue(
      {
        toolCalls: [{ id: 'call_9', name: 'lookup', input: { q: 'x' } }],
        model: 'gpt-4o-2024',
        headers: { 'x-a': '1' },
      },
      { text: 'cut', finishReason: 'length' },
      { text: 'no', finishReason: 'content-filter' },
    )
    const first = await post(fake, ask)
    expect(first.headers.get('x-a')).toBe('1')
    const body = (await first.json()) as {
      model: string
      choices: { message: unknown; finish_reason: string }[]
    }
    expect(body.model).toBe('gpt-4o-2024')
    expect(body.choices[0]).toMatchObject({
      message: {
        content: null,
        tool_calls: [
          { id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    })
    const reasons = []
    for (let i = 0; i < 2; i++)
      reasons.push(((await (await post(fake, ask)).json()) as any).choices[0].finish_reason)
    expect(reasons).toEqual(['length', 'content_filter'])
  })

  it('answers HTTP 500 saying the script ran out when no step is left', async () => {
    await using fake = await start()
    const response = await post(fake, ask)
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: { message: 'fake openai script exhausted at request 1' } })
  })

  it('streams SSE chunks: role, content, tool calls by index, finish, usage, [DONE]', async () => {
    await using fake = await start([
      {
        text: 'Hey you',
        toolCalls: [
          { id: 'call_a', name: 'a', input: { n: 1 } },
          { id: 'call_b', name: 'b', input: {} },
        ],
        chunkSize: 4,
        usage: { inputTokens: 3, outputTokens: 4 },
      },
    ])
    const response = await post(fake, askStream)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const data = sseData(await response.text())
    expect(data.at(-1)).toBe('[DONE]')
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d))
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: 'chatcmpl-fake-1',
        object: 'chat.completion.chunk',
        model: 'gpt-4o-mini',
      })
    }
    const deltas = chunks.slice(0, -1).map((c) => c.choices[0].delta)
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true)
    expect(deltas).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { content: 'Hey ' },
      { content: 'you' },
      { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"n"' } }] },
      { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] },
      { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      {},
    ])
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls')
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } })
    expect(fake.requests[0]?.stream).toBe(true)
  })

  it('sends no usage chunk unless stream_options.include_usage is set', async () => {
    await using fake = await start([{ text: 'Hi' }])
    const data = sseData(await (await post(fake, { ...ask, stream: true })).text())
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d))
    expect(chunks.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true)
    expect(data.at(-1)).toBe('[DONE]')
  })

  it('renders HTTP errors as OpenAI error bodies, with the scripted headers', async () => {
    await using fake = await start([
      { fault: { type: 'http', status: 429, headers: { 'retry-after': '3' }, message: 'Slow down' } },
      { fault: { type: 'http', status: 400, errorType: 'context_length_exceeded', message: 'too long' } },
      { fault: { type: 'http', status: 503 } },
    ])
    const limited = await post(fake, ask)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    expect(await limited.json()).toEqual({
      error: { message: 'Slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    })
    expect(await (await post(fake, ask)).json()).toEqual({
      error: {
        message: 'too long',
        type: 'invalid_request_error',
        param: null,
        code: 'context_length_exceeded',
      },
    })
    const unavailable = await post(fake, askStream)
    expect(unavailable.status).toBe(503)
    expect(await unavailable.json()).toMatchObject({ error: { type: 'server_error', code: null } })
  })

  it('sends an error frame inside a 200 stream, and a malformed frame', async () => {
    await using fake = await start([
      {
        text: 'Hello world',
        fault: { type: 'error-event', afterChunks: 2, errorType: 'server_error', message: 'oops' },
      },
      { text: 'Hello world', fault: { type: 'malformed', afterChunks: 1 } },
    ])
    const withError = await post(fake, askStream)
    expect(withError.status).toBe(200)
    const data = sseData(await withError.text())
    expect(data).toHaveLength(3)
    expect(JSON.parse(data[2] ?? '')).toEqual({
      error: { message: 'oops', type: 'server_error', param: null, code: 'server_error' },
    })
    const malformed = sseData(await (await post(fake, askStream)).text())
    expect(malformed).toHaveLength(2)
    expect(() => JSON.parse(malformed[1] ?? '')).toThrow(SyntaxError)
  })

  it('truncates a stream cleanly without its terminal frames', async () => {
    await using fake = await start([{ text: 'Hello world', fault: { type: 'truncate', afterChunks: 3 } }])
    const data = sseData(await (await post(fake, askStream)).text())
    expect(data).toHaveLength(3)
    expect(data).not.toContain('[DONE]')
  })

  it('breaks non-streaming answers too: malformed, truncated, error event as HTTP 500', async () => {
    await using fake = await start([
      { text: 'Hello', fault: { type: 'malformed' } },
      { text: 'Hello', fault: { type: 'truncate', afterChunks: 0 } },
      { text: 'Hello', fault: { type: 'error-event', message: 'bad' } },
    ])
    const malformed = await (await post(fake, ask)).text()
    expect(() => JSON.parse(malformed)).toThrow(SyntaxError)
    const truncated = await (await post(fake, ask)).text()
    expect(() => JSON.parse(truncated)).toThrow(SyntaxError)
    const failed = await post(fake, ask)
    expect(failed.status).toBe(500)
    expect(await failed.json()).toMatchObject({ error: { message: 'bad' } })
  })

  it('resets the connection before any byte', async () => {
    await using fake = await start([{ text: 'Hello', fault: { type: 'reset' } }])
    await expect(post(fake, ask)).rejects.toThrow(TypeError)
    expect(fake.requests).toHaveLength(1)
  })

  it('resets the connection mid-stream', async () => {
    await using fake = await start([{ text: 'Hello world', fault: { type: 'reset', afterChunks: 2 } }])
    const response = await post(fake, askStream)
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow()
  })

  it('stalls until closed, and close() cuts the stalled connection', async () => {
    const fake = await start([{ text: 'Hello world', fault: { type: 'stall', afterChunks: 2 } }])
    const response = await post(fake, askStream)
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    let received = ''
    while (sseData(received).length < 2) received += new TextDecoder().decode((await reader.read()).value)
    const rest = reader.read()
    await fake.close()
    await expect(rest).rejects.toThrow()
    await fake.close() // closing twice is harmless
  })

  it('fires a fault scripted past the last frame at the end of the stream', async () => {
    await using fake = await start([{ text: 'Hi', fault: { type: 'reset', afterChunks: 99 } }])
    const response = await post(fake, askStream)
    await expect(response.text()).rejects.toThrow()
  })

  it('waits delayMs before answering, and chunkDelayMs between frames', async () => {
    await using fake = await start([
      { text: 'ok', delayMs: 60 },
      { text: 'abcdefgh', chunkSize: 4, chunkDelayMs: 25 },
    ])
    const t0 = performance.now()
    await (await post(fake, ask)).json()
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55)
    const t1 = performance.now()
    const data = sseData(await (await post(fake, askStream)).text())
    expect(data.length).toBe(6) // role, 2 text, finish, usage, [DONE]
    expect(performance.now() - t1).toBeGreaterThanOrEqual(5 * 25 - 10)
  })
})

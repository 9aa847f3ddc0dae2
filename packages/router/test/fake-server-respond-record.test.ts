import { describe, expect, it } from 'vitest'
import { createAnthropic } from '../src/anthropic/index'
import { createBedrock } from '../src/bedrock/index'
import { type FakeProvider, type RecordedRequest, startFakeProvider } from '../src/testing/index'

/** Raw HTTP to the OpenAI fake: `content` is the user message, so each request can be told apart. */
async function ask(fake: FakeProvider, content: string, stream = false) {
  const response = await fetch(`${fake.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer fake-key' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], stream }),
  })
  const text = await response.text()
  if (stream) return { status: response.status, text }
  const body = JSON.parse(text) as {
    choices?: { message: { content: string } }[]
    error?: { message: string }
  }
  return { status: response.status, text: body.choices?.[0]?.message.content ?? body.error?.message ?? '' }
}

const contentOf = (request: RecordedRequest | undefined) =>
  (request?.body as { messages: { content: string }[] } | undefined)?.messages[0]?.content

describe('startFakeProvider: respond', () => {
  it('answers every request once the script ran out, after the script and enqueued steps', async () => {
    const seen: [string | undefined, number, boolean][] = []
    await using fake = await startFakeProvider({
      protocol: 'openai',
      script: [{ text: 'scripted' }],
      respond: (request, index) => {
        seen.push([contentOf(request), index, request.stream])
        return { text: `answer ${index} to ${contentOf(request)}` }
      },
    })
    expect((await ask(fake, 'a')).text).toBe('scripted')
    expect((await ask(fake, 'b')).text).toBe('answer 1 to b')
    expect((await ask(fake, 'c')).text).toBe('answer 2 to c')
    fake.enqueue({ text: 'queued' })
    expect((await ask(fake, 'd')).text).toBe('queued')
    const streamed = await ask(fake, 'e', true)
    expect(streamed.status).toBe(200)
    expect(streamed.text).toContain('"content":"answ"') // streamed in 4-character deltas
    expect(streamed.text).toContain('data: [DONE]')
    // respond ran only for the requests the script had no step for
    expect(seen).toEqual([
      ['b', 1, false],
      ['c', 2, false],
      ['e', 4, true],
    ])
    expect(fake.pending).toBe(0)
    expect(fake.received).toBe(5)
  })

  it('plays the faults it returns, for as long as it is asked', async () => {
    await using fake = await startFakeProvider({
      protocol: 'openai',
      respond: () => ({ fault: { type: 'http', status: 503, message: 'down for good' } }),
    })
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await ask(fake, `try ${i}`))
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ status: 503, text: 'down for good' })))
  })

  it('answers HTTP 500 saying what went wrong when it throws or returns no step, and keeps serving', async () => {
    let mode: 'throw' | 'nothing' | 'answer' = 'throw'
    await using fake = await startFakeProvider({
      protocol: 'openai',
      respond: () => {
        if (mode === 'throw') throw new Error('no answer for that')
        if (mode === 'nothing') return undefined as never
        return { text: 'fine again' }
      },
    })
    expect(await ask(fake, 'x')).toEqual({
      status: 500,
      text: 'fake openai respond threw: no answer for that',
    })
    mode = 'nothing'
    expect(await ask(fake, 'y')).toEqual({
      status: 500,
      text: 'fake openai respond returned undefined, not a step',
    })
    mode = 'answer'
    expect(await ask(fake, 'z')).toEqual({ status: 200, text: 'fine again' })
  })

  it('still answers HTTP 500 when the script runs out and there is no respond', async () => {
    await using fake = await startFakeProvider({ protocol: 'openai', record: false })
    expect(await ask(fake, 'x')).toEqual({ status: 500, text: 'fake openai script exhausted at request 1' })
    expect(await ask(fake, 'y')).toEqual({ status: 500, text: 'fake openai script exhausted at request 2' })
  })

  it('serves the SDK adapters of every protocol (Anthropic over HTTP/1.1, Bedrock over HTTP/2)', async () => {
    await using anthropicFake = await startFakeProvider({
      protocol: 'anthropic',
      respond: (_, index) => ({ text: `anthropic ${index}` }),
      record: false,
    })
    await using bedrockFake = await startFakeProvider({
      protocol: 'bedrock',
      respond: (_, index) => ({ text: `bedrock ${index}` }),
      record: false,
    })
    const anthropic = createAnthropic({ apiKey: 'test', baseURL: anthropicFake.baseURL }).chat(
      'claude-haiku-4-5',
    )
    const bedrock = createBedrock({
      region: 'us-east-1',
      baseURL: bedrockFake.baseURL,
      credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
    }).chat('anthropic.claude-3-haiku-20240307-v1:0')
    const request = { messages: [{ role: 'user' as const, content: 'Hi' }] }
    const texts = []
    for (let i = 0; i < 3; i++) {
      texts.push((await anthropic.generate(request)).text, (await bedrock.generate(request)).text)
    }
    expect(texts).toEqual([
      'anthropic 0',
      'bedrock 0',
      'anthropic 1',
      'bedrock 1',
      'anthropic 2',
      'bedrock 2',
    ])
    expect([anthropicFake.requests, bedrockFake.requests]).toEqual([[], []])
    expect([anthropicFake.received, bedrockFake.received]).toEqual([3, 3])
  })
})

describe('startFakeProvider: record', () => {
  it('keeps every request by default', async () => {
    await using fake = await startFakeProvider({ protocol: 'openai', respond: () => ({ text: 'ok' }) })
    for (const content of ['a', 'b', 'c']) await ask(fake, content)
    expect(fake.requests.map(contentOf)).toEqual(['a', 'b', 'c'])
    expect(fake.received).toBe(3)
  })

  it('keeps none with record: false, and counts them in received', async () => {
    await using fake = await startFakeProvider({
      protocol: 'openai',
      script: [{ text: 'one' }],
      respond: () => ({ text: 'more' }),
      record: false,
    })
    for (const content of ['a', 'b', 'c']) await ask(fake, content)
    expect(fake.requests).toEqual([])
    expect(fake.received).toBe(3)
  })

  it('keeps the newest max with record: { max }, over many requests', async () => {
    await using fake = await startFakeProvider({
      protocol: 'openai',
      respond: () => ({ text: 'ok' }),
      record: { max: 3 },
    })
    const sent = Array.from({ length: 200 }, (_, i) => `q${i}`)
    for (const content of sent) await ask(fake, content)
    expect(fake.requests.map(contentOf)).toEqual(['q197', 'q198', 'q199'])
    expect(fake.received).toBe(200)
  })

  it('rejects a record or respond of the wrong shape with a TypeError', async () => {
    for (const record of [{ max: -1 }, { max: 1.5 }, { max: '3' }, 'yes', null]) {
      await expect(startFakeProvider({ protocol: 'openai', record: record as never })).rejects.toThrow(
        /record must be true, false or \{ max \}/,
      )
    }
    await expect(startFakeProvider({ protocol: 'openai', respond: 'ok' as never })).rejects.toThrow(TypeError)
    // { max: 0 } is the same as false
    await using fake = await startFakeProvider({
      protocol: 'openai',
      respond: () => ({ text: 'ok' }),
      record: { max: 0 },
    })
    await ask(fake, 'a')
    expect([fake.requests.length, fake.received]).toEqual([0, 1])
  })
})

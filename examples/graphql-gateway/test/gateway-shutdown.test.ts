import type { ChatModel, ChatResponse, ChatStream, ChatStreamEvent } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { post, type SseEvent, startTestGateway, subscribe } from './gateway-client'

const TEST_MS = 30_000
const STREAM = /* GraphQL */ `
  subscription {
    generate(input: { prompt: "count" }) {
      __typename
      ... on TokenDelta { delta }
      ... on GenerationDone { generation { text } }
    }
  }
`

describe('graceful shutdown', () => {
  it(
    'finishes the streams in flight, refuses new work, then stops',
    async () => {
      // a model whose stream sends one token, then waits for the test: the stream is in flight
      // for as long as the test says, whatever the machine's speed
      const { model, release } = gatedModel(['one ', 'two ', 'three'])
      const text = 'one two three'
      await using gw = await startTestGateway([], { model })
      const events = subscribe(gw.endpoint, gw.key, STREAM)
      const received: SseEvent[] = []
      const first = await events.next()
      received.push(first.value as SseEvent)
      expect(received[0]?.data.data.generate.__typename).toBe('TokenDelta')

      // the stream is in flight: shut down with a long grace period
      let stopped = false
      const closing = gw.running.close({ graceMs: 20_000 }).then(() => {
        stopped = true
      })
      expect(gw.running.requestsInFlight).toBe(1)
      // new work is refused: the listener is closed (connection refused) or, on a kept-alive
      // connection, the request gets 503 SHUTTING_DOWN
      const refused = await post(gw.endpoint, gw.key, '{ usage { requests } }').then(
        (result) => result,
        (error: unknown) => error,
      )
      if (refused instanceof Error)
        expect(String(refused.cause ?? refused)).toMatch(/ECONNREFUSED|ECONNRESET|other side closed/)
      else
        expect(refused).toMatchObject({
          status: 503,
          body: { errors: [{ extensions: { code: 'SHUTTING_DOWN' } }] },
        })

      expect(stopped).toBe(false)
      release()
      for await (const event of events) received.push(event)
      await closing
      expect(stopped).toBe(true)
      const payloads = received.filter((e) => e.event === 'next').map((e) => e.data.data.generate)
      expect(
        payloads
          .filter((p) => p.__typename === 'TokenDelta')
          .map((p) => p.delta)
          .join(''),
      ).toBe(text)
      expect(payloads.at(-1)).toEqual({ __typename: 'GenerationDone', generation: { text } })
      expect(received.at(-1)?.event).toBe('complete')
    },
    TEST_MS,
  )

  it(
    'ends the streams still running when the grace period is over with SHUTTING_DOWN',
    async () => {
      await using gw = await startTestGateway([
        { text: 'never finishes', chunkSize: 2, fault: { type: 'stall', afterChunks: 2 } },
      ])
      const events = subscribe(gw.endpoint, gw.key, STREAM)
      const first = await events.next()
      expect((first.value as SseEvent).data.data.generate).toEqual({ __typename: 'TokenDelta', delta: 'ne' })
      await gw.running.close({ graceMs: 50 })
      const rest: SseEvent[] = []
      for await (const event of events) rest.push(event)
      expect(rest[0]?.data.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'SHUTTING_DOWN' } }),
      ])
      expect(rest.at(-1)?.event).toBe('complete')
      expect(gw.gateway.operationsInFlight).toBe(0)
    },
    TEST_MS,
  )
})

/** A model that streams its first delta, then the rest once `release()` is called. */
function gatedModel(deltas: string[]): { model: ChatModel; release: () => void } {
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const text = deltas.join('')
  const response = {
    text,
    message: { role: 'assistant', content: text },
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 1, outputTokens: deltas.length },
    warnings: [],
    provider: 'test',
    modelId: 'gated',
  } as unknown as ChatResponse
  const model = {
    specificationVersion: 'v1',
    provider: 'test',
    modelId: 'gated',
    generate: async () => response,
    stream: (): ChatStream => {
      async function* events(): AsyncGenerator<ChatStreamEvent> {
        const [first, ...rest] = deltas
        yield { type: 'text-delta', delta: first ?? '' } as ChatStreamEvent
        await gate
        for (const delta of rest) yield { type: 'text-delta', delta } as ChatStreamEvent
      }
      return Object.assign(events(), { response: gate.then(() => response) }) as unknown as ChatStream
    },
  } as ChatModel
  return { model, release }
}

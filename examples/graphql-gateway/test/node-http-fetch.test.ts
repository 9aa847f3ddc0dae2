import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createOpenAI } from '@ql/router/openai'
import { startFakeProvider } from '@ql/router/testing'
import { describe, expect, it } from 'vitest'
import { createNodeHttpFetch } from '../src/node-http-fetch'

const TEST_MS = 20_000

describe('createNodeHttpFetch', () => {
  it(
    'carries the OpenAI SDK: JSON answers, streams, provider errors',
    async () => {
      await using fake = await startFakeProvider({
        protocol: 'openai',
        script: [
          { text: 'whole answer' },
          { text: 'streamed answer', chunkSize: 3 },
          { fault: { type: 'http', status: 429, headers: { 'retry-after': '3' } } },
        ],
      })
      const model = createOpenAI({
        apiKey: 'sk-test',
        baseURL: fake.baseURL,
        fetch: createNodeHttpFetch(),
      }).chat('gpt-4.1-mini')
      const request = { messages: [{ role: 'user' as const, content: 'hi' }] }
      expect((await model.generate(request)).text).toBe('whole answer')
      let streamed = ''
      const stream = model.stream(request)
      for await (const event of stream) if (event.type === 'text-delta') streamed += event.delta
      expect(streamed).toBe('streamed answer')
      expect((await stream.response).finishReason).toBe('stop')
      const limited = await model.generate(request).catch((error: unknown) => error)
      expect(limited).toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 })
      // what went over the wire: the SDK's headers, uncompressed answers asked for
      expect(fake.requests[0]?.headers).toMatchObject({
        authorization: 'Bearer sk-test',
        'accept-encoding': 'identity',
      })
    },
    TEST_MS,
  )

  it(
    'aborts, answers bodiless statuses, fails on refused connections and hands other bodies to fetch',
    async () => {
      const server = createServer((req, res) => {
        if (req.url === '/empty') return res.writeHead(204).end()
        if (req.url === '/echo') {
          const chunks: Buffer[] = []
          req.on('data', (chunk: Buffer) => chunks.push(chunk))
          req.on('end', () => res.end(Buffer.concat(chunks)))
          return
        }
        // /hang: never answers
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      try {
        const fetch = createNodeHttpFetch()
        expect((await fetch(`${base}/empty`)).status).toBe(204)
        const echoed = await fetch(new URL(`${base}/echo`), {
          method: 'POST',
          body: new TextEncoder().encode('bytes'),
        })
        expect(await echoed.text()).toBe('bytes')
        // a body it does not handle (URLSearchParams) goes to the built-in fetch, same result
        const viaBuiltin = await fetch(`${base}/echo`, {
          method: 'POST',
          body: new URLSearchParams({ a: '1' }),
        })
        expect(await viaBuiltin.text()).toBe('a=1')
        const controller = new AbortController()
        const hanging = fetch(`${base}/hang`, { signal: controller.signal })
        controller.abort()
        await expect(hanging).rejects.toMatchObject({ name: 'AbortError' })
      } finally {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
      await expect(createNodeHttpFetch()(`${base}/gone`)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    },
    TEST_MS,
  )
})

import { Buffer } from 'node:buffer'
import type { ChatModel, ChatRequest } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { createAnthropic } from '../src/anthropic/index'
import { createBedrock } from '../src/bedrock/index'
import { createOpenAI } from '../src/openai/index'
import { type FakeProvider, startFakeProvider } from '../src/testing/index'

const credentials = { accessKeyId: 'AKIAQLTESTKEY0000001', secretAccessKey: 'ql-test-secret-key' }

const ADAPTERS: [
  name: string,
  protocol: 'openai' | 'anthropic' | 'bedrock',
  make: (fake: FakeProvider) => ChatModel,
][] = [
  [
    'openai chat',
    'openai',
    (fake) => createOpenAI({ apiKey: 'k', baseURL: fake.baseURL }).chat('gpt-4o-mini'),
  ],
  [
    'openai responses',
    'openai',
    (fake) => createOpenAI({ apiKey: 'k', baseURL: fake.baseURL }).responses('gpt-4o-mini'),
  ],
  [
    'anthropic',
    'anthropic',
    (fake) => createAnthropic({ apiKey: 'k', baseURL: fake.baseURL }).chat('claude-test'),
  ],
  [
    'bedrock',
    'bedrock',
    (fake) =>
      createBedrock({ region: 'eu-west-1', baseURL: fake.baseURL, credentials }).chat(
        'anthropic.claude-test-v1:0',
      ),
  ],
]

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])
const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))
const ask = (image: unknown): ChatRequest =>
  ({
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is it?' },
          { type: 'image', image, mediaType: 'image/png' },
        ],
      },
    ],
  }) as ChatRequest

/** Every form an image's bytes take in memory and after a checkpoint. */
const FORMS: [name: string, image: unknown][] = [
  ['a Uint8Array', PNG],
  ['a Buffer', Buffer.from(PNG)],
  ['base64 text', Buffer.from(PNG).toString('base64')],
  ['a Uint8Array read back from JSON ({"0":137,...})', throughJson(PNG)],
  ['a Buffer read back from JSON ({type, data})', throughJson(Buffer.from(PNG))],
]

describe.each(ADAPTERS)(
  '%s sends the same image whatever form its bytes came in',
  (_name, protocol, make) => {
    it('puts identical bytes on the wire for bytes, base64 and their JSON forms, generate and stream alike', async () => {
      await using fake = await startFakeProvider({
        protocol,
        script: FORMS.flatMap(() => [{ text: 'a png' }, { text: 'a png' }]),
      })
      const model = make(fake)
      for (const [, image] of FORMS) {
        expect((await model.generate(ask(image))).text).toBe('a png')
        const stream = model.stream(ask(image))
        for await (const _event of stream);
        expect((await stream.response).text).toBe('a png')
      }
      const messagesOf = (body: unknown) => {
        const b = body as { messages?: unknown; input?: unknown }
        return JSON.stringify(b.messages ?? b.input)
      }
      const wire = fake.requests.map((request) => messagesOf(request.body))
      expect(wire).toHaveLength(FORMS.length * 2)
      expect(new Set(wire).size).toBe(1)
      expect(wire[0]).toContain(Buffer.from(PNG).toString('base64'))
    })
  },
)

import { createRouter, type Router } from '@ql/router'
import { createOpenAI } from '@ql/router/openai'
import type { FakeProvider, FakeStep } from '@ql/router/testing'
import { startFakeProvider } from '@ql/router/testing'
import { ApiKeyStore, generateApiKey } from '../src/api-keys'
import { createGateway, type Gateway, type GatewayOptions } from '../src/create-gateway'
import { type RunningGateway, startGateway } from '../src/start-gateway'

/** A GraphQL response as it came over HTTP. */
export interface HttpResult {
  status: number
  headers: Headers
  body: {
    data?: Record<string, any> | null
    errors?: { message: string; extensions?: Record<string, any> }[]
  }
  raw: string
}

/** POSTs one operation to the gateway. */
export async function post(
  endpoint: string,
  key: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<HttpResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  })
  const raw = await response.text()
  return { status: response.status, headers: response.headers, body: JSON.parse(raw), raw }
}

/** One server-sent event of a subscription. */
export interface SseEvent {
  event: string
  data: any
}

/**
 * Starts a subscription over server-sent events (graphql-yoga's default transport: a POST with
 * `Accept: text/event-stream`) and yields its events as they arrive.
 */
export async function* subscribe(
  endpoint: string,
  key: string,
  query: string,
  variables?: Record<string, unknown>,
): AsyncGenerator<SseEvent> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query, variables }),
  })
  if (!response.ok || response.body === null) {
    throw new Error(`subscription answered ${response.status}: ${await response.text()}`)
  }
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true })
    let end = buffer.indexOf('\n\n')
    while (end >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      end = buffer.indexOf('\n\n')
      let event = 'message'
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim()
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
      }
      if (data.length === 0 && event === 'message') continue // a keep-alive comment
      const text = data.join('\n')
      yield { event, data: text === '' ? undefined : JSON.parse(text) }
    }
  }
}

/** Collects a whole subscription. */
export async function collect(events: AsyncIterable<SseEvent>): Promise<SseEvent[]> {
  const all: SseEvent[] = []
  for await (const event of events) all.push(event)
  return all
}

/** A gateway on a free loopback port over one fake OpenAI provider, with one client key. */
export interface TestGateway extends AsyncDisposable {
  endpoint: string
  key: string
  keyId: string
  fake: FakeProvider
  router: Router
  gateway: Gateway
  running: RunningGateway
  logs: string[]
}

/** The provider key the test router sends upstream; it must never reach a client or a log. */
export const PROVIDER_KEY = 'sk-proj-TESTSECRET0123456789abcdefghijklmnop'

/**
 * Starts a gateway whose router has one target: a fake OpenAI provider scripted with `script`
 * (or over `options.model` instead of that router).
 */
export async function startTestGateway(
  script: FakeStep[] = [],
  options: Partial<GatewayOptions> & { clientId?: string } = {},
): Promise<TestGateway> {
  const fake = await startFakeProvider({ protocol: 'openai', script })
  const router = createRouter({
    targets: [
      {
        id: 'fake',
        model: createOpenAI({ apiKey: PROVIDER_KEY, baseURL: fake.baseURL }).chat('gpt-4.1-mini'),
      },
    ],
    retry: { maxRetriesPerTarget: 0 },
    breaker: false,
  })
  const { key, keyId, hash } = generateApiKey()
  const keys = options.keys ?? new ApiKeyStore()
  keys.add({ keyId, hash, clientId: options.clientId ?? 'acme' })
  const logs: string[] = []
  const gateway = createGateway({
    log: (line) => logs.push(line),
    ...options,
    model: options.model ?? router,
    keys,
  })
  const running = await startGateway(gateway, { port: 0 })
  return {
    endpoint: running.endpoint,
    key,
    keyId,
    fake,
    router,
    gateway,
    running,
    logs,
    [Symbol.asyncDispose]: async () => {
      await running.close({ graceMs: 0 })
      router.close()
      await fake.close()
    },
  }
}

import { type ChatRequest, type ChatStreamEvent, isQlError, type QlError } from '@ql/provider'
import { createAnthropic } from '../src/anthropic/index'
import { createBedrock } from '../src/bedrock/index'
import { createOpenAI } from '../src/openai/index'
import type { RouterEvents } from '../src/router/router-events'
import { type FakeProvider, type FakeStep, startFakeProvider } from '../src/testing/index'

/** Keys shaped unlike real ones, so only exact redaction hides them. */
export const OPENAI_KEY = 'sk-router-test-openai-7f3a9c2e1b'
export const ANTHROPIC_KEY = 'sk-ant-router-test-5d8e2a7c4f'
export const AWS_SECRET = 'router-test-aws-secret-9b4c1e7a2d'

export const request: ChatRequest = { messages: [{ role: 'user', content: 'Capital of Norway?' }] }

export type Protocol = 'openai' | 'anthropic' | 'bedrock'

/** A fake provider with a real adapter pointed at it. */
export async function fakeTarget(protocol: Protocol, script: FakeStep[] = []) {
  const fake = await startFakeProvider({ protocol, script })
  const model =
    protocol === 'openai'
      ? createOpenAI({ apiKey: OPENAI_KEY, baseURL: fake.baseURL }).chat('gpt-4o-mini')
      : protocol === 'anthropic'
        ? createAnthropic({ apiKey: ANTHROPIC_KEY, baseURL: fake.baseURL }).chat('claude-3-5-haiku-latest')
        : createBedrock({
            region: 'us-east-1',
            baseURL: fake.baseURL,
            credentials: { accessKeyId: 'AKIAROUTERTEST', secretAccessKey: AWS_SECRET },
          }).chat('anthropic.claude-3-haiku-20240307-v1:0')
  return Object.assign(fake, { model })
}

export async function closeAll(...fakes: FakeProvider[]): Promise<void> {
  await Promise.all(fakes.map((fake) => fake.close()))
}

/** The typed error a promise rejects with. */
export async function failure(promise: Promise<unknown>): Promise<QlError> {
  try {
    await promise
  } catch (error) {
    if (!isQlError(error)) throw error
    return error
  }
  throw new Error('expected the call to fail')
}

export async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

/** Records every router event, in order, as `[name, payload]`. */
export function recordEvents(router: {
  on<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): unknown
}): [keyof RouterEvents, unknown][] {
  const log: [keyof RouterEvents, unknown][] = []
  const names: (keyof RouterEvents)[] = [
    'attempt',
    'attempt-failed',
    'retry',
    'fallback',
    'breaker',
    'cooldown',
    'usage',
  ]
  for (const name of names) router.on(name, ((event: unknown) => log.push([name, event])) as never)
  return log
}

export const ok = (text = 'Oslo'): FakeStep => ({ text, usage: { inputTokens: 12, outputTokens: 3 } })
export const http = (status: number, headers?: Record<string, string>, errorType?: string): FakeStep => ({
  fault: {
    type: 'http',
    status,
    ...(headers === undefined ? {} : { headers }),
    ...(errorType === undefined ? {} : { errorType }),
  },
})

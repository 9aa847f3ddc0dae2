import { anthropicProtocol } from './anthropic-protocol'
import { bedrockProtocol } from './bedrock-protocol'
import type { FakeProtocol } from './fake-protocol'
import type { FakeStep } from './fake-script'
import { openaiProtocol } from './openai-protocol'
import { type FakeProvider, startFakeServer } from './start-fake-server'

/** Options of {@link startFakeProvider}. */
export interface StartFakeProviderOptions {
  /** The wire protocol to speak. */
  protocol: 'openai' | 'anthropic' | 'bedrock'
  /** Steps to answer requests with, in order; more can be added with `enqueue`. */
  script?: FakeStep[]
}

const PROTOCOLS: Record<StartFakeProviderOptions['protocol'], FakeProtocol> = {
  openai: openaiProtocol,
  anthropic: anthropicProtocol,
  bedrock: bedrockProtocol,
}

/**
 * Starts a loopback fake of a provider's API on 127.0.0.1 that speaks its real wire protocol:
 * OpenAI Chat Completions (JSON + SSE), Anthropic Messages (JSON + SSE), or Bedrock Converse and
 * ConverseStream (JSON + AWS event-stream, over cleartext HTTP/2). Script answers and faults per
 * request, point the official SDK (or a `@ql` adapter) at `baseURL`, and assert on `requests`.
 *
 * @example
 * ```ts
 * await using fake = await startFakeProvider({ protocol: 'openai', script: [{ text: 'hi' }] })
 * const model = createOpenAI({ apiKey: 'test', baseURL: fake.baseURL }).chat('gpt-4o-mini')
 * ```
 */
export function startFakeProvider(options: StartFakeProviderOptions): Promise<FakeProvider> {
  return startFakeServer(PROTOCOLS[options.protocol], options.script)
}

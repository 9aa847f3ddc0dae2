import { anthropicProtocol } from './anthropic-protocol'
import { bedrockProtocol } from './bedrock-protocol'
import type { FakeProtocol } from './fake-protocol'
import type { FakeStep } from './fake-script'
import { openaiProtocol } from './openai-protocol'
import { type FakeProvider, type FakeRespond, startFakeServer } from './start-fake-server'

/** Options of {@link startFakeProvider}. */
export interface StartFakeProviderOptions {
  /** The wire protocol to speak. */
  protocol: 'openai' | 'anthropic' | 'bedrock'
  /** Steps to answer requests with, in order; more can be added with `enqueue`. */
  script?: FakeStep[]
  /**
   * Answers a request when no scripted step is left (instead of HTTP 500), so a fake can answer
   * for as long as it runs: `respond: () => ({ text: 'ok' })`. It gets the request as it came
   * over the wire and its 0-based index among every request the fake received, and returns the
   * step to play. Script steps, `enqueue`d ones included, still come first. When it throws, the
   * request gets HTTP 500 with the error's message.
   */
  respond?: FakeRespond
  /**
   * Which requests `fake.requests` keeps: every one (`true`, the default), none (`false`), or
   * the newest `max` (`{ max }`, the oldest dropped first). A fake that serves a long-running
   * process (a demo server over the fakes) should bound it: each request's body stays in memory
   * while it is recorded. `fake.received` counts every request either way.
   */
  record?: boolean | { max: number }
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
 * For a fake that runs for hours (an offline demo), answer with `respond` and bound `record`.
 *
 * @throws `TypeError` when `record.max` is not a non-negative integer or `respond` is not a function.
 *
 * @example
 * ```ts
 * await using fake = await startFakeProvider({ protocol: 'openai', script: [{ text: 'hi' }] })
 * const model = createOpenAI({ apiKey: 'test', baseURL: fake.baseURL }).chat('gpt-4o-mini')
 * ```
 *
 * @example An endless fake that keeps no requests
 * ```ts
 * const fake = await startFakeProvider({ protocol: 'anthropic', respond: () => ({ text: 'ok' }), record: false })
 * ```
 */
export function startFakeProvider(options: StartFakeProviderOptions): Promise<FakeProvider> {
  return startFakeServer(PROTOCOLS[options.protocol], {
    script: options.script,
    respond: options.respond,
    record: options.record,
  })
}

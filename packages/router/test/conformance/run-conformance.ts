import { inspect } from 'node:util'
import {
  type CallOptions,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatStreamEvent,
  chatResponseSchema,
  chatStreamEventSchema,
  isQlError,
  isZodSchema,
  type QlError,
  qlErrorFromJSON,
  relayChatStream,
  toJsonSchema,
  validateChatRequest,
  wrapChatModel,
} from '@ql/provider'
import { describe, expect, it, vi } from 'vitest'
import { type FakeProvider, type FakeStep, startFakeProvider } from '../../src/testing/index'
import {
  multiTurnRequest,
  personSchema,
  SECRET_API_KEY,
  timeTool,
  toolOutput,
  toolRequest,
  weatherTool,
} from './fixtures'
import type { WireExpectations } from './wire-expectations'
import { openaiWire } from './wire-openai'

/** One adapter under test: how to build it against a fake, and what it can do. */
export interface ConformanceTarget {
  /** The adapter's provider name, as it reports it in responses and errors (for example `openai`). */
  name: string
  /** The suite's title, when it differs from `name` (a wrapped adapter). */
  title?: string
  /** The wire protocol its fake speaks. */
  protocol: 'openai' | 'anthropic' | 'bedrock'
  /** Builds the model against the running fake, with the given API key (if the provider uses keys). */
  createModel(fake: FakeProvider, settings?: { apiKey?: string }): ChatModel
  supports: { structuredOutput: boolean; reasoning: boolean }
  /** The model id `createModel` asks for; the fake answers with it. Defaults to any string. */
  modelId?: string
  /**
   * The exact wire bodies and the provider's spelling of some faults. Defaults to OpenAI Chat
   * Completions (`openaiWire`) for the `openai` protocol; required for the others.
   */
  wire?: WireExpectations
}

type Mode = 'generate' | 'stream'
const MODES: Mode[] = ['generate', 'stream']

interface Outcome {
  response: ChatResponse
  events: ChatStreamEvent[]
}

interface Failure {
  error: QlError
  events: ChatStreamEvent[]
}

/** Calls the model once in `mode` and collects the response (and, streaming, every event). */
async function call(
  model: ChatModel,
  request: ChatRequest,
  mode: Mode,
  options?: CallOptions,
): Promise<Outcome> {
  expectRequestSurvivesJson(request)
  if (mode === 'generate') {
    const response = await model.generate(request, options)
    expectAnswerSurvivesJson(response, [])
    return { response, events: [] }
  }
  const stream = model.stream(request, options)
  const events: ChatStreamEvent[] = []
  for await (const event of stream) events.push(event)
  const response = await stream.response
  const last = events.at(-1)
  expect(last?.type).toBe('finish')
  if (last?.type === 'finish') expect(last.response).toEqual(response)
  expectMetadataFirst(model, response, events)
  expectAnswerSurvivesJson(response, events)
  return { response, events }
}

/**
 * A stream announces who answers before any content: one `metadata` event first, with the
 * provider, the model, the request id and the response headers the response carries too.
 */
function expectMetadataFirst(model: ChatModel, response: ChatResponse, events: ChatStreamEvent[]): void {
  const [first] = events
  expect(first?.type).toBe('metadata')
  expect(events.filter((event) => event.type === 'metadata')).toHaveLength(1)
  if (first?.type !== 'metadata') return
  expect(first.provider).toBe(model.provider)
  expect(first.requestId).toBe(response.requestId)
  expect(first.headers).toEqual(response.headers)
}

/** What a checkpoint does to a value. */
const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

/** The request as data: zod schemas (code, not data) in tools and responseFormat as the JSON Schema sent. */
function requestAsData(request: ChatRequest): ChatRequest {
  const format = request.responseFormat
  return {
    ...request,
    ...(request.tools === undefined
      ? {}
      : {
          tools: request.tools.map((tool) =>
            isZodSchema(tool.inputSchema) ? { ...tool, inputSchema: toJsonSchema(tool.inputSchema) } : tool,
          ),
        }),
    ...(format?.type === 'json' && format.schema !== undefined && isZodSchema(format.schema)
      ? { responseFormat: { ...format, schema: toJsonSchema(format.schema) } }
      : {}),
  }
}

/**
 * A request that validates is one an agent can checkpoint: after JSON it validates to the same
 * request. One that does not validate is rejected the same way after JSON.
 */
function expectRequestSurvivesJson(request: ChatRequest): void {
  const attempt = (value: unknown) => {
    try {
      return { valid: validateChatRequest(value) }
    } catch (error) {
      return { issues: (error as { issues?: unknown }).issues, message: (error as Error).message }
    }
  }
  const data = requestAsData(request)
  const direct = attempt(data)
  const back = attempt(throughJson(data))
  expect(back).toEqual(direct)
  if (direct.valid !== undefined) expect(attempt(throughJson(direct.valid))).toEqual(direct)
}

/** The response and every stream event read back from JSON equal to what the model handed out. */
function expectAnswerSurvivesJson(response: ChatResponse, events: ChatStreamEvent[]): void {
  expect(chatResponseSchema.parse(throughJson(response))).toEqual(response)
  for (const event of events) expect(chatStreamEventSchema.parse(throughJson(event))).toEqual(event)
}

/**
 * Calls the model once in `mode` expecting it to fail: returns the typed error (and the events
 * received before it). Streaming, `response` must reject with the very same error.
 */
async function fail(
  model: ChatModel,
  request: ChatRequest,
  mode: Mode,
  options?: CallOptions,
  onEvent?: (event: ChatStreamEvent) => void,
): Promise<Failure> {
  let caught: unknown
  const events: ChatStreamEvent[] = []
  if (mode === 'generate') {
    try {
      await model.generate(request, options)
    } catch (error) {
      caught = error
    }
  } else {
    const stream = model.stream(request, options)
    try {
      for await (const event of stream) {
        events.push(event)
        onEvent?.(event)
      }
    } catch (error) {
      caught = error
    }
    if (caught !== undefined) await expect(stream.response).rejects.toBe(caught)
  }
  if (caught === undefined) throw new Error(`expected the ${mode} call to fail, but it succeeded`)
  if (!isQlError(caught)) throw new Error(`expected a QlError, got ${inspect(caught)}`)
  expect(events.some((event) => event.type === 'finish')).toBe(false)
  expectNoSecret(caught)
  expectRequestSurvivesJson(request)
  for (const event of events) expect(chatStreamEventSchema.parse(throughJson(event))).toEqual(event)
  // the error, as a checkpoint or another process reads it back
  const back = qlErrorFromJSON(throughJson(caught.toJSON()) as ReturnType<QlError['toJSON']>)
  expect(back.constructor).toBe(caught.constructor)
  expect(back.toJSON()).toEqual(caught.toJSON())
  return { error: caught, events }
}

/** The configured API key appears nowhere in an error: message, stack, JSON, cause, inspection. */
export function expectNoSecret(error: unknown, secret: string = SECRET_API_KEY): void {
  const err = error as QlError
  expect(err.message).not.toContain(secret)
  expect(String(err.stack)).not.toContain(secret)
  expect(JSON.stringify(err.toJSON())).not.toContain(secret)
  expect(inspect(err, { depth: 8 })).not.toContain(secret)
}

const textOf = (events: ChatStreamEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('')

/**
 * Declares the conformance suite for one adapter: every scenario, non-streaming and streaming,
 * drives the official SDK through the adapter against a loopback fake over real HTTP, and checks
 * the exact wire request, the normalized answer, and the typed error of every fault. Each call
 * must reach the fake exactly once (the SDK's own retries are off).
 */
export function runConformance(target: ConformanceTarget): void {
  const wire = target.wire ?? (target.protocol === 'openai' ? openaiWire : undefined)
  if (wire === undefined)
    throw new Error(`runConformance(${target.name}): pass the wire expectations of the adapter`)
  const stallAt = wire.midStreamFrames ?? 2
  const resetAt = wire.midStreamFrames ?? 3

  const withFake = async (
    script: FakeStep[],
    body: (fake: FakeProvider, model: ChatModel) => Promise<void>,
  ) => {
    await using fake = await startFakeProvider({ protocol: target.protocol, script })
    const model = target.createModel(fake, { apiKey: SECRET_API_KEY })
    await body(fake, model)
    expect(fake.pending).toBe(0)
  }

  const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello.' }] }

  describe(`conformance: ${target.title ?? target.name}`, () => {
    describe.each(MODES)('%s', (mode) => {
      const stream = mode === 'stream'

      it('answers text', async () => {
        await withFake(
          [{ text: 'Hello world', usage: { inputTokens: 11, outputTokens: 3 } }],
          async (fake, model) => {
            const { response, events } = await call(model, hello, mode)
            expect(response.text).toBe('Hello world')
            expect(response.message).toEqual({
              role: 'assistant',
              content: [{ type: 'text', text: 'Hello world' }],
            })
            expect(response.finishReason).toBe('stop')
            expect(response.toolCalls).toEqual([])
            expect(response.usage).toMatchObject({ inputTokens: 11, outputTokens: 3 })
            expect(response.provider).toBe(target.name)
            expect(response.modelId).toBe(model.modelId)
            expect(fake.requests).toHaveLength(1)
            expect(fake.requests[0]?.stream).toBe(stream)
            if (stream) {
              expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(1)
              expect(textOf(events)).toBe('Hello world')
            }
            expect(JSON.stringify([response, events])).not.toContain(SECRET_API_KEY)
          },
        )
      })

      it('reports the model that answered', async () => {
        await withFake([{ text: 'ok', model: 'answering-model-2025' }], async (_fake, model) => {
          const { response } = await call(model, hello, mode)
          expect(response.modelId).toBe('answering-model-2025')
        })
      })

      it('carries the response headers and the request id, credentials removed', async () => {
        await withFake(
          [{ text: 'ok', headers: { 'x-ratelimit-remaining-requests': '99', 'set-cookie': 'session=abc' } }],
          async (_fake, model) => {
            const { response } = await call(model, hello, mode)
            expect(response.headers?.['x-ratelimit-remaining-requests']).toBe('99')
            expect(response.headers?.['set-cookie']).toBeUndefined()
            expect(response.requestId).toMatch(/\S/)
            expect(Object.values(response.headers ?? {})).toContain(response.requestId)
          },
        )
      })

      it('sends a system prompt and a multi-turn conversation', async () => {
        await withFake([{ text: 'Why did the chicken...' }], async (fake, model) => {
          const { response } = await call(model, multiTurnRequest, mode)
          expect(response.text).toBe('Why did the chicken...')
          expect(fake.requests).toHaveLength(1)
          wire.multiTurn(fake.requests[0]?.body, { stream })
        })
      })

      it('round-trips a tool call and its result', async () => {
        const script: FakeStep[] = [
          { toolCalls: [{ id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }] },
          { text: 'It is 21 °C in Oslo.' },
        ]
        await withFake(script, async (fake, model) => {
          const first = await call(model, toolRequest, mode)
          expect(first.response.finishReason).toBe('tool-calls')
          expect(first.response.toolCalls).toEqual([
            { id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } },
          ])
          expect(first.response.message.content).toEqual([
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Oslo' } },
          ])
          if (stream) {
            const deltas = first.events.filter((e) => e.type === 'tool-call-delta')
            expect(deltas.length).toBeGreaterThan(1)
            expect(deltas.map((d) => (d.type === 'tool-call-delta' ? d.inputDelta : '')).join('')).toBe(
              '{"city":"Oslo"}',
            )
            expect(first.events.filter((e) => e.type === 'tool-call')).toEqual([
              { type: 'tool-call', toolCall: { id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } } },
            ])
          }
          const second = await call(
            model,
            {
              ...toolRequest,
              messages: [
                ...toolRequest.messages,
                first.response.message,
                {
                  role: 'tool',
                  content: [
                    {
                      type: 'tool-result',
                      toolCallId: 'call_1',
                      toolName: 'get_weather',
                      output: toolOutput,
                    },
                  ],
                },
              ],
            },
            mode,
          )
          expect(second.response.text).toBe('It is 21 °C in Oslo.')
          expect(second.response.finishReason).toBe('stop')
          expect(fake.requests).toHaveLength(2)
          wire.toolRoundTrip(fake.requests[1]?.body, { stream })
        })
      })

      it('returns parallel tool calls in order', async () => {
        const calls = [
          { id: 'call_a', name: 'get_weather', input: { city: 'Oslo' } },
          { id: 'call_b', name: 'get_time', input: { zone: 'Europe/Oslo' } },
        ]
        await withFake([{ text: 'Checking both.', toolCalls: calls }], async (fake, model) => {
          const { response, events } = await call(
            model,
            {
              messages: [{ role: 'user', content: 'Weather and time in Oslo?' }],
              tools: [weatherTool, timeTool],
            },
            mode,
          )
          expect(response.toolCalls).toEqual(calls)
          expect(response.finishReason).toBe('tool-calls')
          expect(response.text).toBe('Checking both.')
          if (stream) {
            expect(
              events
                .filter((e) => e.type === 'tool-call')
                .map((e) => e.type === 'tool-call' && e.toolCall.id),
            ).toEqual(['call_a', 'call_b'])
          }
          expect(fake.requests).toHaveLength(1)
        })
      })

      if (target.supports.structuredOutput) {
        it('asks for structured output with a JSON Schema', async () => {
          await withFake([{ text: '{"name":"Ada","age":36}' }], async (fake, model) => {
            const { response } = await call(
              model,
              {
                messages: [{ role: 'user', content: 'Who wrote the first program?' }],
                responseFormat: { type: 'json', name: 'person', schema: personSchema },
              },
              mode,
            )
            expect(personSchema.parse(JSON.parse(response.text))).toEqual({ name: 'Ada', age: 36 })
            wire.structuredOutput(fake.requests[0]?.body)
          })
        })
      } else {
        it('rejects structured output with UnsupportedFeatureError, before any request', async () => {
          await withFake([], async (fake, model) => {
            const { error } = await fail(
              model,
              {
                messages: [{ role: 'user', content: 'Who wrote the first program?' }],
                responseFormat: { type: 'json', name: 'person', schema: personSchema },
              },
              mode,
            )
            expect(error.code).toBe('unsupported_feature')
            expect(fake.requests).toHaveLength(0)
          })
        })
      }

      it('counts usage the OpenTelemetry way: input includes cached tokens', async () => {
        const usage = { inputTokens: 1200, outputTokens: 80, cachedInputTokens: 1000, reasoningTokens: 20 }
        await withFake([{ text: 'cached', usage }], async (_fake, model) => {
          const { response, events } = await call(model, hello, mode)
          expect(response.usage).toMatchObject({
            inputTokens: 1200,
            outputTokens: 80,
            cachedInputTokens: 1000,
          })
          if (stream) {
            const last = events.filter((e) => e.type === 'usage').at(-1)
            expect(last?.type === 'usage' && last.usage).toMatchObject({
              inputTokens: 1200,
              cachedInputTokens: 1000,
            })
          }
        })
      })

      it.each([
        ['length', 'length'],
        ['content-filter', 'content-filter'],
        ['stop', 'stop'],
      ] as const)('maps finish reason %s', async (given, expected) => {
        await withFake([{ text: 'partial', finishReason: given }], async (_fake, model) => {
          const { response } = await call(model, hello, mode)
          expect(response.finishReason).toBe(expected)
          expect(response.rawFinishReason).toBeTypeOf('string')
        })
      })

      if (target.supports.reasoning) {
        it('returns visible reasoning', async () => {
          await withFake(
            [{ reasoning: { text: 'Let me think.', signature: 'sig-1' }, text: '42' }],
            async (_f, model) => {
              const { response, events } = await call(model, hello, mode)
              expect(response.reasoning).toBe('Let me think.')
              expect(response.text).toBe('42')
              if (stream) expect(events.some((e) => e.type === 'reasoning-delta')).toBe(true)
            },
          )
        })
      }

      describe('faults', () => {
        it.each([
          ['retry-after (seconds)', { 'retry-after': '2' }, 2000],
          ['retry-after-ms', { 'retry-after-ms': '1500' }, 1500],
          [
            'x-ratelimit-reset-*',
            { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' },
            360_000,
          ],
        ] as const)(
          '429 with %s → RateLimitedError with retryAfterMs',
          async (_label, headers, retryAfterMs) => {
            await withFake(
              [
                {
                  fault: {
                    type: 'http',
                    status: 429,
                    headers,
                    errorType: 'rate_limit_exceeded',
                    message: 'slow down',
                  },
                },
              ],
              async (fake, model) => {
                const { error } = await fail(model, hello, mode)
                expect(error.code).toBe('rate_limited')
                expect(error.retryable).toBe(true)
                expect(error.status).toBe(429)
                expect(error.retryAfterMs).toBe(retryAfterMs)
                expect(error.provider).toBe(target.name)
                expect(fake.requests).toHaveLength(1)
              },
            )
          },
        )

        it('500 → UnavailableError, one attempt', async () => {
          await withFake([{ fault: { type: 'http', status: 500, message: 'boom' } }], async (fake, model) => {
            const { error } = await fail(model, hello, mode)
            expect(error.code).toBe('unavailable')
            expect(error.retryable).toBe(true)
            expect(error.status).toBe(500)
            expect(fake.requests).toHaveLength(1)
          })
        })

        it('overloaded → a retryable typed error', async () => {
          await withFake([{ fault: wire.overloadedFault }], async (fake, model) => {
            const { error } = await fail(model, hello, mode)
            expect(error.code).toBe(wire.overloadedCode)
            expect(error.retryable).toBe(true)
            expect(fake.requests).toHaveLength(1)
          })
        })

        it('401 → AuthenticationError, not retryable, key redacted even when echoed', async () => {
          const message = `Incorrect API key provided: ${SECRET_API_KEY}.`
          await withFake(
            [{ fault: { type: 'http', status: 401, errorType: 'invalid_api_key', message } }],
            async (fake, model) => {
              const { error } = await fail(model, hello, mode)
              expect(error.code).toBe('authentication')
              expect(error.retryable).toBe(false)
              expect(error.status).toBe(401)
              expect(fake.requests).toHaveLength(1)
            },
          )
        })

        it('context length → ContextLengthExceededError, not retryable', async () => {
          await withFake([{ fault: wire.contextLengthFault }], async (_fake, model) => {
            const { error } = await fail(model, hello, mode)
            expect(error.code).toBe('context_length_exceeded')
            expect(error.retryable).toBe(false)
          })
        })

        it('connection reset before the response → UnavailableError', async () => {
          await withFake([{ text: 'never', fault: { type: 'reset' } }], async (fake, model) => {
            const { error } = await fail(model, hello, mode)
            expect(error.code).toBe('unavailable')
            expect(error.retryable).toBe(true)
            expect(fake.requests).toHaveLength(1)
          })
        })

        it('stall past timeoutMs → TimeoutError', async () => {
          await withFake(
            [{ text: 'Hello world', fault: { type: 'stall', afterChunks: stallAt } }],
            async (_fake, model) => {
              const { error } = await fail(model, hello, mode, { timeoutMs: 150 })
              expect(error.code).toBe('timeout')
              expect(error.retryable).toBe(true)
            },
          )
        })

        it('malformed JSON → InvalidResponseError', async () => {
          await withFake(
            [{ text: 'Hello world', fault: { type: 'malformed', afterChunks: 2 } }],
            async (_f, model) => {
              const { error } = await fail(model, hello, mode)
              expect(error.code).toBe('invalid_response')
            },
          )
        })

        it('abort through the AbortSignal → AbortedError', async () => {
          await withFake(
            [{ text: 'Hello world', fault: { type: 'stall', afterChunks: stallAt } }],
            async (fake, model) => {
              const controller = new AbortController()
              // generate: abort once the fake has the request (vi.waitFor's default 1 s is short for a
              // worker starved on a loaded machine; a miss would leave the stalled call hanging)
              if (!stream)
                void vi
                  .waitFor(() => expect(fake.requests).toHaveLength(1), { timeout: 10_000 })
                  .then(() => controller.abort())
              const { error } = await fail(model, hello, mode, { signal: controller.signal }, () =>
                controller.abort(),
              )
              expect(error.code).toBe('aborted')
              expect(error.retryable).toBe(false)
            },
          )
        })

        it('forwards CallOptions headers', async () => {
          await withFake([{ text: 'ok' }], async (fake, model) => {
            await call(model, hello, mode, { headers: { 'x-trace-id': 'trace-123' } })
            expect(fake.requests[0]?.headers['x-trace-id']).toBe('trace-123')
          })
        })

        if (stream) {
          it('reset mid-stream → deltas, then UnavailableError; never a shortened answer', async () => {
            await withFake(
              [{ text: 'Hello world', fault: { type: 'reset', afterChunks: resetAt } }],
              async (_f, model) => {
                const { error, events } = await fail(model, hello, mode)
                expect(error.code).toBe('unavailable')
                expect(events.some((e) => e.type === 'text-delta')).toBe(true)
              },
            )
          })

          it('a stream cut short → InvalidResponseError', async () => {
            await withFake(
              [{ text: 'Hello world', fault: { type: 'truncate', afterChunks: 2 } }],
              async (_f, model) => {
                const { error } = await fail(model, hello, mode)
                expect(error.code).toBe('invalid_response')
              },
            )
          })

          it('a stream missing only its terminal event → InvalidResponseError', async () => {
            const fault = { type: 'truncate', afterChunks: wire.framesBeforeTerminal } as const
            await withFake([{ text: 'Hello world', fault }], async (_f, model) => {
              const { error, events } = await fail(model, hello, mode)
              expect(error.code).toBe('invalid_response')
              expect(textOf(events)).toBe('Hello world')
            })
          })

          it('an error event inside a 200 stream → the typed error', async () => {
            await withFake([{ text: 'Hello world', fault: wire.inStreamError.fault }], async (_f, model) => {
              const { error, events } = await fail(model, hello, mode)
              expect(error.code).toBe(wire.inStreamError.code)
              expect(events.some((e) => e.type === 'text-delta')).toBe(true)
            })
          })

          it('a middleware that rewrites text deltas rewrites the response', async () => {
            await withFake([{ text: 'Hello world' }], async (fake, model) => {
              const shouting = wrapChatModel(model, {
                wrapStream: ({ doStream }) =>
                  relayChatStream(doStream(), {
                    map: (event) =>
                      event.type === 'text-delta' ? { ...event, delta: event.delta.toUpperCase() } : event,
                  }),
              })
              const { response, events } = await call(shouting, hello, mode)
              expect(textOf(events)).toBe('HELLO WORLD')
              expect(response.text).toBe('HELLO WORLD')
              expect(response.message.content).toEqual([{ type: 'text', text: 'HELLO WORLD' }])
              expect(response.provider).toBe(target.name)
              expect(fake.requests).toHaveLength(1)
            })
          })

          it('breaking out of the stream early cancels the call', async () => {
            await withFake(
              [{ text: 'Hello world', fault: { type: 'stall', afterChunks: stallAt } }],
              async (_f, model) => {
                const events: ChatStreamEvent[] = []
                const s = model.stream(hello)
                for await (const event of s) {
                  events.push(event)
                  break
                }
                expect(events).toHaveLength(1)
                await expect(s.response).rejects.toMatchObject({ code: 'aborted' })
                // the HTTP request itself ends: the fake sees the client leave (an event, polled)
                await vi.waitFor(() => expect(_f.requests[0]?.clientLeftEarly).toBe(true), {
                  timeout: 10_000,
                })
              },
            )
          })

          it('breaking out early cancels the call when the caller passed a signal too', async () => {
            await withFake(
              [{ text: 'Hello world', fault: { type: 'stall', afterChunks: stallAt } }],
              async (fake, model) => {
                const s = model.stream(hello, { signal: new AbortController().signal, timeoutMs: 60_000 })
                for await (const _event of s) break
                await expect(s.response).rejects.toMatchObject({ code: 'aborted' })
                await vi.waitFor(() => expect(fake.requests[0]?.clientLeftEarly).toBe(true), {
                  timeout: 10_000,
                })
              },
            )
          })
        }
      })
    })

    it('never leaks the API key into events', async () => {
      await withFake(
        [{ text: 'Hello world', toolCalls: [{ id: 'c', name: 'get_weather', input: {} }] }],
        async (_f, m) => {
          const s = m.stream({ ...hello, tools: [weatherTool] })
          const events: ChatStreamEvent[] = []
          for await (const event of s) events.push(event)
          expect(JSON.stringify(events)).not.toContain(SECRET_API_KEY)
        },
      )
    })
  })
}

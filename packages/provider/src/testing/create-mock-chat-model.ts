import type { CallOptions, ChatModel, ChatStream } from '../chat-model'
import { createChatResponse } from '../create-chat-response'
import { createChatStream } from '../create-chat-stream'
import { runCall } from '../run-call'
import type { ChatRequest } from '../schemas/chat-request'
import type { ChatResponse } from '../schemas/chat-response'
import type { ChatStreamPart } from '../schemas/chat-stream-part'
import type { ReasoningPart, TextPart, ToolCallPart } from '../schemas/content-parts'
import type { FinishReason } from '../schemas/finish-reason'
import type { Usage } from '../schemas/usage'
import { validateChatRequest } from '../validate-chat-request'

/** One scripted answer of a {@link createMockChatModel}. */
export interface MockAnswer {
  /** The text of the answer. */
  text?: string
  /** Visible reasoning before the text. */
  reasoning?: string
  /** Tool calls after the text; ids default to `call_<n>`. */
  toolCalls?: { id?: string; name: string; input: unknown }[]
  /** Defaults to `tool-calls` when there are tool calls, else `stop`. */
  finishReason?: FinishReason
  /** Defaults to one token per four characters of input and output. */
  usage?: Partial<Usage>
  /** How many characters each streamed text delta holds (default 8). */
  chunkSize?: number
  /** Waits this long before answering; honours the call's signal and timeout (fake timers work). */
  delayMs?: number
  /** Streams: throw this error after this many events instead of finishing. */
  failAfter?: { events: number; error: Error }
}

/** One scripted step: an answer, or an error to reject with. */
export type MockStep = MockAnswer | { error: Error }

/** A call the mock received. */
export interface MockCall {
  method: 'generate' | 'stream'
  request: ChatRequest
  options: CallOptions | undefined
}

/** Options of {@link createMockChatModel}. */
export interface MockChatModelOptions {
  /** Defaults to `mock`. */
  provider?: string
  /** Defaults to `mock-model`. */
  modelId?: string
  /**
   * The answers, one per call in order, or a function that picks one per call. Calls past the
   * end of the list fail with an error that says so.
   */
  script: MockStep[] | ((request: ChatRequest, callIndex: number) => MockStep)
}

/** A {@link ChatModel} that answers from a script and records what it was asked. */
export interface MockChatModel extends ChatModel {
  /** Every call so far, in order. */
  readonly calls: MockCall[]
}

/**
 * An in-memory `ChatModel` for testing code that consumes models: scripted answers (text,
 * reasoning, tool calls, usage), scripted failures (before the call, or mid-stream), delays that
 * respect abort and timeout, and a record of every call. Requests are validated as a real adapter
 * would, so an invalid request fails the same way.
 *
 * @example
 * ```ts
 * const model = createMockChatModel({ script: [{ toolCalls: [{ name: 'search', input: { q: 'x' } }] }, { text: 'done' }] })
 * ```
 */
export function createMockChatModel(options: MockChatModelOptions): MockChatModel {
  const provider = options.provider ?? 'mock'
  const modelId = options.modelId ?? 'mock-model'
  const calls: MockCall[] = []

  // a script that runs out fails the same way from generate and stream: a non-retryable
  // UnknownError (through toQlError), so a router under test never retries a test bug
  const nextStep = (request: ChatRequest, index: number): MockStep => {
    if (typeof options.script === 'function') return options.script(request, index)
    const step = options.script[index]
    if (step === undefined) {
      throw new Error(`mock model script has ${options.script.length} steps, but call ${index + 1} was made`)
    }
    return step
  }

  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    calls,
    async generate(request: ChatRequest, callOptions?: CallOptions): Promise<ChatResponse> {
      calls.push({ method: 'generate', request, options: callOptions })
      const index = calls.length - 1
      return runCall({ ...callOptions, provider, modelId }, async (signal) => {
        const step = nextStep(validateChatRequest(request), index)
        if ('error' in step) throw step.error
        await delay(step.delayMs, signal)
        return createChatResponse({
          content: answerContent(step),
          finishReason: finishReasonOf(step),
          usage: usageOf(step, request),
          provider,
          modelId,
        })
      })
    },
    stream(request: ChatRequest, callOptions?: CallOptions): ChatStream {
      calls.push({ method: 'stream', request, options: callOptions })
      const index = calls.length - 1
      return createChatStream({
        provider,
        modelId,
        signal: callOptions?.signal,
        timeoutMs: callOptions?.timeoutMs,
        start: async function* (signal) {
          const step = nextStep(validateChatRequest(request), index)
          if ('error' in step) throw step.error
          await delay(step.delayMs, signal)
          let emitted = 0
          for (const part of answerParts(step, request)) {
            if (step.failAfter !== undefined && emitted >= step.failAfter.events) throw step.failAfter.error
            yield part
            emitted += 1
          }
        },
      })
    },
  }
}

function answerContent(answer: MockAnswer): (TextPart | ReasoningPart | ToolCallPart)[] {
  const content: (TextPart | ReasoningPart | ToolCallPart)[] = []
  if (answer.reasoning !== undefined) content.push({ type: 'reasoning', text: answer.reasoning })
  if (answer.text !== undefined && answer.text !== '') content.push({ type: 'text', text: answer.text })
  answer.toolCalls?.forEach((call, index) => {
    content.push({
      type: 'tool-call',
      toolCallId: call.id ?? `call_${index + 1}`,
      toolName: call.name,
      input: call.input,
    })
  })
  return content
}

function* answerParts(answer: MockAnswer, request: ChatRequest): Generator<ChatStreamPart> {
  const size = Math.max(1, answer.chunkSize ?? 8)
  if (answer.reasoning !== undefined) {
    for (let i = 0; i < answer.reasoning.length; i += size) {
      yield { type: 'reasoning-delta', delta: answer.reasoning.slice(i, i + size) }
    }
    yield { type: 'reasoning-end' }
  }
  const text = answer.text ?? ''
  for (let i = 0; i < text.length; i += size) yield { type: 'text-delta', delta: text.slice(i, i + size) }
  for (const [index, call] of (answer.toolCalls ?? []).entries()) {
    const toolCallId = call.id ?? `call_${index + 1}`
    const json = JSON.stringify(call.input)
    for (let i = 0; i < json.length; i += size) {
      yield { type: 'tool-call-delta', toolCallId, toolName: call.name, inputDelta: json.slice(i, i + size) }
    }
    yield { type: 'tool-call-end', toolCallId }
  }
  yield { type: 'usage', usage: usageOf(answer, request) }
  yield { type: 'finish', finishReason: finishReasonOf(answer) }
}

function finishReasonOf(answer: MockAnswer): FinishReason {
  return answer.finishReason ?? ((answer.toolCalls?.length ?? 0) > 0 ? 'tool-calls' : 'stop')
}

function usageOf(answer: MockAnswer, request: ChatRequest): Usage {
  const inputChars = JSON.stringify(request.messages).length + (request.system?.length ?? 0)
  const outputChars = (answer.text?.length ?? 0) + JSON.stringify(answer.toolCalls ?? []).length
  return {
    inputTokens: Math.ceil(inputChars / 4),
    outputTokens: Math.ceil(outputChars / 4),
    ...answer.usage,
  }
}

function delay(ms: number | undefined, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(signal.reason)
  if (ms === undefined || ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

import { encodeEventStreamFrame } from './encode-event-stream-frame'
import type { FakeHttpResponse, FakeProtocol, FakeRequestContext } from './fake-protocol'
import type { FakeAnswer, FakeFault } from './fake-script'

const STOP_REASONS = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'content_filtered',
} as const

/** The exception Bedrock names for each HTTP status (`x-amzn-errortype`). */
const ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  409: 'ConflictException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
}

const DEFAULT_USAGE: NonNullable<FakeAnswer['usage']> = { inputTokens: 10, outputTokens: 5 }
const PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/

const utf8 = new TextEncoder()

/**
 * Amazon Bedrock Converse (`POST /model/{modelId}/converse`, JSON) and ConverseStream
 * (`POST /model/{modelId}/converse-stream`, AWS event-stream frames with `:event-type`,
 * `:content-type` and `:message-type` headers) for the fake server, served over cleartext HTTP/2
 * like the SDK's default handler expects. HTTP errors carry `x-amzn-errortype`; in-stream errors
 * are `:message-type: exception` frames named by `:exception-type`.
 */
export const bedrockProtocol: FakeProtocol = {
  name: 'bedrock',
  http2: true,
  streamContentType: 'application/vnd.amazon.eventstream',

  baseURL: (origin) => origin,

  describe(_method, path) {
    const match = PATH.exec(path)
    if (match === null) return { model: '', stream: false }
    return { model: decodeURIComponent(match[1] ?? ''), stream: match[2] === 'converse-stream' }
  },

  renderAnswer(answer, context) {
    const content: unknown[] = []
    if (answer.reasoning !== undefined) {
      content.push({
        reasoningContent: {
          reasoningText: {
            text: answer.reasoning.text,
            ...(answer.reasoning.signature === undefined ? {} : { signature: answer.reasoning.signature }),
          },
        },
      })
    }
    if (answer.text !== undefined && answer.text !== '') content.push({ text: answer.text })
    for (const call of answer.toolCalls ?? []) {
      content.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.input ?? {} } })
    }
    return {
      status: 200,
      headers: { 'x-amzn-requestid': requestId(context), ...answer.headers },
      body: {
        output: { message: { role: 'assistant', content } },
        stopReason: stopReason(answer),
        usage: renderUsage(answer),
        metrics: { latencyMs: 1 },
        ...trace(answer),
      },
    }
  },

  streamHeaders: (context) => ({ 'x-amzn-requestid': requestId(context) }),

  renderStream(answer) {
    const frames: Uint8Array[] = [event('messageStart', { role: 'assistant' })]
    const size = Math.max(1, answer.chunkSize ?? 4)
    let index = 0
    if (answer.reasoning !== undefined) {
      for (const piece of chunks(answer.reasoning.text, size)) {
        frames.push(blockDelta(index, { reasoningContent: { text: piece } }))
      }
      if (answer.reasoning.signature !== undefined) {
        frames.push(blockDelta(index, { reasoningContent: { signature: answer.reasoning.signature } }))
      }
      frames.push(event('contentBlockStop', { contentBlockIndex: index }))
      index += 1
    }
    if (answer.text !== undefined && answer.text !== '') {
      for (const piece of chunks(answer.text, size)) frames.push(blockDelta(index, { text: piece }))
      frames.push(event('contentBlockStop', { contentBlockIndex: index }))
      index += 1
    }
    for (const call of answer.toolCalls ?? []) {
      frames.push(
        event('contentBlockStart', {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: call.id, name: call.name } },
        }),
      )
      for (const piece of chunks(JSON.stringify(call.input ?? {}), size)) {
        frames.push(blockDelta(index, { toolUse: { input: piece } }))
      }
      frames.push(event('contentBlockStop', { contentBlockIndex: index }))
      index += 1
    }
    frames.push(
      event('messageStop', { stopReason: stopReason(answer) }),
      event('metadata', { usage: renderUsage(answer), metrics: { latencyMs: 1 }, ...trace(answer) }),
    )
    return frames
  },

  renderHttpError(fault, context): FakeHttpResponse {
    const type =
      fault.errorType ??
      ERROR_TYPES[fault.status] ??
      (fault.status >= 500 ? 'InternalServerException' : 'ValidationException')
    return {
      status: fault.status,
      headers: {
        'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        'x-amzn-requestid': requestId(context),
        ...fault.headers,
      },
      body: { message: fault.message ?? `fake ${type}` },
    }
  },

  renderErrorEvent(fault: Extract<FakeFault, { type: 'error-event' }>) {
    const type = fault.errorType ?? 'ModelStreamErrorException'
    // the header names the member of the ConverseStreamOutput union (`throttlingException`)
    const member = type.charAt(0).toLowerCase() + type.slice(1)
    const body: Record<string, unknown> = { message: fault.message ?? `fake ${type}` }
    if (type === 'ModelStreamErrorException') {
      body.originalStatusCode = 500
      body.originalMessage = body.message
    }
    return encodeEventStreamFrame(
      { ':message-type': 'exception', ':exception-type': member, ':content-type': 'application/json' },
      utf8.encode(JSON.stringify(body)),
    )
  },

  renderMalformedFrame() {
    const frame = blockDelta(0, { text: 'corrupt' })
    // flip a payload byte so the message CRC no longer matches
    const last = frame.length - 6
    frame[last] = (frame[last] ?? 0) ^ 0xff
    return frame
  },
}

function event(type: string, payload: unknown): Uint8Array {
  return encodeEventStreamFrame(
    { ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' },
    utf8.encode(JSON.stringify(payload)),
  )
}

function blockDelta(index: number, delta: unknown): Uint8Array {
  return event('contentBlockDelta', { contentBlockIndex: index, delta })
}

function stopReason(answer: FakeAnswer): string {
  const reason = answer.finishReason ?? ((answer.toolCalls?.length ?? 0) > 0 ? 'tool-calls' : 'stop')
  return STOP_REASONS[reason]
}

/** Bedrock counts cache reads and writes apart from `inputTokens`; the fake's usage includes them. */
function renderUsage(answer: FakeAnswer) {
  const usage = answer.usage ?? DEFAULT_USAGE
  const cached = usage.cachedInputTokens ?? 0
  const inputTokens = Math.max(0, usage.inputTokens - cached)
  return {
    inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: inputTokens + cached + usage.outputTokens,
    cacheReadInputTokens: cached,
    cacheWriteInputTokens: 0,
  }
}

/** Bedrock names the model that answered only when a prompt router chose it, in the trace. */
function trace(answer: FakeAnswer) {
  return answer.model === undefined ? {} : { trace: { promptRouter: { invokedModelId: answer.model } } }
}

function requestId(context: FakeRequestContext): string {
  return `00000000-0000-4000-8000-${String(context.sequence).padStart(12, '0')}`
}

function chunks(text: string, size: number): string[] {
  const pieces: string[] = []
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size))
  return pieces
}

import type { FakeHttpResponse, FakeProtocol, FakeRequestContext } from './fake-protocol'
import type { FakeAnswer, FakeFault } from './fake-script'

const STOP_REASONS = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
} as const

/** The `error.type` Anthropic sends with each HTTP status. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
}

const DEFAULT_USAGE: NonNullable<FakeAnswer['usage']> = { inputTokens: 10, outputTokens: 5 }

/**
 * The Anthropic Messages API (`POST /v1/messages`) for the fake server: a message object as
 * JSON, or the SSE event sequence `message_start`, `content_block_start` /
 * `content_block_delta` (`thinking_delta`, `signature_delta`, `text_delta`, `input_json_delta`) /
 * `content_block_stop` per block, a `ping`, `message_delta` and `message_stop`. Errors use Anthropic's
 * body `{ type: 'error', error: { type, message } }`, in HTTP responses and as SSE `error` events.
 */
export const anthropicProtocol: FakeProtocol = {
  name: 'anthropic',
  http2: false,
  streamContentType: 'text/event-stream; charset=utf-8',

  baseURL: (origin) => origin,

  describe(_method, _path, body) {
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
    return { model: typeof record.model === 'string' ? record.model : '', stream: record.stream === true }
  },

  renderAnswer(answer, context) {
    const content: unknown[] = []
    if (answer.reasoning !== undefined) {
      content.push({
        type: 'thinking',
        thinking: answer.reasoning.text,
        signature: answer.reasoning.signature ?? '',
      })
    }
    if (answer.text !== undefined && answer.text !== '')
      content.push({ type: 'text', text: answer.text, citations: null })
    for (const call of answer.toolCalls ?? []) {
      content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input })
    }
    return {
      status: 200,
      headers: { 'request-id': `req_fake_${context.sequence}`, ...answer.headers },
      body: {
        ...messageShell(answer, context),
        content,
        stop_reason: stopReason(answer),
        usage: renderUsage(answer, true),
      },
    }
  },

  streamHeaders: (context) => ({ 'request-id': `req_fake_${context.sequence}` }),

  renderStream(answer, context) {
    const frames: string[] = []
    const shell = messageShell(answer, context)
    const usage = renderUsage(answer, false)
    frames.push(
      sse('message_start', {
        type: 'message_start',
        message: { ...shell, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
      }),
    )
    const size = Math.max(1, answer.chunkSize ?? 4)
    let index = 0
    if (answer.reasoning !== undefined) {
      frames.push(block(index, { type: 'thinking', thinking: '', signature: '' }))
      for (const piece of chunks(answer.reasoning.text, size)) {
        frames.push(delta(index, { type: 'thinking_delta', thinking: piece }))
      }
      if (answer.reasoning.signature !== undefined) {
        frames.push(delta(index, { type: 'signature_delta', signature: answer.reasoning.signature }))
      }
      frames.push(stop(index))
      index += 1
    }
    if (answer.text !== undefined && answer.text !== '') {
      frames.push(block(index, { type: 'text', text: '', citations: null }))
      for (const piece of chunks(answer.text, size))
        frames.push(delta(index, { type: 'text_delta', text: piece }))
      frames.push(stop(index))
      index += 1
    }
    for (const call of answer.toolCalls ?? []) {
      frames.push(block(index, { type: 'tool_use', id: call.id, name: call.name, input: {} }))
      for (const piece of chunks(JSON.stringify(call.input ?? {}), size)) {
        frames.push(delta(index, { type: 'input_json_delta', partial_json: piece }))
      }
      frames.push(stop(index))
      index += 1
    }
    frames.push(
      sse('ping', { type: 'ping' }),
      sse('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason(answer), stop_sequence: null, stop_details: null, container: null },
        usage: renderUsage(answer, true),
      }),
      sse('message_stop', { type: 'message_stop' }),
    )
    return frames
  },

  renderHttpError(fault, context): FakeHttpResponse {
    const type =
      fault.errorType ??
      ERROR_TYPES[fault.status] ??
      (fault.status >= 500 ? 'api_error' : 'invalid_request_error')
    return {
      status: fault.status,
      headers: { 'request-id': `req_fake_${context.sequence}`, ...fault.headers },
      body: { type: 'error', error: { type, message: fault.message ?? defaultMessage(type) } },
    }
  },

  renderErrorEvent(fault: Extract<FakeFault, { type: 'error-event' }>) {
    const type = fault.errorType ?? 'overloaded_error'
    return sse('error', { type: 'error', error: { type, message: fault.message ?? defaultMessage(type) } })
  },

  renderMalformedFrame() {
    return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta",\n\n'
  },
}

function messageShell(answer: FakeAnswer, context: FakeRequestContext) {
  return {
    id: `msg_fake_${context.sequence}`,
    type: 'message',
    role: 'assistant',
    model: answer.model ?? context.model,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
  }
}

function stopReason(answer: FakeAnswer): string {
  const reason = answer.finishReason ?? ((answer.toolCalls?.length ?? 0) > 0 ? 'tool-calls' : 'stop')
  return STOP_REASONS[reason]
}

/** Anthropic counts cache reads apart from `input_tokens`; the fake's usage includes them. */
function renderUsage(answer: FakeAnswer, withOutput: boolean) {
  const usage = answer.usage ?? DEFAULT_USAGE
  const cached = usage.cachedInputTokens ?? 0
  return {
    input_tokens: Math.max(0, usage.inputTokens - cached),
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: 0,
    output_tokens: withOutput ? usage.outputTokens : 0,
    output_tokens_details:
      usage.reasoningTokens === undefined ? null : { thinking_tokens: usage.reasoningTokens },
    server_tool_use: null,
    service_tier: 'standard',
  }
}

function defaultMessage(type: string): string {
  return type === 'overloaded_error' ? 'Overloaded' : `fake ${type}`
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

function block(index: number, contentBlock: unknown): string {
  return sse('content_block_start', { type: 'content_block_start', index, content_block: contentBlock })
}

function delta(index: number, value: unknown): string {
  return sse('content_block_delta', { type: 'content_block_delta', index, delta: value })
}

function stop(index: number): string {
  return sse('content_block_stop', { type: 'content_block_stop', index })
}

function chunks(text: string, size: number): string[] {
  const pieces: string[] = []
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size))
  return pieces
}

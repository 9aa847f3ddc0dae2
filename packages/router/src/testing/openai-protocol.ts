import type { FakeHttpResponse, FakeProtocol, FakeRequestContext } from './fake-protocol'
import type { FakeAnswer } from './fake-script'
import {
  renderResponsesAnswer,
  renderResponsesErrorEvent,
  renderResponsesMalformedFrame,
  renderResponsesStream,
} from './openai-responses-render'

const FINISH_REASONS: Record<NonNullable<FakeAnswer['finishReason']>, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
}

/** The error `type` OpenAI sends with each status; `FakeFault.errorType` fills `code`. */
const ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
}

interface RequestBody {
  model?: unknown
  stream?: unknown
  stream_options?: { include_usage?: unknown } | null
}

/** Whether the request went to the Responses API (`/v1/responses`) rather than Chat Completions. */
const isResponses = (context: FakeRequestContext) => context.request.path.endsWith('/responses')

const sse = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`

function chunks(text: string, size: number): string[] {
  const result: string[] = []
  for (let i = 0; i < text.length; i += size) result.push(text.slice(i, i + size))
  return result
}

function renderUsage(answer: FakeAnswer) {
  const usage = answer.usage ?? {
    inputTokens: 10,
    outputTokens: Math.max(1, Math.ceil((answer.text ?? '').length / 4)),
  }
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}

function finishReason(answer: FakeAnswer): string {
  const reason = answer.finishReason ?? ((answer.toolCalls?.length ?? 0) > 0 ? 'tool-calls' : 'stop')
  return FINISH_REASONS[reason]
}

function header(answer: FakeAnswer, context: FakeRequestContext) {
  return {
    id: `chatcmpl-fake-${context.sequence}`,
    created: 1_750_000_000,
    model: answer.model ?? context.model,
    system_fingerprint: 'fp_fake',
  }
}

/**
 * OpenAI Chat Completions on the wire: `POST /v1/chat/completions`, a `chat.completion` JSON
 * answer, or `chat.completion.chunk` SSE frames (`data: {...}`) with `choices[].delta` (content,
 * and tool calls streamed by `index`: id and name first, then argument fragments), a chunk with
 * the `finish_reason`, the usage chunk (`choices: []`) when `stream_options.include_usage` is set,
 * and `data: [DONE]`. Errors are `{ error: { message, type, code, param } }`, in the body of an
 * HTTP error or as a `data:` frame inside a 200 stream.
 *
 * Requests to `/v1/responses` are answered in the Responses API's shapes instead (see
 * `openai-responses-render.ts`): a `response` object, or typed events ending with `response.completed`.
 *
 * Reasoning in a fake answer is sent as `reasoning_content`, the field OpenAI-compatible servers
 * (vLLM, DeepSeek, LM Studio) use; OpenAI itself does not return reasoning text here.
 */
export const openaiProtocol: FakeProtocol = {
  name: 'openai',
  http2: false,
  baseURL: (origin) => `${origin}/v1`,
  streamContentType: 'text/event-stream',

  describe(_method, _path, body) {
    const request = (typeof body === 'object' && body !== null ? body : {}) as RequestBody
    return {
      model: typeof request.model === 'string' ? request.model : 'unknown',
      stream: request.stream === true,
    }
  },

  renderAnswer(answer, context): FakeHttpResponse {
    if (isResponses(context)) return renderResponsesAnswer(answer, context)
    const toolCalls = answer.toolCalls ?? []
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: answer.text ?? null,
      refusal: null,
      annotations: [],
    }
    if (answer.reasoning !== undefined) message.reasoning_content = answer.reasoning.text
    if (toolCalls.length > 0) {
      message.tool_calls = toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.input) },
      }))
    }
    return {
      status: 200,
      headers: { 'x-request-id': `req_fake_${context.sequence}`, ...answer.headers },
      body: {
        ...header(answer, context),
        object: 'chat.completion',
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(answer) }],
        usage: renderUsage(answer),
        service_tier: 'default',
      },
    }
  },

  streamHeaders: (context) => ({ 'x-request-id': `req_fake_${context.sequence}` }),

  renderStream(answer, context) {
    if (isResponses(context)) return renderResponsesStream(answer, context)
    const size = answer.chunkSize ?? 4
    const includeUsage =
      (context.request.body as RequestBody | undefined)?.stream_options?.include_usage === true
    const base = { ...header(answer, context), object: 'chat.completion.chunk' }
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      sse({
        ...base,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      })
    const frames: string[] = [chunk({ role: 'assistant', content: '', refusal: null })]
    if (answer.reasoning !== undefined) {
      for (const piece of chunks(answer.reasoning.text, size))
        frames.push(chunk({ reasoning_content: piece }))
    }
    for (const piece of chunks(answer.text ?? '', size)) frames.push(chunk({ content: piece }))
    answer.toolCalls?.forEach((call, index) => {
      frames.push(
        chunk({
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
          ],
        }),
      )
      for (const piece of chunks(JSON.stringify(call.input), size)) {
        frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }))
      }
    })
    frames.push(chunk({}, finishReason(answer)))
    if (includeUsage) frames.push(sse({ ...base, choices: [], usage: renderUsage(answer) }))
    frames.push(sse('[DONE]'))
    return frames
  },

  renderHttpError(fault, context) {
    if (fault.body !== undefined) {
      return {
        status: fault.status,
        headers: { 'x-request-id': `req_fake_${context.sequence}`, ...fault.headers },
        body: fault.body,
      }
    }
    const known = ERROR_TYPES[fault.status]
    const type = known?.type ?? (fault.status >= 500 ? 'server_error' : 'invalid_request_error')
    return {
      status: fault.status,
      headers: { 'x-request-id': `req_fake_${context.sequence}`, ...fault.headers },
      body: {
        error: {
          message:
            fault.message ?? known?.message ?? 'The server had an error while processing your request.',
          type,
          param: null,
          code: fault.errorType ?? known?.code ?? null,
        },
      },
    }
  },

  renderErrorEvent(fault, context) {
    if (isResponses(context)) return renderResponsesErrorEvent(fault)
    if (fault.body !== undefined) return sse(fault.body)
    return sse({
      error: {
        message: fault.message ?? 'The server had an error while processing your request.',
        type: fault.errorType ?? 'server_error',
        param: null,
        code: fault.errorType ?? null,
      },
    })
  },

  renderMalformedFrame(context) {
    if (isResponses(context)) return renderResponsesMalformedFrame()
    return 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"delta":\n\n'
  },
}

import type { FakeHttpResponse, FakeRequestContext } from './fake-protocol'
import type { FakeAnswer, FakeFault } from './fake-script'

/**
 * The OpenAI Responses API (`POST /v1/responses`) half of the OpenAI fake: a `response` object,
 * or typed SSE events (`event: response.output_text.delta` / `data: {...}`) ending with
 * `response.completed` (or `response.incomplete`). In-stream errors are `event: error` frames.
 */

function chunks(text: string, size: number): string[] {
  const result: string[] = []
  for (let i = 0; i < text.length; i += size) result.push(text.slice(i, i + size))
  return result
}

function usageOf(answer: FakeAnswer) {
  const usage = answer.usage ?? {
    inputTokens: 10,
    outputTokens: Math.max(1, Math.ceil((answer.text ?? '').length / 4)),
  }
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  }
}

function statusOf(answer: FakeAnswer): { status: string; incomplete_details: { reason: string } | null } {
  if (answer.finishReason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }
  if (answer.finishReason === 'content-filter') {
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }
  }
  return { status: 'completed', incomplete_details: null }
}

/** The output items of a finished answer, in order: reasoning, message, function calls. */
function outputItems(answer: FakeAnswer, sequence: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = []
  if (answer.reasoning !== undefined) {
    items.push({
      type: 'reasoning',
      id: `rs_fake_${sequence}`,
      summary: [{ type: 'summary_text', text: answer.reasoning.text }],
    })
  }
  if (answer.text !== undefined) {
    items.push({
      type: 'message',
      id: `msg_fake_${sequence}`,
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: answer.text, annotations: [] }],
    })
  }
  answer.toolCalls?.forEach((call, index) => {
    items.push({
      type: 'function_call',
      id: `fc_fake_${sequence}_${index}`,
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.input),
      status: 'completed',
    })
  })
  return items
}

function responseObject(answer: FakeAnswer, context: FakeRequestContext, done: boolean) {
  return {
    id: `resp_fake_${context.sequence}`,
    object: 'response',
    created_at: 1_750_000_000,
    model: answer.model ?? context.model,
    ...(done ? statusOf(answer) : { status: 'in_progress', incomplete_details: null }),
    error: null,
    output: done ? outputItems(answer, context.sequence) : [],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: done ? usageOf(answer) : null,
  }
}

export function renderResponsesAnswer(answer: FakeAnswer, context: FakeRequestContext): FakeHttpResponse {
  return {
    status: 200,
    headers: { 'x-request-id': `req_fake_${context.sequence}`, ...answer.headers },
    body: responseObject(answer, context, true),
  }
}

export function renderResponsesStream(answer: FakeAnswer, context: FakeRequestContext): string[] {
  const size = answer.chunkSize ?? 4
  let sequenceNumber = 0
  const frames: string[] = []
  const emit = (type: string, data: Record<string, unknown>) => {
    frames.push(
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequenceNumber++, ...data })}\n\n`,
    )
  }
  emit('response.created', { response: responseObject(answer, context, false) })
  emit('response.in_progress', { response: responseObject(answer, context, false) })
  const items = outputItems(answer, context.sequence)
  items.forEach((item, outputIndex) => {
    const id = item.id as string
    if (item.type === 'reasoning') {
      emit('response.output_item.added', { output_index: outputIndex, item: { ...item, summary: [] } })
      for (const delta of chunks(answer.reasoning?.text ?? '', size)) {
        emit('response.reasoning_summary_text.delta', {
          item_id: id,
          output_index: outputIndex,
          summary_index: 0,
          delta,
        })
      }
      emit('response.output_item.done', { output_index: outputIndex, item })
    } else if (item.type === 'message') {
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      })
      const at = { item_id: id, output_index: outputIndex, content_index: 0 }
      emit('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } })
      for (const delta of chunks(answer.text ?? '', size))
        emit('response.output_text.delta', { ...at, delta })
      emit('response.output_text.done', { ...at, text: answer.text })
      emit('response.content_part.done', {
        ...at,
        part: { type: 'output_text', text: answer.text, annotations: [] },
      })
      emit('response.output_item.done', { output_index: outputIndex, item })
    } else {
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, arguments: '', status: 'in_progress' },
      })
      for (const delta of chunks(item.arguments as string, size)) {
        emit('response.function_call_arguments.delta', { item_id: id, output_index: outputIndex, delta })
      }
      emit('response.function_call_arguments.done', {
        item_id: id,
        output_index: outputIndex,
        arguments: item.arguments,
      })
      emit('response.output_item.done', { output_index: outputIndex, item })
    }
  })
  const final = responseObject(answer, context, true)
  emit(final.status === 'completed' ? 'response.completed' : 'response.incomplete', { response: final })
  return frames
}

export function renderResponsesErrorEvent(fault: Extract<FakeFault, { type: 'error-event' }>): string {
  const data = {
    type: 'error',
    code: fault.errorType ?? 'server_error',
    message: fault.message ?? 'The server had an error while processing your request.',
    param: null,
    sequence_number: 999,
  }
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`
}

export function renderResponsesMalformedFrame(): string {
  return 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":\n\n'
}

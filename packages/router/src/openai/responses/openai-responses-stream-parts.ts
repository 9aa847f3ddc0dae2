import { type ChatStreamPart, InvalidResponseError, type Warning } from '@ql/provider'
import type { ResponseStreamEvent } from 'openai/resources/responses/responses'
import { mapOpenAIResponseStatus, mapOpenAIResponseUsage, responseFailure } from './map-openai-response'

/**
 * Turns Responses API stream events into stream parts for `createChatStream`: text and
 * reasoning-summary deltas, function-call argument deltas keyed by item id (the call id and name
 * come with `response.output_item.added`), and usage and `finish` from the terminal
 * `response.completed` / `response.incomplete` event. `response.failed` and `error` events throw
 * the typed error; a stream that ends without a terminal event is an `InvalidResponseError`.
 */
export async function* toOpenAIResponsesStreamParts(
  events: AsyncIterable<ResponseStreamEvent>,
  context: { provider: string; warnings: Warning[] },
): AsyncGenerator<ChatStreamPart> {
  const { provider } = context
  for (const warning of context.warnings) yield { type: 'warning', warning }
  const calls = new Map<string, { id: string; name: string }>()

  for await (const event of events) {
    switch (event.type) {
      case 'response.created':
        yield { type: 'metadata', id: event.response.id, modelId: event.response.model }
        break
      case 'response.output_text.delta':
        yield { type: 'text-delta', delta: event.delta }
        break
      case 'response.reasoning_summary_text.delta':
        yield { type: 'reasoning-delta', delta: event.delta }
        break
      case 'response.output_item.added':
        if (event.item.type === 'function_call') {
          const call = { id: event.item.call_id, name: event.item.name }
          calls.set(event.item.id ?? call.id, call)
          yield {
            type: 'tool-call-delta',
            toolCallId: call.id,
            toolName: call.name,
            inputDelta: event.item.arguments,
          }
        }
        break
      case 'response.function_call_arguments.delta': {
        const call = calls.get(event.item_id)
        if (call === undefined) {
          throw new InvalidResponseError({
            message: `${provider} streamed arguments for function call item '${event.item_id}' before announcing it`,
            provider,
          })
        }
        yield { type: 'tool-call-delta', toolCallId: call.id, toolName: call.name, inputDelta: event.delta }
        break
      }
      case 'response.output_item.done':
        if (event.item.type === 'function_call')
          yield { type: 'tool-call-end', toolCallId: event.item.call_id }
        break
      case 'response.completed':
      case 'response.incomplete': {
        const { response } = event
        yield { type: 'metadata', id: response.id, modelId: response.model }
        yield { type: 'usage', usage: mapOpenAIResponseUsage(response.usage) }
        yield {
          type: 'finish',
          ...mapOpenAIResponseStatus(response.status, response.incomplete_details?.reason, calls.size > 0),
        }
        return
      }
      case 'response.failed':
        throw responseFailure(event.response.error)
      case 'error':
        throw responseFailure(event)
    }
  }
  throw new InvalidResponseError({
    message: `the ${provider} stream ended before response.completed; the answer is incomplete`,
    provider,
  })
}

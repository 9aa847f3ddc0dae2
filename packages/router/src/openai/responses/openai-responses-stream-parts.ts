import { type ChatStreamPart, InvalidResponseError } from '@ql/provider'
import type { ResponseStreamEvent } from 'openai/resources/responses/responses'
import { mapOpenAIResponseStatus, mapOpenAIResponseUsage, responseFailure } from './map-openai-response'

type Emit = (part: ChatStreamPart) => void

/**
 * Turns Responses API stream events into stream parts, one event at a time and synchronously: text
 * and reasoning-summary deltas, function-call argument deltas keyed by item id (the call id and
 * name come with `response.output_item.added`), and usage and `finish` from the terminal
 * `response.completed` / `response.incomplete` event. `response.failed` and `error` events throw
 * the typed error; a stream that ends without a terminal event is an `InvalidResponseError`.
 */
export class OpenAIResponsesStreamParts {
  readonly #provider: string
  readonly #calls = new Map<string, { id: string; name: string }>()
  #finished = false

  constructor(provider: string) {
    this.#provider = provider
  }

  map(event: ResponseStreamEvent, emit: Emit): void {
    if (this.#finished) return
    switch (event.type) {
      case 'response.created':
        emit({ type: 'metadata', id: event.response.id, modelId: event.response.model })
        return
      case 'response.output_text.delta':
        emit({ type: 'text-delta', delta: event.delta })
        return
      case 'response.reasoning_summary_text.delta':
        emit({ type: 'reasoning-delta', delta: event.delta })
        return
      case 'response.output_item.added':
        if (event.item.type === 'function_call') {
          const call = { id: event.item.call_id, name: event.item.name }
          this.#calls.set(event.item.id ?? call.id, call)
          emit({
            type: 'tool-call-delta',
            toolCallId: call.id,
            toolName: call.name,
            inputDelta: event.item.arguments,
          })
        }
        return
      case 'response.function_call_arguments.delta': {
        const call = this.#calls.get(event.item_id)
        if (call === undefined) {
          throw new InvalidResponseError({
            message: `${this.#provider} streamed arguments for function call item '${event.item_id}' before announcing it`,
            provider: this.#provider,
          })
        }
        emit({ type: 'tool-call-delta', toolCallId: call.id, toolName: call.name, inputDelta: event.delta })
        return
      }
      case 'response.output_item.done':
        if (event.item.type === 'function_call')
          emit({ type: 'tool-call-end', toolCallId: event.item.call_id })
        return
      case 'response.completed':
      case 'response.incomplete': {
        const { response } = event
        this.#finished = true
        emit({ type: 'metadata', id: response.id, modelId: response.model })
        emit({ type: 'usage', usage: mapOpenAIResponseUsage(response.usage) })
        emit({
          type: 'finish',
          ...mapOpenAIResponseStatus(
            response.status,
            response.incomplete_details?.reason,
            this.#calls.size > 0,
          ),
        })
        return
      }
      case 'response.failed':
        throw responseFailure(event.response.error)
      case 'error':
        throw responseFailure(event)
    }
  }

  end(): void {
    if (this.#finished) return
    throw new InvalidResponseError({
      message: `the ${this.#provider} stream ended before response.completed; the answer is incomplete`,
      provider: this.#provider,
    })
  }
}

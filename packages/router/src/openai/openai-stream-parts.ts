import { type ChatStreamPart, type FinishReason, InvalidResponseError } from '@ql/provider'
import type { ChatCompletionChunk } from 'openai/resources/chat/completions'
import { reasoningOf } from './map-openai-completion'
import { mapOpenAIFinishReason } from './map-openai-finish-reason'
import { mapOpenAIUsage } from './map-openai-usage'
import type { SseDoneWatch } from './watch-sse-done'

type Emit = (part: ChatStreamPart) => void

/**
 * Turns Chat Completions chunks into stream parts, one chunk at a time and synchronously: text and
 * reasoning deltas, tool-call argument fragments keyed by `index` (id and name arrive with the
 * first fragment), usage from the final usage chunk, and `finish` once the stream has ended
 * properly.
 *
 * "Ended properly" means a chunk carried a `finish_reason` and the body ended with `data: [DONE]`,
 * which the SDK consumes silently and the `watch` (filled by the fetch wrapper) reports. Without a
 * watch, the usage chunk that OpenAI sends last stands in for `[DONE]` when `requireUsageChunk` is
 * set. A stream cut before its end is an `InvalidResponseError`, never a shortened answer.
 */
export class OpenAIStreamParts {
  readonly #provider: string
  readonly #requireUsageChunk: boolean
  readonly #watch: SseDoneWatch | undefined
  readonly #calls = new Map<number, { id: string; name: string }>()
  #finish: { finishReason: FinishReason; rawFinishReason: string } | undefined
  #sawUsage = false
  #first = true

  constructor(context: { provider: string; requireUsageChunk: boolean; watch?: SseDoneWatch }) {
    this.#provider = context.provider
    this.#requireUsageChunk = context.requireUsageChunk
    this.#watch = context.watch
  }

  map(chunk: ChatCompletionChunk, emit: Emit): void {
    if (this.#first) {
      this.#first = false
      emit({ type: 'metadata', id: chunk.id, modelId: chunk.model })
    }
    if (chunk.usage) {
      this.#sawUsage = true
      emit({ type: 'usage', usage: mapOpenAIUsage(chunk.usage) })
    }
    const choice = chunk.choices?.[0]
    if (choice === undefined) return
    const delta = choice.delta ?? {}
    const reasoning = reasoningOf(delta)
    if (reasoning !== undefined) emit({ type: 'reasoning-delta', delta: reasoning })
    if (typeof delta.content === 'string' && delta.content !== '')
      emit({ type: 'text-delta', delta: delta.content })
    if (delta.tool_calls !== undefined && delta.tool_calls !== null) {
      for (const fragment of delta.tool_calls) this.#toolCall(fragment, emit)
    }
    if (choice.finish_reason) {
      for (const call of this.#calls.values()) emit({ type: 'tool-call-end', toolCallId: call.id })
      this.#finish = {
        finishReason: mapOpenAIFinishReason(choice.finish_reason),
        rawFinishReason: choice.finish_reason,
      }
    }
  }

  end(emit: Emit): void {
    const provider = this.#provider
    if (this.#finish === undefined) {
      throw new InvalidResponseError({
        message: `the ${provider} stream ended before its finish_reason chunk; the answer is incomplete`,
        provider,
      })
    }
    if (this.#watch?.observed === true) {
      if (!this.#watch.sawDone) {
        throw new InvalidResponseError({
          message: `the ${provider} stream ended without its final 'data: [DONE]'; it was cut short`,
          provider,
        })
      }
    } else if (this.#requireUsageChunk && !this.#sawUsage) {
      throw new InvalidResponseError({
        message: `the ${provider} stream ended after its finish_reason but before the final usage chunk; it was cut short`,
        provider,
      })
    }
    emit({ type: 'finish', ...this.#finish })
  }

  #toolCall(fragment: ChatCompletionChunk.Choice.Delta.ToolCall, emit: Emit): void {
    const index = fragment.index ?? 0
    let call = this.#calls.get(index)
    if (call === undefined) {
      const name = fragment.function?.name
      if (typeof name !== 'string' || name === '') {
        throw new InvalidResponseError({
          message: `${this.#provider} streamed tool call #${index} without its function name`,
          provider: this.#provider,
        })
      }
      call = { id: fragment.id || `${this.#provider}-call-${index}`, name }
      this.#calls.set(index, call)
    }
    emit({
      type: 'tool-call-delta',
      toolCallId: call.id,
      toolName: call.name,
      inputDelta: fragment.function?.arguments ?? '',
    })
  }
}

import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages'
import type { ChatStreamPart } from '@ql/provider'
import { mapAnthropicStopReason } from './map-anthropic-stop-reason'
import { type AnthropicUsage, mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage'

interface OpenBlock {
  type: string
  toolCallId?: string
  toolName?: string
  started?: boolean
  initialInput?: string
  signature?: string
}

type Emit = (part: ChatStreamPart) => void

/**
 * Turns the Messages API's SSE events into stream parts, one event at a time and synchronously:
 * `message_start` gives the id, model and input usage; `text_delta`, `thinking_delta` and
 * `input_json_delta` become deltas; a thinking block's `signature_delta` and a
 * `redacted_thinking` block's data close reasoning; `message_delta` gives the stop reason and the
 * final usage; only `message_stop` finishes the stream, so a stream cut before it is an error.
 */
export class AnthropicStreamParts {
  readonly #blocks = new Map<number, OpenBlock>()
  #usage: AnthropicUsage = {}
  #stopReason: string | null | undefined
  #stopSequence: string | null | undefined

  map(event: RawMessageStreamEvent, emit: Emit): void {
    switch (event.type) {
      case 'message_start': {
        emit({ type: 'metadata', id: event.message.id, modelId: event.message.model })
        this.#usage = mergeAnthropicUsage(this.#usage, event.message.usage)
        const { outputTokens: _pending, reasoningTokens: _none, ...input } = mapAnthropicUsage(this.#usage)
        emit({ type: 'usage', usage: input })
        return
      }
      case 'content_block_start': {
        const block = event.content_block
        const open: OpenBlock = { type: block.type }
        this.#blocks.set(event.index, open)
        if (block.type === 'text' && block.text !== '') emit({ type: 'text-delta', delta: block.text })
        else if (block.type === 'thinking' && block.thinking !== '')
          emit({ type: 'reasoning-delta', delta: block.thinking })
        else if (block.type === 'redacted_thinking') emit({ type: 'reasoning-end', data: block.data })
        else if (block.type === 'tool_use') {
          open.toolCallId = block.id
          open.toolName = block.name
          // the API starts with `input: {}` and streams the arguments; a start that already
          // carries them (some gateways do) is used when no fragment follows
          const input = block.input as Record<string, unknown> | null | undefined
          if (input != null && Object.keys(input).length > 0) open.initialInput = JSON.stringify(input)
        }
        return
      }
      case 'content_block_delta': {
        const open = this.#blocks.get(event.index)
        const delta = event.delta
        if (delta.type === 'text_delta') emit({ type: 'text-delta', delta: delta.text })
        else if (delta.type === 'thinking_delta') emit({ type: 'reasoning-delta', delta: delta.thinking })
        else if (delta.type === 'signature_delta' && open !== undefined)
          open.signature = (open.signature ?? '') + delta.signature
        else if (delta.type === 'input_json_delta' && open?.toolCallId !== undefined) {
          open.started = true
          emit({
            type: 'tool-call-delta',
            toolCallId: open.toolCallId,
            toolName: open.toolName ?? '',
            inputDelta: delta.partial_json,
          })
        }
        return
      }
      case 'content_block_stop': {
        const open = this.#blocks.get(event.index)
        this.#blocks.delete(event.index)
        if (open?.type === 'thinking') {
          emit({
            type: 'reasoning-end',
            ...(open.signature === undefined ? {} : { signature: open.signature }),
          })
        } else if (open?.toolCallId !== undefined) {
          if (open.started !== true) {
            emit({
              type: 'tool-call-delta',
              toolCallId: open.toolCallId,
              toolName: open.toolName ?? '',
              inputDelta: open.initialInput ?? '',
            })
          }
          emit({ type: 'tool-call-end', toolCallId: open.toolCallId })
        }
        return
      }
      case 'message_delta':
        this.#stopReason = event.delta.stop_reason ?? this.#stopReason
        this.#stopSequence = event.delta.stop_sequence ?? this.#stopSequence
        if (event.usage != null) {
          this.#usage = mergeAnthropicUsage(this.#usage, event.usage)
          emit({ type: 'usage', usage: mapAnthropicUsage(this.#usage) })
        }
        return
      case 'message_stop':
        if (this.#stopSequence != null)
          emit({ type: 'metadata', providerMetadata: { anthropic: { stopSequence: this.#stopSequence } } })
        emit({
          type: 'finish',
          finishReason: mapAnthropicStopReason(this.#stopReason),
          ...(this.#stopReason == null ? {} : { rawFinishReason: this.#stopReason }),
        })
        return
    }
  }
}

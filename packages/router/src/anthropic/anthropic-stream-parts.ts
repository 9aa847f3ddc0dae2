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

/**
 * Turns the Messages API's SSE events into stream parts for `createChatStream`:
 * `message_start` gives the id, model and input usage; `text_delta`, `thinking_delta` and
 * `input_json_delta` become deltas; a thinking block's `signature_delta` and a
 * `redacted_thinking` block's data close reasoning; `message_delta` gives the stop reason and the
 * final usage; only `message_stop` finishes the stream, so a stream cut before it is an error.
 */
export async function* anthropicStreamParts(
  events: AsyncIterable<RawMessageStreamEvent>,
): AsyncGenerator<ChatStreamPart> {
  const blocks = new Map<number, OpenBlock>()
  let usage: AnthropicUsage = {}
  let stopReason: string | null | undefined
  let stopSequence: string | null | undefined

  for await (const event of events) {
    switch (event.type) {
      case 'message_start': {
        yield { type: 'metadata', id: event.message.id, modelId: event.message.model }
        usage = mergeAnthropicUsage(usage, event.message.usage)
        const { outputTokens: _pending, reasoningTokens: _none, ...input } = mapAnthropicUsage(usage)
        yield { type: 'usage', usage: input }
        break
      }
      case 'content_block_start': {
        const block = event.content_block
        const open: OpenBlock = { type: block.type }
        blocks.set(event.index, open)
        if (block.type === 'text' && block.text !== '') yield { type: 'text-delta', delta: block.text }
        else if (block.type === 'thinking' && block.thinking !== '')
          yield { type: 'reasoning-delta', delta: block.thinking }
        else if (block.type === 'redacted_thinking') yield { type: 'reasoning-end', data: block.data }
        else if (block.type === 'tool_use') {
          open.toolCallId = block.id
          open.toolName = block.name
          // the API starts with `input: {}` and streams the arguments; a start that already
          // carries them (some gateways do) is used when no fragment follows
          const input = block.input as Record<string, unknown> | null | undefined
          if (input != null && Object.keys(input).length > 0) open.initialInput = JSON.stringify(input)
        }
        break
      }
      case 'content_block_delta': {
        const open = blocks.get(event.index)
        const delta = event.delta
        if (delta.type === 'text_delta') yield { type: 'text-delta', delta: delta.text }
        else if (delta.type === 'thinking_delta') yield { type: 'reasoning-delta', delta: delta.thinking }
        else if (delta.type === 'signature_delta' && open !== undefined)
          open.signature = (open.signature ?? '') + delta.signature
        else if (delta.type === 'input_json_delta' && open?.toolCallId !== undefined) {
          open.started = true
          yield {
            type: 'tool-call-delta',
            toolCallId: open.toolCallId,
            toolName: open.toolName ?? '',
            inputDelta: delta.partial_json,
          }
        }
        break
      }
      case 'content_block_stop': {
        const open = blocks.get(event.index)
        blocks.delete(event.index)
        if (open?.type === 'thinking') {
          yield {
            type: 'reasoning-end',
            ...(open.signature === undefined ? {} : { signature: open.signature }),
          }
        } else if (open?.toolCallId !== undefined) {
          if (open.started !== true) {
            yield {
              type: 'tool-call-delta',
              toolCallId: open.toolCallId,
              toolName: open.toolName ?? '',
              inputDelta: open.initialInput ?? '',
            }
          }
          yield { type: 'tool-call-end', toolCallId: open.toolCallId }
        }
        break
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason
        stopSequence = event.delta.stop_sequence ?? stopSequence
        if (event.usage != null) {
          usage = mergeAnthropicUsage(usage, event.usage)
          yield { type: 'usage', usage: mapAnthropicUsage(usage) }
        }
        break
      case 'message_stop':
        if (stopSequence != null)
          yield { type: 'metadata', providerMetadata: { anthropic: { stopSequence } } }
        yield {
          type: 'finish',
          finishReason: mapAnthropicStopReason(stopReason),
          ...(stopReason == null ? {} : { rawFinishReason: stopReason }),
        }
        break
    }
  }
}

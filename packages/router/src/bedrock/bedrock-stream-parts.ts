import type { ConverseStreamOutput, StopReason, TokenUsage } from '@aws-sdk/client-bedrock-runtime'
import { type ChatStreamPart, InvalidResponseError } from '@ql/provider'
import { mapBedrockStopReason } from './map-bedrock-stop-reason'
import { mapBedrockUsage } from './map-bedrock-usage'

interface OpenBlock {
  kind: 'text' | 'reasoning' | 'tool'
  toolCallId?: string
  toolName?: string
  started?: boolean
  signature?: string
}

/**
 * Turns ConverseStream events into stream parts for `createChatStream`: `contentBlockStart`
 * opens a tool call, `contentBlockDelta` carries text, reasoning (text, signature or redacted
 * bytes) and tool-argument fragments, `contentBlockStop` closes a block. The answer is complete
 * only when both `messageStop` (the stop reason) and `metadata` (the usage) have arrived and the
 * stream ended: otherwise no `finish` part is produced and the stream fails as cut short.
 * Exception frames are thrown by the SDK as its typed exceptions.
 */
export async function* bedrockStreamParts(
  events: AsyncIterable<ConverseStreamOutput>,
): AsyncGenerator<ChatStreamPart> {
  try {
    yield* readEvents(events)
  } catch (error) {
    // the event-stream codec throws a bare Error (no name, no code) for a frame it cannot
    // decode: a corrupt answer, not a network failure or a Bedrock exception
    if (
      error instanceof Error &&
      Object.getPrototypeOf(error) === Error.prototype &&
      error.name === 'Error' &&
      !('code' in error)
    ) {
      throw new InvalidResponseError({
        message: `Bedrock sent an event-stream frame that could not be decoded: ${error.message}`,
        provider: 'bedrock',
        cause: error,
      })
    }
    throw error
  }
}

async function* readEvents(events: AsyncIterable<ConverseStreamOutput>): AsyncGenerator<ChatStreamPart> {
  const blocks = new Map<number, OpenBlock>()
  let stopReason: StopReason | undefined
  let stopped = false
  let usage: TokenUsage | undefined

  for await (const event of events) {
    if (event.contentBlockStart !== undefined) {
      const index = event.contentBlockStart.contentBlockIndex ?? 0
      const toolUse = event.contentBlockStart.start?.toolUse
      if (toolUse !== undefined) {
        blocks.set(index, {
          kind: 'tool',
          toolCallId: toolUse.toolUseId ?? `tool-${index}`,
          toolName: toolUse.name ?? '',
        })
      }
    } else if (event.contentBlockDelta !== undefined) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0
      const delta = event.contentBlockDelta.delta
      if (delta === undefined) continue
      if (delta.text !== undefined) {
        if (!blocks.has(index)) blocks.set(index, { kind: 'text' })
        yield { type: 'text-delta', delta: delta.text }
      } else if (delta.reasoningContent !== undefined) {
        const open = blocks.get(index) ?? { kind: 'reasoning' }
        blocks.set(index, open)
        const reasoning = delta.reasoningContent
        if (reasoning.text !== undefined) yield { type: 'reasoning-delta', delta: reasoning.text }
        else if (reasoning.signature !== undefined)
          open.signature = (open.signature ?? '') + reasoning.signature
        else if (reasoning.redactedContent !== undefined) {
          yield { type: 'reasoning-end', data: Buffer.from(reasoning.redactedContent).toString('base64') }
          blocks.delete(index)
        }
      } else if (delta.toolUse !== undefined) {
        const open = blocks.get(index)
        if (open?.toolCallId === undefined) continue
        open.started = true
        yield {
          type: 'tool-call-delta',
          toolCallId: open.toolCallId,
          toolName: open.toolName ?? '',
          inputDelta: delta.toolUse.input ?? '',
        }
      }
    } else if (event.contentBlockStop !== undefined) {
      const index = event.contentBlockStop.contentBlockIndex ?? 0
      const open = blocks.get(index)
      blocks.delete(index)
      if (open?.kind === 'reasoning') {
        yield {
          type: 'reasoning-end',
          ...(open.signature === undefined ? {} : { signature: open.signature }),
        }
      } else if (open?.kind === 'tool' && open.toolCallId !== undefined) {
        if (open.started !== true) {
          yield {
            type: 'tool-call-delta',
            toolCallId: open.toolCallId,
            toolName: open.toolName ?? '',
            inputDelta: '',
          }
        }
        yield { type: 'tool-call-end', toolCallId: open.toolCallId }
      }
    } else if (event.messageStop !== undefined) {
      stopReason = event.messageStop.stopReason
      stopped = true
    } else if (event.metadata !== undefined) {
      usage = event.metadata.usage
      const invokedModelId = event.metadata.trace?.promptRouter?.invokedModelId
      if (invokedModelId !== undefined) yield { type: 'metadata', modelId: invokedModelId }
      yield { type: 'usage', usage: mapBedrockUsage(usage) }
    }
  }

  if (stopped && usage !== undefined) {
    yield {
      type: 'finish',
      finishReason: mapBedrockStopReason(stopReason),
      ...(stopReason === undefined ? {} : { rawFinishReason: stopReason }),
    }
  }
}

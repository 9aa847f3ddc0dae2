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

type Emit = (part: ChatStreamPart) => void

/**
 * Turns ConverseStream events into stream parts, one event at a time and synchronously:
 * `contentBlockStart` opens a tool call, `contentBlockDelta` carries text, reasoning (text,
 * signature or redacted bytes) and tool-argument fragments, `contentBlockStop` closes a block. The
 * answer is complete only when both `messageStop` (the stop reason) and `metadata` (the usage) have
 * arrived and the stream ended: otherwise no `finish` part is produced and the stream fails as cut
 * short. Exception frames are thrown by the SDK as its typed exceptions.
 */
export class BedrockStreamParts {
  readonly #blocks = new Map<number, OpenBlock>()
  #stopReason: StopReason | undefined
  #stopped = false
  #usage: TokenUsage | undefined

  map(event: ConverseStreamOutput, emit: Emit): void {
    if (event.contentBlockStart !== undefined) {
      const index = event.contentBlockStart.contentBlockIndex ?? 0
      const toolUse = event.contentBlockStart.start?.toolUse
      if (toolUse !== undefined) {
        this.#blocks.set(index, {
          kind: 'tool',
          toolCallId: toolUse.toolUseId ?? `tool-${index}`,
          toolName: toolUse.name ?? '',
        })
      }
    } else if (event.contentBlockDelta !== undefined) {
      this.#delta(event.contentBlockDelta, emit)
    } else if (event.contentBlockStop !== undefined) {
      const index = event.contentBlockStop.contentBlockIndex ?? 0
      const open = this.#blocks.get(index)
      this.#blocks.delete(index)
      if (open?.kind === 'reasoning') {
        emit({
          type: 'reasoning-end',
          ...(open.signature === undefined ? {} : { signature: open.signature }),
        })
      } else if (open?.kind === 'tool' && open.toolCallId !== undefined) {
        if (open.started !== true) {
          emit({
            type: 'tool-call-delta',
            toolCallId: open.toolCallId,
            toolName: open.toolName ?? '',
            inputDelta: '',
          })
        }
        emit({ type: 'tool-call-end', toolCallId: open.toolCallId })
      }
    } else if (event.messageStop !== undefined) {
      this.#stopReason = event.messageStop.stopReason
      this.#stopped = true
    } else if (event.metadata !== undefined) {
      this.#usage = event.metadata.usage
      const invokedModelId = event.metadata.trace?.promptRouter?.invokedModelId
      if (invokedModelId !== undefined) emit({ type: 'metadata', modelId: invokedModelId })
      emit({ type: 'usage', usage: mapBedrockUsage(this.#usage) })
    }
  }

  /** Finishes the answer once both its stop and its usage arrived; otherwise the stream was cut. */
  end(emit: Emit): void {
    if (this.#stopped && this.#usage !== undefined) {
      emit({
        type: 'finish',
        finishReason: mapBedrockStopReason(this.#stopReason),
        ...(this.#stopReason === undefined ? {} : { rawFinishReason: this.#stopReason }),
      })
    }
  }

  #delta(block: NonNullable<ConverseStreamOutput['contentBlockDelta']>, emit: Emit): void {
    const index = block.contentBlockIndex ?? 0
    const delta = block.delta
    if (delta === undefined) return
    if (delta.text !== undefined) {
      if (!this.#blocks.has(index)) this.#blocks.set(index, { kind: 'text' })
      emit({ type: 'text-delta', delta: delta.text })
    } else if (delta.reasoningContent !== undefined) {
      const open = this.#blocks.get(index) ?? { kind: 'reasoning' }
      this.#blocks.set(index, open)
      const reasoning = delta.reasoningContent
      if (reasoning.text !== undefined) emit({ type: 'reasoning-delta', delta: reasoning.text })
      else if (reasoning.signature !== undefined)
        open.signature = (open.signature ?? '') + reasoning.signature
      else if (reasoning.redactedContent !== undefined) {
        emit({ type: 'reasoning-end', data: Buffer.from(reasoning.redactedContent).toString('base64') })
        this.#blocks.delete(index)
      }
    } else if (delta.toolUse !== undefined) {
      const open = this.#blocks.get(index)
      if (open?.toolCallId === undefined) return
      open.started = true
      emit({
        type: 'tool-call-delta',
        toolCallId: open.toolCallId,
        toolName: open.toolName ?? '',
        inputDelta: delta.toolUse.input ?? '',
      })
    }
  }
}

/**
 * The event-stream codec throws a bare `Error` (no name, no code) for a frame it cannot decode: a
 * corrupt answer, not a network failure or a Bedrock exception. Returns the typed error for it.
 */
export function undecodableFrame(error: unknown): InvalidResponseError | undefined {
  if (
    error instanceof Error &&
    Object.getPrototypeOf(error) === Error.prototype &&
    error.name === 'Error' &&
    !('code' in error) &&
    !('$metadata' in error)
  ) {
    return new InvalidResponseError({
      message: `Bedrock sent an event-stream frame that could not be decoded: ${error.message}`,
      provider: 'bedrock',
      cause: error,
    })
  }
  return undefined
}

import { type ChatStreamPart, type FinishReason, InvalidResponseError, type Warning } from '@ql/provider'
import type { ChatCompletionChunk } from 'openai/resources/chat/completions'
import { reasoningOf } from './map-openai-completion'
import { mapOpenAIFinishReason } from './map-openai-finish-reason'
import { mapOpenAIUsage } from './map-openai-usage'
import type { SseDoneWatch } from './watch-sse-done'

/**
 * Turns Chat Completions chunks into stream parts for `createChatStream`: text and reasoning
 * deltas, tool-call argument fragments keyed by `index` (id and name arrive with the first
 * fragment), usage from the final usage chunk, and `finish` once the stream has ended properly.
 *
 * "Ended properly" means a chunk carried a `finish_reason` and the body ended with `data: [DONE]`,
 * which the SDK consumes silently and the `watch` (filled by the fetch wrapper) reports. Without a
 * watch, the usage chunk that OpenAI sends last stands in for `[DONE]` when `requireUsageChunk` is
 * set. A stream cut before its end is an `InvalidResponseError`, never a shortened answer.
 */
export async function* toOpenAIStreamParts(
  chunks: AsyncIterable<ChatCompletionChunk>,
  context: { provider: string; warnings: Warning[]; requireUsageChunk: boolean; watch?: SseDoneWatch },
): AsyncGenerator<ChatStreamPart> {
  const { provider } = context
  for (const warning of context.warnings) yield { type: 'warning', warning }
  const calls = new Map<number, { id: string; name: string }>()
  let finish: { finishReason: FinishReason; rawFinishReason: string } | undefined
  let sawUsage = false
  let first = true

  for await (const chunk of chunks) {
    if (first) {
      first = false
      yield { type: 'metadata', id: chunk.id, modelId: chunk.model }
    }
    if (chunk.usage) {
      sawUsage = true
      yield { type: 'usage', usage: mapOpenAIUsage(chunk.usage) }
    }
    const choice = chunk.choices?.[0]
    if (choice === undefined) continue
    const delta = choice.delta ?? {}
    const reasoning = reasoningOf(delta)
    if (reasoning !== undefined) yield { type: 'reasoning-delta', delta: reasoning }
    if (typeof delta.content === 'string' && delta.content !== '')
      yield { type: 'text-delta', delta: delta.content }
    for (const fragment of delta.tool_calls ?? []) {
      const index = fragment.index ?? 0
      let call = calls.get(index)
      if (call === undefined) {
        const name = fragment.function?.name
        if (typeof name !== 'string' || name === '') {
          throw new InvalidResponseError({
            message: `${provider} streamed tool call #${index} without its function name`,
            provider,
          })
        }
        call = { id: fragment.id || `${provider}-call-${index}`, name }
        calls.set(index, call)
      }
      yield {
        type: 'tool-call-delta',
        toolCallId: call.id,
        toolName: call.name,
        inputDelta: fragment.function?.arguments ?? '',
      }
    }
    if (choice.finish_reason) {
      for (const call of calls.values()) yield { type: 'tool-call-end', toolCallId: call.id }
      finish = {
        finishReason: mapOpenAIFinishReason(choice.finish_reason),
        rawFinishReason: choice.finish_reason,
      }
    }
  }

  if (finish === undefined) {
    throw new InvalidResponseError({
      message: `the ${provider} stream ended before its finish_reason chunk; the answer is incomplete`,
      provider,
    })
  }
  if (context.watch?.observed === true) {
    if (!context.watch.sawDone) {
      throw new InvalidResponseError({
        message: `the ${provider} stream ended without its final 'data: [DONE]'; it was cut short`,
        provider,
      })
    }
  } else if (context.requireUsageChunk && !sawUsage) {
    throw new InvalidResponseError({
      message: `the ${provider} stream ended after its finish_reason but before the final usage chunk; it was cut short`,
      provider,
    })
  }
  yield { type: 'finish', ...finish }
}

import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages'
import type { ChatStreamPart } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { AnthropicStreamParts } from '../src/anthropic/anthropic-stream-parts'
import { mapAnthropicStopReason } from '../src/anthropic/map-anthropic-stop-reason'
import { mapAnthropicUsage, mergeAnthropicUsage } from '../src/anthropic/map-anthropic-usage'
import { toSafeToolCallId } from '../src/shared/to-safe-tool-call-id'

// Pure mappings, and stream events the fake does not produce (redacted thinking, text in a
// block start). Everything else is covered end to end in anthropic.test.ts.

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    [null, 'other'],
    ['something_new', 'other'],
  ] as const)('%s → %s', (reason, expected) => {
    expect(mapAnthropicStopReason(reason)).toBe(expected)
  })
})

describe('mapAnthropicUsage', () => {
  it('counts cache reads and writes into inputTokens, and keeps each apart', () => {
    expect(
      mapAnthropicUsage({
        input_tokens: 10,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 50,
        output_tokens: 7,
        output_tokens_details: { thinking_tokens: 3 },
      }),
    ).toEqual({
      inputTokens: 160,
      outputTokens: 7,
      cachedInputTokens: 100,
      cacheCreationInputTokens: 50,
      reasoningTokens: 3,
    })
    expect(mapAnthropicUsage({ input_tokens: 5, output_tokens: null })).toEqual({
      inputTokens: 5,
      outputTokens: 0,
    })
  })

  it('lets a later report replace only the fields it has', () => {
    const start = { input_tokens: 10, cache_read_input_tokens: 4, output_tokens: 1 }
    expect(mergeAnthropicUsage(start, { input_tokens: null, output_tokens: 9 })).toEqual({
      input_tokens: 10,
      cache_read_input_tokens: 4,
      output_tokens: 9,
    })
  })
})

describe('toSafeToolCallId', () => {
  it('keeps safe ids, and rewrites others deterministically without collisions', () => {
    expect(toSafeToolCallId('toolu_01-AbC')).toBe('toolu_01-AbC')
    const a = toSafeToolCallId('call:1')
    const b = toSafeToolCallId('call/1')
    expect(a).toMatch(/^[a-zA-Z0-9_-]{1,64}$/)
    expect(a).toBe(toSafeToolCallId('call:1'))
    expect(a).not.toBe(b)
    expect(toSafeToolCallId('x'.repeat(100))).toMatch(/^x{40}_[0-9a-f]{8}$/)
  })
})

async function parts(events: unknown[]): Promise<ChatStreamPart[]> {
  const mapper = new AnthropicStreamParts()
  const result: ChatStreamPart[] = []
  for (const event of events) mapper.map(event as RawMessageStreamEvent, (part) => result.push(part))
  return result
}

describe('AnthropicStreamParts', () => {
  it('passes redacted thinking on as reasoning data, and text carried by a block start', async () => {
    const result = await parts([
      {
        type: 'message_start',
        message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 3, output_tokens: 1 } },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'OPAQUE' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'thinking', thinking: 'Hmm', signature: '' },
      },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: 'Hi' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'citations_delta', citation: {} } },
      { type: 'content_block_stop', index: 2 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'stop_sequence', stop_sequence: '###' },
        usage: { output_tokens: 4 },
      },
      { type: 'message_stop' },
    ])
    expect(result).toEqual([
      { type: 'metadata', id: 'msg_1', modelId: 'claude-x' },
      { type: 'usage', usage: { inputTokens: 3 } },
      { type: 'reasoning-end', data: 'OPAQUE' },
      { type: 'reasoning-delta', delta: 'Hmm' },
      { type: 'reasoning-end' },
      { type: 'text-delta', delta: 'Hi' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
      { type: 'metadata', providerMetadata: { anthropic: { stopSequence: '###' } } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop_sequence' },
    ])
  })

  it('takes tool arguments carried whole by the block start when no fragment follows', async () => {
    const result = await parts([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } },
      },
      { type: 'content_block_stop', index: 0 },
    ])
    expect(result).toEqual([
      { type: 'tool-call-delta', toolCallId: 't1', toolName: 'f', inputDelta: '{"a":1}' },
      { type: 'tool-call-end', toolCallId: 't1' },
    ])
  })

  it('produces no finish without message_stop', async () => {
    const result = await parts([
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: null },
    ])
    expect(result.some((part) => part.type === 'finish')).toBe(false)
  })
})

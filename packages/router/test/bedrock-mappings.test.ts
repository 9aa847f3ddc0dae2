import { type ConverseStreamOutput, ModelStreamErrorException } from '@aws-sdk/client-bedrock-runtime'
import type { ChatStreamPart } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { BedrockStreamParts } from '../src/bedrock/bedrock-stream-parts'
import { mapBedrockError } from '../src/bedrock/map-bedrock-error'
import { mapBedrockStopReason } from '../src/bedrock/map-bedrock-stop-reason'
import { mapBedrockUsage } from '../src/bedrock/map-bedrock-usage'

// Pure mappings, and stream events the fake does not produce (redacted reasoning, a prompt
// router's model). Everything else is covered end to end in bedrock.test.ts.

describe('mapBedrockStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['guardrail_intervened', 'content-filter'],
    ['content_filtered', 'content-filter'],
    ['malformed_model_output', 'error'],
    ['malformed_tool_use', 'error'],
    [undefined, 'other'],
    ['something_new', 'other'],
  ] as const)('%s → %s', (reason, expected) => {
    expect(mapBedrockStopReason(reason)).toBe(expected)
  })
})

describe('mapBedrockUsage', () => {
  it('counts cache reads and writes into inputTokens, and keeps each apart', () => {
    expect(
      mapBedrockUsage({
        inputTokens: 10,
        outputTokens: 5,
        totalTokens: 165,
        cacheReadInputTokens: 100,
        cacheWriteInputTokens: 50,
      }),
    ).toEqual({ inputTokens: 160, outputTokens: 5, cachedInputTokens: 100, cacheCreationInputTokens: 50 })
    expect(mapBedrockUsage(undefined)).toEqual({ inputTokens: 0, outputTokens: 0 })
  })
})

async function parts(events: ConverseStreamOutput[]): Promise<ChatStreamPart[]> {
  const mapper = new BedrockStreamParts()
  const result: ChatStreamPart[] = []
  const emit = (part: ChatStreamPart) => result.push(part)
  for (const event of events) mapper.map(event, emit)
  mapper.end(emit)
  return result
}

describe('BedrockStreamParts', () => {
  it('passes redacted reasoning on as base64 data, and the model a prompt router chose', async () => {
    const result = await parts([
      { messageStart: { role: 'assistant' } },
      {
        contentBlockDelta: {
          contentBlockIndex: 0,
          delta: { reasoningContent: { redactedContent: new Uint8Array([1, 2, 3]) } },
        },
      },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { text: 'Hi' } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { messageStop: { stopReason: 'guardrail_intervened' } },
      {
        metadata: {
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          metrics: { latencyMs: 1 },
          trace: { promptRouter: { invokedModelId: 'arn:aws:bedrock:model/chosen' } },
        },
      },
    ])
    expect(result).toEqual([
      { type: 'reasoning-end', data: 'AQID' },
      { type: 'text-delta', delta: 'Hi' },
      { type: 'metadata', modelId: 'arn:aws:bedrock:model/chosen' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } },
      { type: 'finish', finishReason: 'content-filter', rawFinishReason: 'guardrail_intervened' },
    ])
  })

  it('produces no finish when metadata never came', async () => {
    const result = await parts([
      { messageStart: { role: 'assistant' } },
      { messageStop: { stopReason: 'end_turn' } },
    ])
    expect(result.some((part) => part.type === 'finish')).toBe(false)
  })
})

describe('mapBedrockError', () => {
  it('treats a model stream error that was a throttle (originalStatusCode 429) as rate limiting', () => {
    const context = { modelId: 'm', secrets: [] }
    const throttled = new ModelStreamErrorException({
      message: 'Too many tokens',
      $metadata: {},
      originalStatusCode: 429,
    })
    expect(mapBedrockError(throttled, context)).toMatchObject({ code: 'rate_limited', retryable: true })
    const failed = new ModelStreamErrorException({ message: 'boom', $metadata: {}, originalStatusCode: 500 })
    expect(mapBedrockError(failed, context)).toMatchObject({ code: 'unavailable', retryable: true })
  })

  it('maps a network failure by its code and anything unknown to a retryable UnavailableError', () => {
    const context = { modelId: 'm', secrets: [] }
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    expect(mapBedrockError(reset, context)).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('ECONNRESET'),
    })
    expect(mapBedrockError('odd', context)).toMatchObject({ code: 'unavailable', retryable: true })
  })
})

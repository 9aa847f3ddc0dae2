// The fixed answers the bench server sends: one realistic non-streaming body and one realistic
// stream per protocol, rendered once. Every client gets the same bytes, so the only difference
// between the rows of a provider is the client.

import { EventStreamCodec } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'

/** The answer's text, as 18 deltas (OpenAI, Bedrock) or 15 (Anthropic). */
const PIECES = [
  'The',
  ' three',
  ' smallest',
  ' prime',
  ' numbers',
  ' are',
  ' 2',
  ',',
  ' 3',
  ' and',
  ' 5',
  '.',
  ' Each',
  ' has',
  ' exactly',
  ' two',
  ' divisors',
  '.',
]

/** The text every call must get back, streamed or not. */
export const ANSWER_TEXT = PIECES.join('')

/** Anthropic's stream: the same text in 15 deltas (the first four words go together). */
const ANTHROPIC_PIECES = [PIECES.slice(0, 4).join(''), ...PIECES.slice(4)]

/** One HTTP answer: status 200, its headers and its body as the frames written one by one. */
export interface WireAnswer {
  headers: Record<string, string>
  frames: Buffer[]
}

const CREATED = 1_764_633_600
const OPENAI_ID = 'chatcmpl-CBench0123456789abcdefghijklmn'
const OPENAI_MODEL = 'gpt-4o-mini-2024-07-18'
const ANTHROPIC_ID = 'msg_01XFDUDYJgAACzvnptvVoYEL'
const ANTHROPIC_MODEL = 'claude-sonnet-4-6'

const openaiHeaders = (contentType: string): Record<string, string> => ({
  'content-type': contentType,
  'x-request-id': 'req_5f2c1a0b9e8d7c6b5a4f3e2d1c0b9a8f',
  'openai-organization': 'user-bench',
  'openai-processing-ms': '182',
  'openai-version': '2020-10-01',
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-limit-tokens': '30000000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-remaining-tokens': '29999975',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-reset-tokens': '0s',
})

const anthropicHeaders = (contentType: string): Record<string, string> => ({
  'content-type': contentType,
  'request-id': 'req_011CVbenchAnthropicRequestId01',
  'anthropic-organization-id': '00000000-0000-4000-8000-000000000000',
  'anthropic-ratelimit-requests-limit': '4000',
  'anthropic-ratelimit-requests-remaining': '3999',
  'anthropic-ratelimit-requests-reset': '2026-12-02T05:00:01Z',
  'anthropic-ratelimit-input-tokens-limit': '400000',
  'anthropic-ratelimit-input-tokens-remaining': '400000',
  'anthropic-ratelimit-input-tokens-reset': '2026-12-02T05:00:00Z',
  'anthropic-ratelimit-output-tokens-limit': '80000',
  'anthropic-ratelimit-output-tokens-remaining': '80000',
  'anthropic-ratelimit-output-tokens-reset': '2026-12-02T05:00:00Z',
})

const bedrockHeaders = (contentType: string): Record<string, string> => ({
  'content-type': contentType,
  'x-amzn-requestid': '7c1f3b2a-0d4e-4f5a-9b6c-8d7e6f5a4b3c',
})

const json = (value: unknown) => Buffer.from(JSON.stringify(value))

/** OpenAI Chat Completions, `stream: false`. */
export const openaiGenerate: WireAnswer = {
  headers: openaiHeaders('application/json'),
  frames: [
    json({
      id: OPENAI_ID,
      object: 'chat.completion',
      created: CREATED,
      model: OPENAI_MODEL,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: ANSWER_TEXT, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 25,
        completion_tokens: 18,
        total_tokens: 43,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_560af6e559',
    }),
  ],
}

const openaiChunk = (choices: unknown[], usage: unknown = null) =>
  Buffer.from(
    `data: ${JSON.stringify({
      id: OPENAI_ID,
      object: 'chat.completion.chunk',
      created: CREATED,
      model: OPENAI_MODEL,
      service_tier: 'default',
      system_fingerprint: 'fp_560af6e559',
      choices,
      usage,
    })}\n\n`,
  )

/**
 * OpenAI Chat Completions, `stream: true` with `include_usage`: 20 SSE frames (the role, 18 text
 * deltas, the finish reason), then the usage chunk and `data: [DONE]`.
 */
export const openaiStream: WireAnswer = {
  headers: openaiHeaders('text/event-stream; charset=utf-8'),
  frames: [
    openaiChunk([
      {
        index: 0,
        delta: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ]),
    ...PIECES.map((content) =>
      openaiChunk([{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]),
    ),
    openaiChunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
    openaiChunk([], {
      prompt_tokens: 25,
      completion_tokens: 18,
      total_tokens: 43,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    }),
    Buffer.from('data: [DONE]\n\n'),
  ],
}

const anthropicUsage = {
  input_tokens: 25,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: 18,
  service_tier: 'standard',
}

/** Anthropic Messages, `stream: false`. */
export const anthropicGenerate: WireAnswer = {
  headers: anthropicHeaders('application/json'),
  frames: [
    json({
      id: ANTHROPIC_ID,
      type: 'message',
      role: 'assistant',
      model: ANTHROPIC_MODEL,
      content: [{ type: 'text', text: ANSWER_TEXT }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: anthropicUsage,
    }),
  ],
}

const sse = (event: string, data: unknown) =>
  Buffer.from(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)

/**
 * Anthropic Messages, `stream: true`: 21 events (message_start, content_block_start, ping, 15
 * text deltas, content_block_stop, message_delta, message_stop).
 */
export const anthropicStream: WireAnswer = {
  headers: anthropicHeaders('text/event-stream; charset=utf-8'),
  frames: [
    sse('message_start', {
      type: 'message_start',
      message: {
        id: ANTHROPIC_ID,
        type: 'message',
        role: 'assistant',
        model: ANTHROPIC_MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...anthropicUsage, output_tokens: 1 },
      },
    }),
    sse('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
    sse('ping', { type: 'ping' }),
    ...ANTHROPIC_PIECES.map((text) =>
      sse('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      }),
    ),
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 18 },
    }),
    sse('message_stop', { type: 'message_stop' }),
  ],
}

const bedrockUsage = { inputTokens: 25, outputTokens: 18, totalTokens: 43 }

/** Bedrock Converse (`POST /model/{id}/converse`). */
export const bedrockGenerate: WireAnswer = {
  headers: bedrockHeaders('application/json'),
  frames: [
    json({
      metrics: { latencyMs: 412 },
      output: { message: { content: [{ text: ANSWER_TEXT }], role: 'assistant' } },
      stopReason: 'end_turn',
      usage: bedrockUsage,
    }),
  ],
}

const codec = new EventStreamCodec(toUtf8, fromUtf8)

/** One AWS event-stream frame, with the `p` padding field real Bedrock frames carry. */
const awsEvent = (eventType: string, payload: Record<string, unknown>) =>
  Buffer.from(
    codec.encode({
      headers: {
        ':event-type': { type: 'string', value: eventType },
        ':content-type': { type: 'string', value: 'application/json' },
        ':message-type': { type: 'string', value: 'event' },
      },
      body: fromUtf8(JSON.stringify({ ...payload, p: 'abcdefghijklmnopqrstuvwxyzABCDEFGH' })),
    }),
  )

/**
 * Bedrock ConverseStream (`POST /model/{id}/converse-stream`), AWS event-stream framing: 22
 * frames (messageStart, 18 contentBlockDelta, contentBlockStop, messageStop, metadata).
 */
export const bedrockStream: WireAnswer = {
  headers: bedrockHeaders('application/vnd.amazon.eventstream'),
  frames: [
    awsEvent('messageStart', { role: 'assistant' }),
    ...PIECES.map((text) => awsEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
    awsEvent('contentBlockStop', { contentBlockIndex: 0 }),
    awsEvent('messageStop', { stopReason: 'end_turn' }),
    awsEvent('metadata', { usage: bedrockUsage, metrics: { latencyMs: 412 } }),
  ],
}

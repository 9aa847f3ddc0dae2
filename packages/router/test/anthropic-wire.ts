import { expect } from 'vitest'
import type { WireExpectations } from './conformance/wire-expectations'

/** The exact Anthropic Messages bodies the adapter sends in the conformance scenarios. */
export const anthropicAdapterWire: WireExpectations = {
  toolRoundTrip(body, { stream }) {
    expect(body).toEqual({
      model: 'claude-test',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'You are a weather bot.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"tempC":21}' }] },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city',
          input_schema: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
        },
      ],
      ...(stream ? { stream: true } : { stream: false }),
    })
  },
  multiTurn(body, { stream }) {
    // temperature is not part of the Messages API since version 2026-10-21: left out with a warning
    expect(body).toEqual({
      model: 'claude-test',
      max_tokens: 64,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello! How can I help?' }] },
        { role: 'user', content: [{ type: 'text', text: 'Tell me a joke.' }] },
      ],
      stream,
    })
  },
  structuredOutput(body) {
    expect(body).toMatchObject({
      output_config: {
        format: {
          type: 'json_schema',
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, age: { type: 'number' } },
            required: ['name', 'age'],
          },
        },
      },
    })
  },
  contextLengthFault: {
    type: 'http',
    status: 400,
    errorType: 'invalid_request_error',
    message: 'prompt is too long: 210000 tokens > 200000 maximum',
  },
  overloadedFault: { type: 'http', status: 529, errorType: 'overloaded_error', message: 'Overloaded' },
  overloadedCode: 'overloaded',
  inStreamError: {
    fault: { type: 'error-event', afterChunks: 3, errorType: 'overloaded_error', message: 'Overloaded' },
    code: 'overloaded',
  },
  // message_start, content_block_start, 3 text deltas, content_block_stop, ping, message_delta: only message_stop is missing
  framesBeforeTerminal: 8,
}

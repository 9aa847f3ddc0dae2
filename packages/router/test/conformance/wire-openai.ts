import { expect } from 'vitest'
import type { WireExpectations } from './wire-expectations'

const streamFields = (stream: boolean) =>
  stream ? { stream: true, stream_options: { include_usage: true } } : {}

/** OpenAI Chat Completions bodies (the `openai` adapter). */
export const openaiWire: WireExpectations = {
  toolRoundTrip(body, { stream }) {
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are a weather bot.' },
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"tempC":21}' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
              additionalProperties: false,
            },
          },
        },
      ],
      ...streamFields(stream),
    })
  },
  multiTurn(body, { stream }) {
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: 'Tell me a joke.' },
      ],
      max_completion_tokens: 64,
      temperature: 0.2,
      ...streamFields(stream),
    })
  },
  structuredOutput(body) {
    expect((body as { response_format: unknown }).response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'person',
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'number' } },
          required: ['name', 'age'],
        },
        strict: false,
      },
    })
  },
  contextLengthFault: {
    type: 'http',
    status: 400,
    errorType: 'context_length_exceeded',
    message:
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
  },
  overloadedFault: { type: 'http', status: 529, message: 'The server is overloaded.' },
  overloadedCode: 'overloaded',
  inStreamError: {
    fault: {
      type: 'error-event',
      afterChunks: 2,
      errorType: 'server_error',
      message: 'The server had an error while processing your request.',
    },
    code: 'unavailable',
  },
  // role chunk, 3 text chunks, the finish chunk, the usage chunk: only data: [DONE] is missing
  framesBeforeTerminal: 6,
}

/** The same bodies from an OpenAI-compatible server (`max_tokens`, since not every server knows `max_completion_tokens`). */
export const openaiCompatibleWire = (model: string): WireExpectations => ({
  ...openaiWire,
  toolRoundTrip(body, options) {
    openaiWire.toolRoundTrip({ ...(body as object), model: 'gpt-4o-mini' }, options)
    expect((body as { model: string }).model).toBe(model)
  },
  multiTurn(body, { stream }) {
    expect(body).toEqual({
      model,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: 'Tell me a joke.' },
      ],
      max_tokens: 64,
      temperature: 0.2,
      ...streamFields(stream),
    })
  },
})

/** OpenAI Responses API bodies (`createOpenAI().responses(...)`). */
export const openaiResponsesWire: WireExpectations = {
  toolRoundTrip(body, { stream }) {
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      input: [
        { role: 'system', content: 'You are a weather bot.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Weather in Oslo?' }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"tempC":21}' },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
          strict: false,
        },
      ],
      ...(stream ? { stream: true } : {}),
    })
  },
  multiTurn(body, { stream }) {
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: [{ type: 'input_text', text: 'Tell me a joke.' }] },
      ],
      max_output_tokens: 64,
      temperature: 0.2,
      ...(stream ? { stream: true } : {}),
    })
  },
  structuredOutput(body) {
    expect((body as { text: unknown }).text).toEqual({
      format: {
        type: 'json_schema',
        name: 'person',
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'number' } },
          required: ['name', 'age'],
        },
        strict: false,
      },
    })
  },
  contextLengthFault: openaiWire.contextLengthFault,
  overloadedFault: openaiWire.overloadedFault,
  overloadedCode: 'overloaded',
  inStreamError: {
    fault: {
      type: 'error-event',
      afterChunks: 6,
      errorType: 'server_error',
      message: 'The server had an error while processing your request.',
    },
    code: 'unavailable',
  },
  // created, in_progress, item added, part added, 2 text deltas
  midStreamFrames: 6,
  // created, in_progress, item added, part added, 3 deltas, text done, part done, item done: response.completed is missing
  framesBeforeTerminal: 10,
}

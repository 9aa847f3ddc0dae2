import { expect } from 'vitest'
import type { WireExpectations } from './conformance/wire-expectations'

/** The exact Converse bodies the adapter sends in the conformance scenarios. */
export const bedrockAdapterWire: WireExpectations = {
  toolRoundTrip(body) {
    expect(body).toEqual({
      system: [{ text: 'You are a weather bot.' }],
      messages: [
        { role: 'user', content: [{ text: 'Weather in Oslo?' }] },
        {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Oslo' } } }],
        },
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 'call_1', content: [{ json: { tempC: 21 } }] } }],
        },
      ],
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'get_weather',
              description: 'Current weather for a city',
              inputSchema: {
                json: {
                  type: 'object',
                  properties: { city: { type: 'string' } },
                  required: ['city'],
                  additionalProperties: false,
                },
              },
            },
          },
        ],
      },
    })
  },
  multiTurn(body) {
    expect(body).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello! How can I help?' }] },
        { role: 'user', content: [{ text: 'Tell me a joke.' }] },
      ],
      inferenceConfig: { maxTokens: 64, temperature: 0.2 },
    })
  },
  structuredOutput(body) {
    const format = (
      body as {
        outputConfig: {
          textFormat: { type: string; structure: { jsonSchema: { schema: string; name: string } } }
        }
      }
    ).outputConfig.textFormat
    expect(format.type).toBe('json_schema')
    expect(format.structure.jsonSchema.name).toBe('person')
    expect(JSON.parse(format.structure.jsonSchema.schema)).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'number' } },
      required: ['name', 'age'],
    })
  },
  contextLengthFault: {
    type: 'http',
    status: 400,
    errorType: 'ValidationException',
    message: 'Input is too long for requested model.',
  },
  overloadedFault: {
    type: 'http',
    status: 503,
    errorType: 'ServiceUnavailableException',
    message: 'Service unavailable',
  },
  overloadedCode: 'unavailable',
  inStreamError: {
    fault: {
      type: 'error-event',
      afterChunks: 2,
      errorType: 'ThrottlingException',
      message: 'Too many requests',
    },
    code: 'rate_limited',
  },
  // messageStart, 3 text deltas, contentBlockStop: messageStop and metadata are missing
  framesBeforeTerminal: 5,
}

import type { ChatRequest, JSONSchema, ToolDefinition } from '@ql/provider'
import { z } from 'zod'

/** The API key every conformance model is built with; shaped unlike any real key, so only exact redaction hides it. */
export const SECRET_API_KEY = 'ql-conformance-secret-3f9a7c1e5b'

/** A tool whose JSON Schema goes to the provider exactly as written. */
export const weatherSchema: JSONSchema = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
}

export const weatherTool: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city',
  inputSchema: weatherSchema,
}

/** A tool given as a zod schema (sent as JSON Schema through `toJsonSchema`). */
export const timeTool: ToolDefinition = {
  name: 'get_time',
  description: 'Local time in a time zone',
  inputSchema: z.object({ zone: z.string() }),
}

/** The structured-output schema. */
export const personSchema = z.object({ name: z.string(), age: z.number() })

/** The multi-turn request: a system prompt and user / assistant / user. */
export const multiTurnRequest: ChatRequest = {
  system: 'Be brief.',
  messages: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello! How can I help?' },
    { role: 'user', content: 'Tell me a joke.' },
  ],
  maxTokens: 64,
  temperature: 0.2,
}

/** The first turn of the tool round trip. */
export const toolRequest: ChatRequest = {
  system: 'You are a weather bot.',
  messages: [{ role: 'user', content: 'Weather in Oslo?' }],
  tools: [weatherTool],
}

/** The answer a tool result carries in the round trip. */
export const toolOutput = { tempC: 21 }

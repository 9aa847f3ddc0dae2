import type { Attributes } from '@opentelemetry/api'
import { type ChatRequest, type ChatResponse, type Message, redactSecrets, toJsonSchema } from '@ql/provider'
import {
  GEN_AI_INPUT_MESSAGES,
  GEN_AI_OUTPUT_MESSAGES,
  GEN_AI_SYSTEM_INSTRUCTIONS,
  GEN_AI_TOOL_DEFINITIONS,
} from './gen-ai-attributes'

type Part = Record<string, unknown>

/**
 * The request's content as the conventions' opt-in attributes (`gen_ai.system_instructions`,
 * `gen_ai.input.messages`, `gen_ai.tool.definitions`), JSON text in their message format
 * (`{ role, parts: [{ type: 'text', content }, { type: 'tool_call', ... }] }`). Only built when
 * the user set `captureContent`. Credentials are redacted; inline image bytes are left out (a
 * `blob` part keeps the media type only), URLs are kept.
 */
export function requestContentAttributes(request: ChatRequest): Attributes {
  const attributes: Attributes = {}
  const system = [
    ...(request.system === undefined ? [] : [request.system]),
    ...request.messages.flatMap((m) => (m.role === 'system' ? [m.content] : [])),
  ]
  if (system.length > 0) {
    attributes[GEN_AI_SYSTEM_INSTRUCTIONS] = json(system.map((content) => ({ type: 'text', content })))
  }
  attributes[GEN_AI_INPUT_MESSAGES] = json(
    request.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, parts: parts(m) })),
  )
  if (request.tools !== undefined && request.tools.length > 0) {
    attributes[GEN_AI_TOOL_DEFINITIONS] = json(
      request.tools.map((tool) => ({
        type: 'function',
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: schemaOf(tool.inputSchema),
      })),
    )
  }
  return attributes
}

/** The answer as `gen_ai.output.messages` (opt-in, as above). */
export function responseContentAttributes(response: ChatResponse): Attributes {
  return {
    [GEN_AI_OUTPUT_MESSAGES]: json([
      { role: 'assistant', parts: parts(response.message), finish_reason: response.finishReason },
    ]),
  }
}

function parts(message: Message): Part[] {
  if (typeof message.content === 'string') return [{ type: 'text', content: message.content }]
  return message.content.map((part): Part => {
    switch (part.type) {
      case 'text':
        return { type: 'text', content: part.text }
      case 'reasoning':
        return { type: 'reasoning', content: part.text }
      case 'image': {
        const image = part.image
        if (typeof image === 'string' && /^https?:/i.test(image))
          return { type: 'uri', modality: 'image', uri: image }
        return {
          type: 'blob',
          modality: 'image',
          ...(part.mediaType === undefined ? {} : { mime_type: part.mediaType }),
        }
      }
      case 'tool-call':
        return { type: 'tool_call', id: part.toolCallId, name: part.toolName, arguments: part.input ?? {} }
      default:
        return { type: 'tool_call_response', id: part.toolCallId, response: part.output ?? null }
    }
  })
}

function schemaOf(schema: Parameters<typeof toJsonSchema>[0]): unknown {
  try {
    return toJsonSchema(schema)
  } catch {
    return {}
  }
}

function json(value: unknown): string {
  try {
    return redactSecrets(JSON.stringify(value))
  } catch {
    return '[]'
  }
}

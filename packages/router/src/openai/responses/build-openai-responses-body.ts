import { type ChatRequest, type ImagePart, toJsonSchema, type Warning } from '@ql/provider'
import { checkPromptProviderOptions } from '../../shared/check-prompt-provider-options'
import { readProviderOptions } from '../../shared/read-provider-options'
import { addMetadata, addOpenAIOptions, isReasoningModel } from '../openai-body-helpers'
import {
  OPENAI_OPTION_HINTS,
  openaiImageOptionsSchema,
  openaiNoOptionsSchema,
  openaiProviderOptionsSchema,
  openaiToolOptionsSchema,
  readOpenAIImageDetail,
  readOpenAIToolStrict,
} from '../openai-provider-options'
import { toOpenAIImageUrl } from '../to-openai-image-url'

/** The Responses API body for a request (without `stream`), and what was ignored or adapted. */
export interface OpenAIResponsesBody {
  body: Record<string, unknown>
  warnings: Warning[]
}

/** Fields the adapter sets from the request; `extraBody` cannot replace them. */
const RESERVED = new Set(['model', 'input', 'stream', 'tools', 'tool_choice', 'text'])

/**
 * Builds the Responses API (`POST /v1/responses`) body for `request`:
 * - `system` and messages → `input` items: role messages (`input_text`, `input_image`), each
 *   assistant tool call a `function_call` item, each tool result a `function_call_output` item;
 * - tools → `{ type: 'function', name, description, parameters, strict }` (`strict` false unless
 *   the tool's `providerOptions.openai.strict`), `toolChoice` → `tool_choice`;
 * - `responseFormat` → `text.format` (`json_schema` with a schema, else `json_object`);
 * - `maxTokens` → `max_output_tokens`; `metadata` → `metadata` (unless `store: false`), and
 *   `metadata.userId` → `safety_identifier`;
 * - `providerOptions.openai` read with `openaiProviderOptionsSchema`, each option mapped to its
 *   Responses field (`reasoningEffort` → `reasoning.effort`, `textVerbosity` → `text.verbosity`);
 *   chat-only options (`logitBias`, `prediction`, `webSearchOptions`, penalties) and unknown keys
 *   are warnings, never sent; options on messages, parts and tools are checked the same way.
 *
 * `stop` and `seed` have no Responses API field, and reasoning parts in history cannot be replayed
 * without the items they came from: each is left out with a warning.
 */
export function buildOpenAIResponsesBody(
  request: ChatRequest,
  options: { modelId: string; providerKey: string; provider?: string },
): OpenAIResponsesBody {
  const { modelId, providerKey, provider = 'openai' } = options
  const warnings: Warning[] = []
  const context = { providerKey, provider, label: 'OpenAI', warnings, hints: OPENAI_OPTION_HINTS }
  const vendor =
    readProviderOptions(request.providerOptions, openaiProviderOptionsSchema, {
      ...context,
      path: 'providerOptions',
    }) ?? {}
  checkPromptProviderOptions(
    request,
    {
      message: openaiNoOptionsSchema,
      part: (type) => (type === 'image' ? openaiImageOptionsSchema : openaiNoOptionsSchema),
      tool: openaiToolOptionsSchema,
    },
    context,
  )
  const body: Record<string, unknown> = { model: modelId, input: toInput(request, warnings, providerKey) }

  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens
  const reasoningModel = isReasoningModel(modelId)
  for (const [setting, field] of [
    ['temperature', 'temperature'],
    ['topP', 'top_p'],
  ] as const) {
    const value = request[setting]
    if (value === undefined) continue
    if (reasoningModel) {
      warnings.push({
        type: 'unsupported-setting',
        setting,
        details: `${modelId} is a reasoning model and does not accept ${field}; it was not sent`,
      })
    } else body[field] = value
  }
  for (const setting of ['stop', 'seed'] as const) {
    if (request[setting] !== undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting,
        details: 'the Responses API has no such field; not sent',
      })
    }
  }

  const tools = request.tools ?? []
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: toJsonSchema(tool.inputSchema),
      strict: readOpenAIToolStrict(tool.providerOptions, providerKey),
    }))
    const choice = request.toolChoice
    if (choice !== undefined) {
      body.tool_choice = typeof choice === 'string' ? choice : { type: 'function', name: choice.toolName }
    }
  }

  const format = request.responseFormat
  if (format?.type === 'json') {
    body.text = {
      format:
        format.schema === undefined
          ? { type: 'json_object' }
          : {
              type: 'json_schema',
              name: format.name ?? 'response',
              ...(format.description === undefined ? {} : { description: format.description }),
              schema: toJsonSchema(format.schema),
              strict: vendor.strictJsonSchema === true,
            },
    }
  }

  if (request.metadata !== undefined) {
    const refusal =
      vendor.store === false
        ? `request metadata is kept only with stored responses (store: false was set)`
        : undefined
    addMetadata(body, request.metadata, { endUserField: 'safety_identifier', refusal, warnings })
  }
  addOpenAIOptions(body, vendor, { api: 'responses', providerKey, reserved: RESERVED, warnings })
  return { body, warnings }
}

function toInput(request: ChatRequest, warnings: Warning[], providerKey: string): unknown[] {
  const input: unknown[] = []
  if (request.system !== undefined) input.push({ role: 'system', content: request.system })
  let droppedReasoning = false
  request.messages.forEach((message, m) => {
    switch (message.role) {
      case 'system':
        input.push({ role: 'system', content: message.content })
        return
      case 'user':
        input.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? [{ type: 'input_text', text: message.content }]
              : message.content.map((part, p) =>
                  part.type === 'text'
                    ? { type: 'input_text', text: part.text }
                    : {
                        type: 'input_image',
                        image_url: toOpenAIImageUrl(part, `messages[${m}].content[${p}]`),
                        detail: imageDetail(part, providerKey),
                      },
                ),
        })
        return
      case 'assistant': {
        if (typeof message.content === 'string') {
          input.push({ role: 'assistant', content: message.content })
          return
        }
        let text = ''
        const flush = () => {
          if (text !== '') input.push({ role: 'assistant', content: text })
          text = ''
        }
        for (const part of message.content) {
          if (part.type === 'text') text += part.text
          else if (part.type === 'tool-call') {
            flush()
            input.push({
              type: 'function_call',
              call_id: part.toolCallId,
              name: part.toolName,
              arguments: JSON.stringify(part.input ?? {}),
            })
          } else droppedReasoning = true
        }
        flush()
        return
      }
      case 'tool':
        for (const part of message.content) {
          input.push({
            type: 'function_call_output',
            call_id: part.toolCallId,
            output: typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null),
          })
        }
        return
    }
  })
  if (droppedReasoning) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'messages.content.reasoning',
      details:
        'reasoning parts cannot be replayed to the Responses API without their items; they were not sent',
    })
  }
  return input
}

function imageDetail(part: ImagePart, providerKey: string): 'low' | 'high' | 'auto' {
  return readOpenAIImageDetail(part.providerOptions, providerKey) ?? 'auto'
}

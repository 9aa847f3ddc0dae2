import {
  type ChatRequest,
  type ResponseFormat,
  type ToolChoice,
  toJsonSchema,
  UnsupportedFeatureError,
  type Warning,
} from '@ql/provider'
import type { z } from 'zod/v4'
import { openaiCompatibleProviderOptionsSchema } from '../openai-compatible/openai-compatible-provider-options'
import { checkPromptProviderOptions } from '../shared/check-prompt-provider-options'
import { readProviderOptions } from '../shared/read-provider-options'
import { convertToOpenAIMessages } from './convert-to-openai-messages'
import {
  addMetadata,
  addOpenAIOptions,
  isReasoningModel,
  type OpenAIChatOptions,
} from './openai-body-helpers'
import type { OpenAIChatDialect } from './openai-chat-dialect'
import {
  OPENAI_OPTION_HINTS,
  openaiImageOptionsSchema,
  openaiNoOptionsSchema,
  openaiProviderOptionsSchema,
  openaiToolOptionsSchema,
  readOpenAIToolStrict,
} from './openai-provider-options'

/** The Chat Completions body for a request (without `stream`), and what was ignored or adapted. */
export interface OpenAIChatBody {
  body: Record<string, unknown>
  warnings: Warning[]
}

/** Fields the adapter sets from the request; `extraBody` cannot replace them. */
const RESERVED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'response_format',
])

/**
 * Builds the Chat Completions request body for `request`.
 *
 * - tools → `tools: [{ type: 'function', function: { name, description, parameters } }]`, the
 *   parameters through `toJsonSchema` (`strict: true` from the tool's `providerOptions.<key>.strict`);
 *   `toolChoice` → `tool_choice`;
 * - `responseFormat` json with a schema → `response_format: { type: 'json_schema', json_schema:
 *   { name, description, schema, strict } }` (`strict` from `providerOptions.<key>.strictJsonSchema`,
 *   default false, because strict mode rejects schemas without `additionalProperties: false`);
 *   json without a schema → `{ type: 'json_object' }`;
 * - `metadata.userId` → the end user: `safety_identifier` for OpenAI, `user` for OpenAI-compatible
 *   servers; the whole metadata → OpenAI `metadata` (values as strings), which OpenAI accepts only
 *   for stored completions, so only with `providerOptions.openai.store: true` (otherwise a warning
 *   names what was not sent);
 * - `providerOptions[providerKey]`, read with `openaiProviderOptionsSchema` (OpenAI) or
 *   `openaiCompatibleProviderOptionsSchema` (the dialect says which), each option mapped to its
 *   wire name (`webSearchOptions.searchContextSize` → `web_search_options.search_context_size`);
 *   unknown keys, and options Chat Completions has no field for, are warnings, never sent;
 * - options on messages, parts and tools are checked the same way (`imageDetail` on image parts,
 *   `strict` on tools; anything else is a warning).
 *
 * @throws UnsupportedFeatureError when a JSON Schema response format is asked of a dialect without one.
 * @throws InvalidRequestError when a provider option has a wrong value, a schema cannot be
 *   converted or an image lacks its media type.
 */
export function buildOpenAIChatBody(
  request: ChatRequest,
  options: { modelId: string; provider: string; providerKey: string; dialect: OpenAIChatDialect },
): OpenAIChatBody {
  const { modelId, provider, providerKey, dialect } = options
  const warnings: Warning[] = []
  const openai = dialect.options === 'openai'
  const context = { providerKey, provider, label: openai ? 'OpenAI' : provider, warnings }
  const schema: z.ZodType<OpenAIChatOptions> = openai
    ? openaiProviderOptionsSchema
    : openaiCompatibleProviderOptionsSchema
  const vendor: OpenAIChatOptions =
    readProviderOptions(request.providerOptions, schema, {
      ...context,
      path: 'providerOptions',
      hints: OPENAI_OPTION_HINTS,
    }) ?? {}
  checkPromptProviderOptions(
    request,
    {
      message: openaiNoOptionsSchema,
      part: (type) => (type === 'image' ? openaiImageOptionsSchema : openaiNoOptionsSchema),
      tool: openaiToolOptionsSchema,
    },
    { ...context, hints: OPENAI_OPTION_HINTS },
  )
  const body: Record<string, unknown> = {
    model: modelId,
    messages: convertToOpenAIMessages(request, warnings, providerKey),
  }

  if (request.maxTokens !== undefined) body[dialect.maxTokensField] = request.maxTokens
  const reasoningModel = dialect.reasoningModels && isReasoningModel(modelId)
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
  if (request.stop !== undefined) body.stop = request.stop
  if (request.seed !== undefined) body.seed = request.seed

  const tools = request.tools ?? []
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: toJsonSchema(tool.inputSchema),
        ...(readOpenAIToolStrict(tool.providerOptions, providerKey) ? { strict: true } : {}),
      },
    }))
    if (request.toolChoice !== undefined) body.tool_choice = mapToolChoice(request.toolChoice)
  }
  // without tools, `auto` and `none` mean what sending nothing means; validation rejects the others

  const responseFormat = mapResponseFormat(
    request.responseFormat,
    vendor.strictJsonSchema === true,
    dialect,
    provider,
  )
  if (responseFormat !== undefined) body.response_format = responseFormat

  if (request.metadata !== undefined) {
    const refusal = !dialect.metadata
      ? 'this endpoint takes no request metadata'
      : 'store' in vendor && vendor.store === true
        ? undefined
        : `request metadata is only accepted with stored completions (providerOptions.${providerKey}.store: true)`
    addMetadata(body, request.metadata, {
      endUserField: openai ? 'safety_identifier' : 'user',
      refusal,
      warnings,
    })
  }

  addOpenAIOptions(body, vendor, { api: 'chat', providerKey, reserved: RESERVED, warnings })
  return { body, warnings }
}

function mapToolChoice(choice: ToolChoice): unknown {
  if (typeof choice === 'string') return choice
  return { type: 'function', function: { name: choice.toolName } }
}

function mapResponseFormat(
  format: ResponseFormat | undefined,
  strict: boolean,
  dialect: OpenAIChatDialect,
  provider: string,
): unknown {
  if (format === undefined || format.type === 'text') return undefined
  if (format.schema === undefined) return { type: 'json_object' }
  if (!dialect.structuredOutputs) {
    throw new UnsupportedFeatureError({
      message: `${provider} is configured without structured outputs (supportsStructuredOutputs: false): a JSON Schema response format cannot be sent; ask for { type: 'json' } without a schema, or enable structured outputs`,
      provider,
    })
  }
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name ?? 'response',
      ...(format.description === undefined ? {} : { description: format.description }),
      schema: toJsonSchema(format.schema),
      strict,
    },
  }
}

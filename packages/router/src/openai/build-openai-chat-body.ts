import {
  type ChatRequest,
  type ResponseFormat,
  type ToolChoice,
  toJsonSchema,
  UnsupportedFeatureError,
  type Warning,
} from '@ql/provider'
import { convertToOpenAIMessages } from './convert-to-openai-messages'
import { addMetadata, isReasoningModel, mergeProviderOptions } from './openai-body-helpers'
import type { OpenAIChatDialect } from './openai-chat-dialect'

/** The Chat Completions body for a request (without `stream`), and what was ignored or adapted. */
export interface OpenAIChatBody {
  body: Record<string, unknown>
  warnings: Warning[]
}

/** Fields the adapter owns; provider options cannot replace them. */
const RESERVED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'response_format',
])
/** Provider options the adapter reads itself instead of sending. */
const CONSUMED = new Set(['strict_json_schema'])

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
 * - `metadata.user` → `user`; the rest → OpenAI `metadata` (values as strings), which OpenAI
 *   accepts only for stored completions, so only with `providerOptions.<key>.store: true`
 *   (otherwise a warning names what was not sent);
 * - `providerOptions[providerKey]` → merged into the body, camelCase keys written in snake_case
 *   (`reasoningEffort` → `reasoning_effort`).
 *
 * @throws UnsupportedFeatureError when a JSON Schema response format is asked of a dialect without one.
 * @throws InvalidRequestError when a schema cannot be converted or an image lacks its media type.
 */
export function buildOpenAIChatBody(
  request: ChatRequest,
  options: { modelId: string; provider: string; providerKey: string; dialect: OpenAIChatDialect },
): OpenAIChatBody {
  const { modelId, provider, providerKey, dialect } = options
  const warnings: Warning[] = []
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
        ...(tool.providerOptions?.[providerKey]?.strict === true ? { strict: true } : {}),
      },
    }))
    if (request.toolChoice !== undefined) body.tool_choice = mapToolChoice(request.toolChoice)
  }
  // without tools, `auto` and `none` mean what sending nothing means; validation rejects the others

  const vendor = request.providerOptions?.[providerKey] ?? {}
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
      : vendor.store === true
        ? undefined
        : `request metadata is only accepted with stored completions (providerOptions.${providerKey}.store: true)`
    addMetadata(body, request.metadata, refusal, warnings)
  }

  mergeProviderOptions(body, vendor, { providerKey, reserved: RESERVED, consumed: CONSUMED, warnings })
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

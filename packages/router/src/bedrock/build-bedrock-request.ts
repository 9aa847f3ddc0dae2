import type {
  ConverseRequest,
  InferenceConfiguration,
  Tool,
  ToolConfiguration,
} from '@aws-sdk/client-bedrock-runtime'
import {
  type ChatRequest,
  InvalidRequestError,
  toJsonSchema,
  UnsupportedFeatureError,
  type Warning,
} from '@ql/provider'
import { convertToBedrockMessages } from './convert-to-bedrock-messages'
import { readCachePoint } from './read-cache-point'

/** The Converse input and what was ignored or adapted on the way. */
export interface BedrockRequest {
  input: ConverseRequest
  warnings: Warning[]
  /** The tool whose input is the structured answer, in `structuredOutputMode: 'tool'`. */
  jsonTool?: string
}

/** The `providerOptions.bedrock` keys the adapter understands. */
const KNOWN_OPTIONS = new Set([
  'reasoningConfig',
  'additionalModelRequestFields',
  'guardrailConfig',
  'performanceConfig',
  'serviceTier',
  'cachePoint',
  'structuredOutputMode',
])

type Document = NonNullable<ConverseRequest['additionalModelRequestFields']>

/** `maxTokens` under reasoning when the request sets none (the budget is added to it). */
const DEFAULT_MAX_TOKENS = 4096

/**
 * Builds a Converse (or ConverseStream) input from a chat request.
 *
 * - `maxTokens`, `temperature`, `topP` and `stop` go to `inferenceConfig`; `seed` is not
 *   supported (a warning); `metadata` becomes `requestMetadata` (strings, for invocation logs).
 * - `toolChoice`: `auto` → `{ auto: {} }`, `required` → `{ any: {} }`, a named tool →
 *   `{ tool: { name } }`. Converse has no `none`: the tools are left out, with a warning.
 * - `responseFormat: { type: 'json', schema }` uses Converse's native structured output
 *   (`outputConfig.textFormat` with a JSON schema), or with `providerOptions.bedrock.structuredOutputMode:
 *   'tool'` (for models without it) a forced tool whose input is the answer; JSON without a schema
 *   is not supported.
 * - `providerOptions.bedrock`: `reasoningConfig` (`{ type: 'enabled', budgetTokens }`, sent as
 *   Anthropic's `thinking` in `additionalModelRequestFields`; the budget is added to `maxTokens`,
 *   and `temperature` and `topP` are left out with a warning), `additionalModelRequestFields`,
 *   `guardrailConfig`, `performanceConfig`, `serviceTier`; `cachePoint` belongs on a message,
 *   a part or a tool.
 */
export function buildBedrockRequest(request: ChatRequest, modelId: string): BedrockRequest {
  const prompt = convertToBedrockMessages(request.system, request.messages)
  const warnings: Warning[] = [...prompt.warnings]
  const options = request.providerOptions?.bedrock ?? {}
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.bedrock.${key}`,
        details: 'not a known Bedrock option; ignored',
      })
    }
  }
  if (options.cachePoint !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'providerOptions.bedrock.cachePoint',
      details: 'a cache point belongs on a message, a content part or a tool, not on the request; ignored',
    })
  }

  const input: ConverseRequest = { modelId, messages: prompt.messages }
  if (prompt.system.length > 0) input.system = prompt.system

  const reasoning = readReasoning(options.reasoningConfig)
  const budget = reasoning?.type === 'enabled' ? (reasoning.budget_tokens as number) : 0
  const inference: InferenceConfiguration = {}
  // with thinking, the budget comes on top of the answer's own tokens, as in the Anthropic adapter
  if (budget > 0) inference.maxTokens = (request.maxTokens ?? DEFAULT_MAX_TOKENS) + budget
  else if (request.maxTokens !== undefined) inference.maxTokens = request.maxTokens
  for (const [setting, value] of [
    ['temperature', request.temperature],
    ['topP', request.topP],
  ] as const) {
    if (value === undefined) continue
    if (budget > 0) {
      warnings.push({
        type: 'unsupported-setting',
        setting,
        details: 'not supported with reasoning enabled; left out',
      })
    } else {
      inference[setting] = value
    }
  }
  if (request.stop !== undefined)
    inference.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop
  if (Object.keys(inference).length > 0) input.inferenceConfig = inference
  if (request.seed !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'seed',
      details: 'Bedrock Converse has no seed; left out',
    })
  }
  if (request.metadata !== undefined) {
    input.requestMetadata = Object.fromEntries(
      Object.entries(request.metadata).map(([key, value]) => [key, String(value)]),
    )
  }

  const toolConfig = prepareTools(request, warnings)
  if (toolConfig !== undefined) input.toolConfig = toolConfig

  let jsonTool: string | undefined
  if (request.responseFormat?.type === 'json') {
    if (request.responseFormat.schema === undefined) {
      throw new UnsupportedFeatureError({
        message:
          "Bedrock Converse has no JSON mode without a schema: pass responseFormat: { type: 'json', schema } for structured output",
        provider: 'bedrock',
        modelId,
      })
    }
    const { schema, name, description } = request.responseFormat
    const jsonSchema = toJsonSchema(schema)
    const mode = options.structuredOutputMode ?? 'native'
    if (mode === 'tool') {
      jsonTool = forceJsonTool(input, request, jsonSchema, name ?? 'response', description, modelId)
    } else if (mode === 'native') {
      input.outputConfig = {
        textFormat: {
          type: 'json_schema',
          structure: {
            jsonSchema: {
              schema: JSON.stringify(jsonSchema),
              name: name ?? 'response',
              ...(description === undefined ? {} : { description }),
            },
          },
        },
      }
    } else {
      throw new InvalidRequestError({
        message: `providerOptions.bedrock.structuredOutputMode must be 'native' or 'tool', got ${JSON.stringify(mode)}`,
        issues: [
          { path: 'providerOptions.bedrock.structuredOutputMode', message: "expected 'native' or 'tool'" },
        ],
        provider: 'bedrock',
      })
    }
  }

  const additional: Record<string, unknown> = {
    ...readObject(options.additionalModelRequestFields, 'additionalModelRequestFields'),
  }
  if (reasoning !== undefined) additional.thinking = reasoning
  if (Object.keys(additional).length > 0) input.additionalModelRequestFields = additional as Document
  if (options.guardrailConfig !== undefined) {
    input.guardrailConfig = readObject(
      options.guardrailConfig,
      'guardrailConfig',
    ) as unknown as ConverseRequest['guardrailConfig']
  }
  if (options.performanceConfig !== undefined) {
    input.performanceConfig = readObject(
      options.performanceConfig,
      'performanceConfig',
    ) as ConverseRequest['performanceConfig']
  }
  if (options.serviceTier !== undefined) {
    input.serviceTier = readObject(
      options.serviceTier,
      'serviceTier',
    ) as unknown as ConverseRequest['serviceTier']
  }
  return { input, warnings, ...(jsonTool === undefined ? {} : { jsonTool }) }
}

/**
 * Structured output for models without Converse's native `outputConfig`: one tool whose input
 * schema is the answer's schema, forced with `toolChoice`. The adapter turns that tool call back
 * into the answer's text.
 */
function forceJsonTool(
  input: ConverseRequest,
  request: ChatRequest,
  schema: Record<string, unknown>,
  name: string,
  description: string | undefined,
  modelId: string,
): string {
  if ((request.tools?.length ?? 0) > 0 || schema.type !== 'object') {
    throw new UnsupportedFeatureError({
      message:
        "structuredOutputMode 'tool' needs an object schema and no other tools (the answer is a forced tool call); use the native mode or drop the tools",
      provider: 'bedrock',
      modelId,
    })
  }
  input.toolConfig = {
    tools: [
      {
        toolSpec: {
          name,
          description: description ?? 'Give the answer as the input of this tool.',
          inputSchema: { json: schema as Document },
        },
      },
    ],
    toolChoice: { tool: { name } },
  }
  return name
}

function prepareTools(request: ChatRequest, warnings: Warning[]): ToolConfiguration | undefined {
  if (request.tools === undefined || request.tools.length === 0) return undefined
  const choice = request.toolChoice ?? 'auto'
  if (choice === 'none') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      details: "Bedrock Converse has no 'none' tool choice; the tools were left out of the request instead",
    })
    return undefined
  }
  const tools: Tool[] = []
  for (const tool of request.tools) {
    tools.push({
      toolSpec: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        inputSchema: { json: toJsonSchema(tool.inputSchema) as Document },
      },
    })
    const cachePoint = readCachePoint(tool.providerOptions)
    if (cachePoint !== undefined) tools.push({ cachePoint })
  }
  if (choice === 'auto') return { tools }
  if (choice === 'required') return { tools, toolChoice: { any: {} } }
  return { tools, toolChoice: { tool: { name: choice.toolName } } }
}

function readReasoning(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined
  const record = (typeof value === 'object' ? value : {}) as Record<string, unknown>
  const budget = record.budgetTokens ?? record.budget_tokens
  if (record.type === 'disabled') return { type: 'disabled' }
  if (record.type === 'enabled' && typeof budget === 'number' && Number.isInteger(budget) && budget > 0) {
    return { type: 'enabled', budget_tokens: budget }
  }
  throw new InvalidRequestError({
    message: `providerOptions.bedrock.reasoningConfig must be { type: 'enabled', budgetTokens } or { type: 'disabled' }, got ${JSON.stringify(value)}`,
    issues: [
      {
        path: 'providerOptions.bedrock.reasoningConfig',
        message: "expected { type: 'enabled', budgetTokens: a positive integer }",
      },
    ],
    provider: 'bedrock',
  })
}

function readObject(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError({
      message: `providerOptions.bedrock.${name} must be an object, got ${JSON.stringify(value)}`,
      issues: [{ path: `providerOptions.bedrock.${name}`, message: 'expected an object' }],
      provider: 'bedrock',
    })
  }
  return value as Record<string, unknown>
}

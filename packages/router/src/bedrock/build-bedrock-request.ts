import type {
  ConverseRequest,
  InferenceConfiguration,
  Tool,
  ToolConfiguration,
} from '@aws-sdk/client-bedrock-runtime'
import { type ChatRequest, toJsonSchema, UnsupportedFeatureError, type Warning } from '@ql/provider'
import { checkPromptProviderOptions } from '../shared/check-prompt-provider-options'
import { readProviderOptions } from '../shared/read-provider-options'
import {
  type BedrockProviderOptions,
  bedrockCacheOptionsSchema,
  bedrockProviderOptionsSchema,
} from './bedrock-provider-options'
import { convertToBedrockMessages } from './convert-to-bedrock-messages'
import { readCachePoint } from './read-cache-point'

/** The Converse input and what was ignored or adapted on the way. */
export interface BedrockRequest {
  input: ConverseRequest
  warnings: Warning[]
  /** The tool whose input is the structured answer, in `structuredOutputMode: 'tool'`. */
  jsonTool?: string
}

/** What to say about an option set in the wrong place. */
const HINTS = {
  cachePoint:
    'a cache point belongs on a message, a content part or a tool, not on the request; it was not sent',
}

type Document = NonNullable<ConverseRequest['additionalModelRequestFields']>

/** `maxTokens` under reasoning when the request sets none (the budget is added to it). */
const DEFAULT_MAX_TOKENS = 4096

/**
 * Builds a Converse (or ConverseStream) input from a chat request.
 *
 * - `maxTokens`, `temperature`, `topP` and `stop` go to `inferenceConfig`; `seed` is not
 *   supported (a warning); `metadata` becomes `requestMetadata` (strings, for invocation logs),
 *   `metadata.userId` (the end user, in every adapter) included: Bedrock has no end-user field.
 * - `toolChoice`: `auto` → `{ auto: {} }`, `required` → `{ any: {} }`, a named tool →
 *   `{ tool: { name } }`. Converse has no `none`: the tools are left out, with a warning.
 * - `responseFormat: { type: 'json', schema }` uses Converse's native structured output
 *   (`outputConfig.textFormat` with a JSON schema), or with `providerOptions.bedrock.structuredOutputMode:
 *   'tool'` (for models without it) a forced tool whose input is the answer; JSON without a schema
 *   is not supported.
 * - `providerOptions.bedrock`, read with `bedrockProviderOptionsSchema`: `reasoningConfig`
 *   (`{ type: 'enabled', budgetTokens }`, sent as Anthropic's `thinking` in
 *   `additionalModelRequestFields`; the budget is added to `maxTokens`, and `temperature` and
 *   `topP` are left out with a warning), `additionalModelRequestFields`, `guardrailConfig`,
 *   `performanceConfig`, `serviceTier` (`{ type }` on the wire), `structuredOutputMode`; unknown
 *   keys are warnings, never sent. `cachePoint` belongs on a message, a part or a tool, where it
 *   is checked the same way.
 *
 * @throws InvalidRequestError when a provider option has a wrong value.
 * @throws UnsupportedFeatureError for JSON output without a schema, or a forced-tool answer that cannot be.
 */
export function buildBedrockRequest(request: ChatRequest, modelId: string): BedrockRequest {
  const warnings: Warning[] = []
  const context = { providerKey: 'bedrock', provider: 'bedrock', label: 'Bedrock', warnings }
  const options: BedrockProviderOptions =
    readProviderOptions(request.providerOptions, bedrockProviderOptionsSchema, {
      ...context,
      path: 'providerOptions',
      hints: HINTS,
    }) ?? {}
  checkPromptProviderOptions(
    request,
    {
      message: bedrockCacheOptionsSchema,
      part: () => bedrockCacheOptionsSchema,
      tool: bedrockCacheOptionsSchema,
    },
    context,
  )
  const prompt = convertToBedrockMessages(request.system, request.messages)
  warnings.push(...prompt.warnings)

  const input: ConverseRequest = { modelId, messages: prompt.messages }
  if (prompt.system.length > 0) input.system = prompt.system

  const reasoning = options.reasoningConfig
  const budget = reasoning?.type === 'enabled' ? reasoning.budgetTokens : 0
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
    } else {
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
    }
  }

  const additional: Record<string, unknown> = { ...options.additionalModelRequestFields }
  if (reasoning !== undefined) {
    additional.thinking =
      reasoning.type === 'enabled' ? { type: 'enabled', budget_tokens: reasoning.budgetTokens } : reasoning
  }
  if (Object.keys(additional).length > 0) input.additionalModelRequestFields = additional as Document
  const guardrail = options.guardrailConfig
  if (guardrail !== undefined) {
    input.guardrailConfig = {
      guardrailIdentifier: guardrail.guardrailIdentifier,
      guardrailVersion: guardrail.guardrailVersion,
      ...(guardrail.trace === undefined ? {} : { trace: guardrail.trace }),
    }
  }
  if (options.performanceConfig !== undefined)
    input.performanceConfig = { latency: options.performanceConfig.latency }
  if (options.serviceTier !== undefined) input.serviceTier = { type: options.serviceTier }
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

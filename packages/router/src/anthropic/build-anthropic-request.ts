import type {
  MessageCreateParamsBase,
  ThinkingConfigParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages'
import {
  type ChatRequest,
  InvalidRequestError,
  toJsonSchema,
  UnsupportedFeatureError,
  type Warning,
} from '@ql/provider'
import { convertToAnthropicMessages } from './convert-to-anthropic-messages'
import { readCacheControl } from './read-cache-control'

/** The request body (without `stream`) and what was ignored or adapted on the way. */
export interface AnthropicRequest {
  body: MessageCreateParamsBase
  warnings: Warning[]
}

/** The `providerOptions.anthropic` keys the adapter understands. */
const KNOWN_OPTIONS = new Set([
  'thinking',
  'cacheControl',
  'cache_control',
  'topK',
  'effort',
  'disableParallelToolUse',
  'serviceTier',
])

/**
 * Builds a Messages API request from a chat request.
 *
 * - `maxTokens` defaults to `defaultMaxTokens` (Anthropic requires one); with extended thinking
 *   the thinking budget is added on top, so the answer keeps its `maxTokens`.
 * - `temperature`, `topP` and `topK` are gone from the Messages API since version 2026-10-21 (the
 *   version SDK 1.x speaks), and Anthropic has no `seed`: each is left out with a warning.
 * - `responseFormat: { type: 'json', schema }` uses Anthropic's native structured output
 *   (`output_config.format` with a JSON schema); JSON without a schema is not supported.
 * - `metadata.userId` (or `user_id`) becomes `metadata.user_id`, the only metadata Anthropic takes.
 * - `providerOptions.anthropic`: `thinking` (`{ type: 'enabled', budgetTokens }`, `{ type: 'adaptive' }`,
 *   `{ type: 'disabled' }`), `cacheControl` (top-level automatic caching), `effort`,
 *   `disableParallelToolUse`, `serviceTier`.
 */
export function buildAnthropicRequest(
  request: ChatRequest,
  modelId: string,
  defaultMaxTokens: number,
): AnthropicRequest {
  const prompt = convertToAnthropicMessages(request.system, request.messages)
  const warnings: Warning[] = [...prompt.warnings]
  const options = request.providerOptions?.anthropic ?? {}
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.anthropic.${key}`,
        details: 'not a known Anthropic option; ignored',
      })
    }
  }

  const thinking = readThinking(options.thinking)
  const budget = thinking?.type === 'enabled' ? thinking.budget_tokens : 0
  const body: MessageCreateParamsBase = {
    model: modelId,
    max_tokens: (request.maxTokens ?? defaultMaxTokens) + budget,
    messages: prompt.messages,
  }
  if (prompt.system.length > 0) body.system = prompt.system
  if (thinking !== undefined) body.thinking = thinking
  // API version 2026-10-21 (SDK 1.x) has no sampling parameters
  for (const [setting, value] of [
    ['temperature', request.temperature],
    ['topP', request.topP],
    ['providerOptions.anthropic.topK', options.topK],
  ] as const) {
    if (value !== undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting,
        details: 'the Anthropic Messages API (version 2026-10-21) has no sampling parameters; left out',
      })
    }
  }
  if (request.seed !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'seed',
      details: 'Anthropic has no seed; left out',
    })
  }
  if (request.stop !== undefined)
    body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop

  if (request.metadata !== undefined) {
    for (const [key, value] of Object.entries(request.metadata)) {
      if ((key === 'userId' || key === 'user_id') && typeof value === 'string')
        body.metadata = { user_id: value }
      else
        warnings.push({
          type: 'unsupported-setting',
          setting: `metadata.${key}`,
          details: 'Anthropic takes only a user id (metadata.userId); left out',
        })
    }
  }

  const cacheControl = readCacheControl({ anthropic: options })
  if (cacheControl !== undefined) body.cache_control = cacheControl
  if (options.serviceTier !== undefined)
    body.service_tier = options.serviceTier as MessageCreateParamsBase['service_tier']

  const outputConfig: NonNullable<MessageCreateParamsBase['output_config']> = {}
  if (options.effort !== undefined)
    outputConfig.effort = options.effort as NonNullable<typeof outputConfig.effort>
  if (request.responseFormat?.type === 'json') {
    if (request.responseFormat.schema === undefined) {
      throw new UnsupportedFeatureError({
        message:
          "Anthropic has no JSON mode without a schema: pass responseFormat: { type: 'json', schema } for structured output",
        provider: 'anthropic',
        modelId,
      })
    }
    outputConfig.format = { type: 'json_schema', schema: toJsonSchema(request.responseFormat.schema) }
  }
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig

  Object.assign(body, prepareTools(request, options.disableParallelToolUse === true))
  return { body, warnings }
}

function prepareTools(
  request: ChatRequest,
  disableParallel: boolean,
): { tools?: Tool[]; tool_choice?: ToolChoice } {
  if (request.tools === undefined || request.tools.length === 0) return {}
  const tools: Tool[] = request.tools.map((tool) => {
    const converted: Tool = {
      name: tool.name,
      input_schema: toJsonSchema(tool.inputSchema) as Tool['input_schema'],
    }
    if (tool.description !== undefined) converted.description = tool.description
    const cache = readCacheControl(tool.providerOptions)
    if (cache !== undefined) converted.cache_control = cache
    return converted
  })
  const parallel = disableParallel ? { disable_parallel_tool_use: true } : {}
  const choice = request.toolChoice ?? 'auto'
  let toolChoice: ToolChoice
  if (choice === 'auto') toolChoice = { type: 'auto', ...parallel }
  else if (choice === 'none') toolChoice = { type: 'none' }
  else if (choice === 'required') toolChoice = { type: 'any', ...parallel }
  else toolChoice = { type: 'tool', name: choice.toolName, ...parallel }
  // `auto` is Anthropic's default: send tool_choice only when it says something
  if (choice === 'auto' && !disableParallel) return { tools }
  return { tools, tool_choice: toolChoice }
}

function readThinking(value: unknown): ThinkingConfigParam | undefined {
  if (value === undefined || value === null) return undefined
  const record = (typeof value === 'object' ? value : {}) as Record<string, unknown>
  if (record.type === 'enabled') {
    const budget = requireNumber(
      record.budgetTokens ?? record.budget_tokens,
      'providerOptions.anthropic.thinking.budgetTokens',
    )
    return { type: 'enabled', budget_tokens: budget }
  }
  if (record.type === 'adaptive') return { type: 'adaptive' }
  if (record.type === 'disabled') return { type: 'disabled' }
  throw new InvalidRequestError({
    message: `providerOptions.anthropic.thinking must be { type: 'enabled', budgetTokens }, { type: 'adaptive' } or { type: 'disabled' }, got ${JSON.stringify(value)}`,
    issues: [
      {
        path: 'providerOptions.anthropic.thinking',
        message: "expected type 'enabled', 'adaptive' or 'disabled'",
      },
    ],
    provider: 'anthropic',
  })
}

function requireNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidRequestError({
      message: `${path} must be a non-negative integer, got ${JSON.stringify(value)}`,
      issues: [{ path, message: 'expected a non-negative integer' }],
      provider: 'anthropic',
    })
  }
  return value
}

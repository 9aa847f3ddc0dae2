import type {
  MessageCreateParamsBase,
  ThinkingConfigParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages'
import { type ChatRequest, toJsonSchema, UnsupportedFeatureError, type Warning } from '@ql/provider'
import { z } from 'zod/v4'
import { checkPromptProviderOptions } from '../shared/check-prompt-provider-options'
import { END_USER_ID_KEY } from '../shared/end-user-id'
import { readProviderOptions } from '../shared/read-provider-options'
import {
  type AnthropicProviderOptions,
  anthropicCacheOptionsSchema,
  anthropicProviderOptionsSchema,
} from './anthropic-provider-options'
import { convertToAnthropicMessages } from './convert-to-anthropic-messages'
import { readCacheControl, toCacheControl } from './read-cache-control'

/** The request body (without `stream`) and what was ignored or adapted on the way. */
export interface AnthropicRequest {
  body: MessageCreateParamsBase
  warnings: Warning[]
}

/** Fields the adapter sets from the request; `extraBody` cannot replace them. */
const RESERVED = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'stop_sequences',
  'tools',
  'tool_choice',
  'output_config',
  'metadata',
  'stream',
])

/** Reasoning parts take no options. */
const NO_OPTIONS = z.strictObject({})

/**
 * Builds a Messages API request from a chat request.
 *
 * - `maxTokens` defaults to `defaultMaxTokens` (Anthropic requires one); with extended thinking
 *   the thinking budget is added on top, so the answer keeps its `maxTokens`.
 * - `temperature`, `topP` and `topK` are gone from the Messages API since version 2026-10-21 (the
 *   version SDK 1.x speaks), and Anthropic has no `seed`: each is left out with a warning.
 * - `responseFormat: { type: 'json', schema }` uses Anthropic's native structured output
 *   (`output_config.format` with a JSON schema); JSON without a schema is not supported.
 * - `metadata.userId` (the end user, in every adapter) becomes `metadata.user_id`, the only
 *   metadata Anthropic takes; other metadata keys are left out with a warning.
 * - `providerOptions.anthropic`, read with `anthropicProviderOptionsSchema`: `thinking`
 *   (`{ type: 'enabled', budgetTokens }`, `{ type: 'adaptive' }`, `{ type: 'disabled' }`),
 *   `cacheControl` (top-level automatic caching), `effort`, `disableParallelToolUse`,
 *   `serviceTier`, `topK` (left out, with a warning) and `extraBody`; unknown keys are warnings,
 *   never sent. `cacheControl` on messages, parts and tools is checked the same way.
 *
 * @throws InvalidRequestError when a provider option has a wrong value.
 * @throws UnsupportedFeatureError for JSON output without a schema.
 */
export function buildAnthropicRequest(
  request: ChatRequest,
  modelId: string,
  defaultMaxTokens: number,
): AnthropicRequest {
  const warnings: Warning[] = []
  const context = { providerKey: 'anthropic', provider: 'anthropic', label: 'Anthropic', warnings }
  const options: AnthropicProviderOptions =
    readProviderOptions(request.providerOptions, anthropicProviderOptionsSchema, {
      ...context,
      path: 'providerOptions',
    }) ?? {}
  checkPromptProviderOptions(
    request,
    {
      message: anthropicCacheOptionsSchema,
      part: (type) => (type === 'reasoning' ? NO_OPTIONS : anthropicCacheOptionsSchema),
      tool: anthropicCacheOptionsSchema,
    },
    {
      ...context,
      hints: { cacheControl: 'a thinking block cannot carry a cache breakpoint; it was not sent' },
    },
  )
  const prompt = convertToAnthropicMessages(request.system, request.messages)
  warnings.push(...prompt.warnings)

  const thinking = toThinking(options.thinking)
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
      if (key === END_USER_ID_KEY) body.metadata = { user_id: String(value) }
      else
        warnings.push({
          type: 'unsupported-setting',
          setting: `metadata.${key}`,
          details: 'Anthropic takes only the end user (metadata.userId); left out',
        })
    }
  }

  const cacheControl = toCacheControl(options.cacheControl)
  if (cacheControl !== undefined) body.cache_control = cacheControl
  if (options.serviceTier !== undefined) body.service_tier = options.serviceTier

  const outputConfig: NonNullable<MessageCreateParamsBase['output_config']> = {}
  if (options.effort !== undefined) outputConfig.effort = options.effort
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
  for (const [field, value] of Object.entries(options.extraBody ?? {})) {
    if (RESERVED.has(field)) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.anthropic.extraBody.${field}`,
        details: `${field} is set by the adapter from the request; it was not replaced`,
      })
    } else (body as unknown as Record<string, unknown>)[field] = value
  }
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

function toThinking(value: AnthropicProviderOptions['thinking']): ThinkingConfigParam | undefined {
  if (value === undefined) return undefined
  if (value.type === 'enabled') return { type: 'enabled', budget_tokens: value.budgetTokens }
  return { type: value.type }
}

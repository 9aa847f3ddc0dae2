import { z } from 'zod/v4'

/** A prompt-cache breakpoint: Anthropic `cache_control`. */
export const anthropicCacheControlSchema = z.strictObject({
  type: z.literal('ephemeral'),
  /** How long the cached prefix lives: `5m` (the default) or `1h`. */
  ttl: z.enum(['5m', '1h']).optional(),
})

/**
 * `providerOptions.anthropic` on a request to `createAnthropic().chat()`. Names are camelCase and
 * mapped field by field to the Messages API (`thinking.budgetTokens` → `thinking.budget_tokens`);
 * the snake_case name of a known option is read as that option too. An unknown key is not sent and
 * gives a warning; a wrong value fails the call with `InvalidRequestError` before anything is sent.
 *
 * @example
 * ```ts
 * import type { AnthropicProviderOptions } from '@ql/router/anthropic'
 * const anthropic: AnthropicProviderOptions = { thinking: { type: 'enabled', budgetTokens: 2048 } }
 * await model.generate({ messages, providerOptions: { anthropic } })
 * ```
 */
export const anthropicProviderOptionsSchema = z.strictObject({
  /**
   * Extended thinking (`thinking`): `{ type: 'enabled', budgetTokens }` (the budget is added to
   * `maxTokens`, so the answer keeps its own), `{ type: 'adaptive' }` or `{ type: 'disabled' }`.
   */
  thinking: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('enabled'), budgetTokens: z.number().int().positive() }),
      z.strictObject({ type: z.literal('adaptive') }),
      z.strictObject({ type: z.literal('disabled') }),
    ])
    .optional(),
  /** How much effort the model spends (`output_config.effort`). */
  effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).optional(),
  /** Automatic prompt caching of the whole request (top-level `cache_control`). */
  cacheControl: anthropicCacheControlSchema.optional(),
  /** At most one tool call per answer (`tool_choice.disable_parallel_tool_use`). */
  disableParallelToolUse: z.boolean().optional(),
  /** `auto` may use priority capacity; `standard_only` never does (`service_tier`). */
  serviceTier: z.enum(['auto', 'standard_only']).optional(),
  /**
   * Top-k sampling. The Messages API version the SDK speaks (2026-10-21) has no sampling
   * parameters: accepted for requests shared with other providers, left out with a warning.
   */
  topK: z.number().int().positive().optional(),
  /**
   * Fields added to the body exactly as written (wire names), after everything else: for API
   * parameters these options do not cover (`inference_geo`, `speed`, ...). Fields the adapter sets
   * from the request (`model`, `messages`, `system`, `max_tokens`, `stop_sequences`, `tools`,
   * `tool_choice`, `output_config`, `metadata`, `stream`) are refused with a warning.
   */
  extraBody: z.record(z.string(), z.unknown()).optional(),
})

/** `providerOptions.anthropic` on a request. See {@link anthropicProviderOptionsSchema}. */
export type AnthropicProviderOptions = z.infer<typeof anthropicProviderOptionsSchema>

/**
 * `providerOptions.anthropic` on a message, a content part or a tool definition: a cache
 * breakpoint (`cache_control`) on that part, on the message's last block, or on the tool.
 * Reasoning parts take none (Anthropic does not cache thinking blocks directly).
 */
export const anthropicCacheOptionsSchema = z.strictObject({
  cacheControl: anthropicCacheControlSchema.optional(),
})

/** `providerOptions.anthropic` on a message, part or tool. See {@link anthropicCacheOptionsSchema}. */
export type AnthropicCacheOptions = z.infer<typeof anthropicCacheOptionsSchema>

import { z } from 'zod/v4'

/** A prompt-cache checkpoint: a Converse `cachePoint` block. */
export const bedrockCachePointSchema = z.strictObject({
  type: z.literal('default'),
  /** How long the cached prefix lives: `5m` (the default) or `1h`. */
  ttl: z.enum(['5m', '1h']).optional(),
})

/**
 * `providerOptions.bedrock` on a request to `createBedrock().chat()`. Names are those of the
 * Converse API (camelCase on the wire too), each checked and sent field by field; the snake_case
 * spelling of a known option is read as that option too. An unknown key is not sent and gives a
 * warning; a wrong value fails the call with `InvalidRequestError` before anything is sent.
 *
 * @example
 * ```ts
 * import type { BedrockProviderOptions } from '@ql/router/bedrock'
 * const bedrock: BedrockProviderOptions = { reasoningConfig: { type: 'enabled', budgetTokens: 1024 } }
 * await model.generate({ messages, providerOptions: { bedrock } })
 * ```
 */
export const bedrockProviderOptionsSchema = z.strictObject({
  /**
   * Extended thinking of Anthropic models on Bedrock, sent as `thinking` in
   * `additionalModelRequestFields`: `{ type: 'enabled', budgetTokens }` (the budget is added to
   * `maxTokens`; `temperature` and `topP` are left out with a warning) or `{ type: 'disabled' }`.
   */
  reasoningConfig: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('enabled'), budgetTokens: z.number().int().positive() }),
      z.strictObject({ type: z.literal('disabled') }),
    ])
    .optional(),
  /**
   * Model-specific fields (`additionalModelRequestFields`), sent as written in the model's own
   * names, for example `{ top_k: 20 }` for Anthropic models.
   */
  additionalModelRequestFields: z.record(z.string(), z.unknown()).optional(),
  /** A guardrail to apply (`guardrailConfig`). */
  guardrailConfig: z
    .strictObject({
      guardrailIdentifier: z.string().min(1),
      guardrailVersion: z.string().min(1),
      /** Whether the response carries the guardrail's trace. */
      trace: z.enum(['enabled', 'disabled', 'enabled_full']).optional(),
    })
    .optional(),
  /** Latency-optimized inference where the model offers it (`performanceConfig.latency`). */
  performanceConfig: z.strictObject({ latency: z.enum(['standard', 'optimized']) }).optional(),
  /** The processing tier (`serviceTier: { type }`). */
  serviceTier: z.enum(['default', 'flex', 'priority', 'reserved']).optional(),
  /**
   * How a JSON Schema `responseFormat` is asked for: `native` (Converse `outputConfig`, the
   * default) or `tool` (a forced tool whose input is the answer, for models without it).
   */
  structuredOutputMode: z.enum(['native', 'tool']).optional(),
})

/** `providerOptions.bedrock` on a request. See {@link bedrockProviderOptionsSchema}. */
export type BedrockProviderOptions = z.infer<typeof bedrockProviderOptionsSchema>

/**
 * `providerOptions.bedrock` on a message, a content part or a tool definition: a `cachePoint`
 * block added after it.
 */
export const bedrockCacheOptionsSchema = z.strictObject({
  cachePoint: bedrockCachePointSchema.optional(),
})

/** `providerOptions.bedrock` on a message, part or tool. See {@link bedrockCacheOptionsSchema}. */
export type BedrockCacheOptions = z.infer<typeof bedrockCacheOptionsSchema>

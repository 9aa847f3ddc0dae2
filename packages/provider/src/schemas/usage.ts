import { z } from 'zod/v4'

/**
 * Token usage of one call, counted the way the OpenTelemetry GenAI semantic conventions count it:
 * `inputTokens` INCLUDES cached input tokens (Anthropic reports them apart; adapters add them in).
 */
export const usageSchema = z.object({
  /** All input tokens, cached ones included (`gen_ai.usage.input_tokens`). */
  inputTokens: z.number().int().nonnegative(),
  /** Generated tokens, reasoning included (`gen_ai.usage.output_tokens`). */
  outputTokens: z.number().int().nonnegative(),
  /** Input tokens served from the provider's prompt cache (a subset of `inputTokens`). */
  cachedInputTokens: z.number().int().nonnegative().optional(),
  /** Input tokens written to the provider's prompt cache (a subset of `inputTokens`). */
  cacheCreationInputTokens: z.number().int().nonnegative().optional(),
  /** Output tokens spent on reasoning (a subset of `outputTokens`). */
  reasoningTokens: z.number().int().nonnegative().optional(),
})

/** Token usage of one call. */
export type Usage = z.infer<typeof usageSchema>

/**
 * The cost of one call in US dollars, when the pricing of the model is known.
 * `inputCost + outputCost = totalCost`; the optional fields break those two down further and are
 * present when the usage had the matching count.
 */
export const costSchema = z.object({
  /** All input tokens: fresh, cached and cache-write ones. */
  inputCost: z.number().nonnegative(),
  /** All output tokens, reasoning included. */
  outputCost: z.number().nonnegative(),
  /** `inputCost + outputCost`. */
  totalCost: z.number().nonnegative(),
  currency: z.literal('USD'),
  /** The part of `inputCost` for input served from the prompt cache (`cachedInputTokens`). */
  cachedInputCost: z.number().nonnegative().optional(),
  /** The part of `inputCost` for input written to the prompt cache (`cacheCreationInputTokens`). */
  cacheWriteCost: z.number().nonnegative().optional(),
  /** The part of `outputCost` for reasoning (`reasoningTokens`). */
  reasoningCost: z.number().nonnegative().optional(),
})

/** The cost of one call. */
export type Cost = z.infer<typeof costSchema>

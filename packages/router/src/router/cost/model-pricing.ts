import { z } from 'zod/v4'

/**
 * What a model costs, in US dollars per million tokens. Only `inputPerMTokens` and
 * `outputPerMTokens` are required; a missing rate falls back to the one that bills the same
 * tokens when the provider has no separate price:
 *
 * - `cachedInputPerMTokens` (input read from the prompt cache) falls back to `inputPerMTokens`;
 * - `cacheWritePerMTokens` (input written to the prompt cache: Anthropic's and Bedrock's cache
 *   writes, billed above the input price) falls back to `inputPerMTokens`;
 * - `reasoningPerMTokens` (output spent on reasoning) falls back to `outputPerMTokens`.
 */
export interface ModelPricing {
  /** Input tokens that neither hit nor fill the prompt cache. */
  inputPerMTokens: number
  /** Output tokens (visible answer; reasoning too unless `reasoningPerMTokens` is set). */
  outputPerMTokens: number
  /** Input tokens served from the prompt cache (OpenAI "cached input", Anthropic "cache hits"). */
  cachedInputPerMTokens?: number
  /** Input tokens written to the prompt cache (Anthropic 5-minute cache writes: 1.25× input). */
  cacheWritePerMTokens?: number
  /** Output tokens spent on reasoning; defaults to `outputPerMTokens`, as every provider bills it today. */
  reasoningPerMTokens?: number
}

const rate = (field: string) =>
  z
    .number({ error: `${field} must be a number of US dollars per million tokens` })
    .finite({ error: `${field} must be a finite number` })
    .nonnegative({ error: `${field} must not be negative` })

/**
 * Validates a {@link ModelPricing} (a router config's `pricing`): every rate a finite,
 * non-negative number of US dollars per million tokens; unknown fields are rejected so a typo
 * (`cachedInputPerMToken`) cannot silently bill cached tokens at the full price.
 */
export const modelPricingSchema = z.strictObject({
  inputPerMTokens: rate('inputPerMTokens'),
  outputPerMTokens: rate('outputPerMTokens'),
  cachedInputPerMTokens: rate('cachedInputPerMTokens').optional(),
  cacheWritePerMTokens: rate('cacheWritePerMTokens').optional(),
  reasoningPerMTokens: rate('reasoningPerMTokens').optional(),
})

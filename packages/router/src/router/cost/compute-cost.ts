import type { Cost, Usage } from '@ql/provider'
import type { ModelPricing } from './model-pricing'

/**
 * The cost of one call in US dollars, from its usage and the model's prices.
 *
 * `usage` counts the OpenTelemetry way (the `@ql/provider` contract): `inputTokens` INCLUDES the
 * cached input tokens and the cache-write tokens, and `outputTokens` includes the reasoning
 * tokens. So each input token is billed exactly once, at one rate:
 *
 * - `cachedInputTokens` at `cachedInputPerMTokens` (cache hits: a tenth of the input price);
 * - `cacheCreationInputTokens` at `cacheWritePerMTokens` (Anthropic/Bedrock cache writes);
 * - the rest of `inputTokens` at `inputPerMTokens`;
 * - `reasoningTokens` at `reasoningPerMTokens`, the rest of `outputTokens` at `outputPerMTokens`.
 *
 * Billing cached tokens at the full input price on top of the cached price (or the cached tokens
 * twice) is the error behind the 4× and 10× overcharges LiteLLM users reported; the tests pin
 * each case. A count that exceeds its total (more cached tokens than input tokens) is capped at
 * the total, so a cost is never negative.
 *
 * `inputCost` and `outputCost` sum to `totalCost`; the breakdown fields (`cachedInputCost`,
 * `cacheWriteCost` as parts of `inputCost`, `reasoningCost` as part of `outputCost`) are present
 * when the usage has the matching count.
 *
 * @example
 * ```ts
 * const pricing = findPricing('anthropic', 'claude-sonnet-4-5-20250929')
 * if (pricing) console.log(computeCost(response.usage, pricing).totalCost)
 * ```
 */
export function computeCost(usage: Usage, pricing: ModelPricing): Cost {
  const input = usage.inputTokens
  const cached = Math.min(usage.cachedInputTokens ?? 0, input)
  const written = Math.min(usage.cacheCreationInputTokens ?? 0, input - cached)
  const reasoning = Math.min(usage.reasoningTokens ?? 0, usage.outputTokens)

  const cachedInputCost = dollars(cached, pricing.cachedInputPerMTokens ?? pricing.inputPerMTokens)
  const cacheWriteCost = dollars(written, pricing.cacheWritePerMTokens ?? pricing.inputPerMTokens)
  const reasoningCost = dollars(reasoning, pricing.reasoningPerMTokens ?? pricing.outputPerMTokens)
  const inputCost =
    dollars(input - cached - written, pricing.inputPerMTokens) + cachedInputCost + cacheWriteCost
  const outputCost = dollars(usage.outputTokens - reasoning, pricing.outputPerMTokens) + reasoningCost

  const cost: Cost = { inputCost, outputCost, totalCost: inputCost + outputCost, currency: 'USD' }
  if (usage.cachedInputTokens !== undefined) cost.cachedInputCost = cachedInputCost
  if (usage.cacheCreationInputTokens !== undefined) cost.cacheWriteCost = cacheWriteCost
  if (usage.reasoningTokens !== undefined) cost.reasoningCost = reasoningCost
  return cost
}

function dollars(tokens: number, perMTokens: number): number {
  return (tokens * perMTokens) / 1_000_000
}

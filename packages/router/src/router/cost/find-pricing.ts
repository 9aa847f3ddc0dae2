import { defaultPricing } from './default-pricing'
import { modelFamily } from './model-family'
import type { ModelPricing } from './model-pricing'

/**
 * The price of a model: from `overrides` first, then from the built-in {@link defaultPricing}.
 * In each table the exact `${provider}:${modelId}` wins over the model's family
 * (`anthropic:claude-sonnet-4-5-20250929` → `anthropic:claude-sonnet-4-5`; see
 * {@link modelFamily}), so a snapshot priced apart from its family keeps its own price.
 *
 * Returns `undefined` for a model it does not know (a self-hosted model, a provider name of
 * your own, a fine-tuned `ft:` model): a missing price leaves `cost` off a response rather than
 * guessing one. Never throws.
 *
 * @param provider - As the model reports it: `openai`, `anthropic`, `bedrock`, or your own name.
 * @param modelId - The configured or reported model id.
 * @param overrides - Your prices, keyed `${provider}:${modelId}` or `${provider}:${family}`.
 */
export function findPricing(
  provider: string,
  modelId: string,
  overrides?: Readonly<Record<string, ModelPricing>>,
): ModelPricing | undefined {
  const exact = `${provider}:${modelId}`
  const family = `${provider}:${modelFamily(provider, modelId)}`
  if (overrides !== undefined) {
    const own = lookup(overrides, exact) ?? lookup(overrides, family)
    if (own !== undefined) return own
  }
  if (modelId.startsWith('ft:')) return undefined
  return lookup(defaultPricing, exact) ?? lookup(defaultPricing, family)
}

function lookup(table: Readonly<Record<string, ModelPricing>>, key: string): ModelPricing | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

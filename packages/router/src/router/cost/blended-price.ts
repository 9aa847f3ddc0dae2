import type { ModelPricing } from './model-pricing'

/**
 * One number per model for the `lowest-cost` strategy: the price of a million tokens at a typical
 * mix of input and output. The default mix is 3 input tokens to 1 output token (the blend most
 * public price comparisons use); cached and reasoning rates are left out because they depend on
 * the call.
 *
 * @param pricing - The model's prices.
 * @param inputShare - The share of input tokens in the mix, 0 to 1 (default 0.75).
 */
export function blendedPricePerMTokens(pricing: ModelPricing, inputShare = 0.75): number {
  if (!(inputShare >= 0 && inputShare <= 1)) {
    throw new RangeError(`inputShare must be between 0 and 1, not ${inputShare}`)
  }
  return pricing.inputPerMTokens * inputShare + pricing.outputPerMTokens * (1 - inputShare)
}

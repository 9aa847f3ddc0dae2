// The cost module's public names in one place (the file the router imports them from).
export { blendedPricePerMTokens } from './blended-price'
export { computeCost } from './compute-cost'
export { defaultPricing } from './default-pricing'
export { findPricing } from './find-pricing'
export { modelFamily } from './model-family'
export type { ModelPricing } from './model-pricing'
export { modelPricingSchema } from './model-pricing'

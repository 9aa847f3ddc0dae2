export type { AnthropicProvider, AnthropicProviderSettings } from './anthropic-provider'
export { anthropic, createAnthropic } from './anthropic-provider'
export type { AnthropicCacheOptions, AnthropicProviderOptions } from './anthropic-provider-options'
export { anthropicCacheOptionsSchema, anthropicProviderOptionsSchema } from './anthropic-provider-options'

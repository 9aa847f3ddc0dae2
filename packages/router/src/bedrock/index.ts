export type { BedrockCredentials, BedrockProvider, BedrockProviderSettings } from './bedrock-provider'
export { bedrock, createBedrock } from './bedrock-provider'
export type { BedrockCacheOptions, BedrockProviderOptions } from './bedrock-provider-options'
export { bedrockCacheOptionsSchema, bedrockProviderOptionsSchema } from './bedrock-provider-options'

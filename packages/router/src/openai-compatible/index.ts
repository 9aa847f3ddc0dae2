export type { ApiKeySource } from '../shared/resolve-api-key'
export type { OpenAICompatibleProvider, OpenAICompatibleProviderSettings } from './openai-compatible-provider'
export { createOpenAICompatible } from './openai-compatible-provider'

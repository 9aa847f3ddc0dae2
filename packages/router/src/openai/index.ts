export type { ApiKeySource } from '../shared/resolve-api-key'
export type { OpenAIProvider, OpenAIProviderSettings } from './openai-provider'
export { createOpenAI, openai } from './openai-provider'

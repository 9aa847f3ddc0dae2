export type { ApiKeySource } from '../shared/resolve-api-key'
export type { OpenAIProvider, OpenAIProviderSettings } from './openai-provider'
export { createOpenAI, openai } from './openai-provider'
export type {
  OpenAIImageOptions,
  OpenAIProviderOptions,
  OpenAIToolOptions,
} from './openai-provider-options'
export {
  openaiImageOptionsSchema,
  openaiProviderOptionsSchema,
  openaiToolOptionsSchema,
} from './openai-provider-options'

export type { AnthropicChatModel } from './anthropic-chat-model'
export type { AnthropicProvider, AnthropicProviderSettings } from './anthropic-provider'
export { anthropic, createAnthropic } from './anthropic-provider'

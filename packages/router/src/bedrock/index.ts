export type { BedrockChatModel } from './bedrock-chat-model'
export type { BedrockCredentials, BedrockProvider, BedrockProviderSettings } from './bedrock-provider'
export { bedrock, createBedrock } from './bedrock-provider'

export type {
  MockAnswer,
  MockCall,
  MockChatModel,
  MockChatModelOptions,
  MockStep,
} from './create-mock-chat-model'
export { createMockChatModel } from './create-mock-chat-model'

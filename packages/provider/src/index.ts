// The model interface

// Helpers for agent loops
export type { UsageWithCost } from './add-usage'
export { addUsage } from './add-usage'
export type { CallOptions, ChatModel, ChatStream } from './chat-model'
export { isChatModel } from './chat-model'
export { checkJsonSchema } from './check-json-schema'
// Helpers for model implementations
export type { CallSignal } from './create-call-signal'
export { createCallSignal } from './create-call-signal'
export type { ChatResponseInput } from './create-chat-response'
export { createChatResponse } from './create-chat-response'
export type { CreateChatStreamOptions } from './create-chat-stream'
export { createChatStream } from './create-chat-stream'
export type { ChatModelDefinition, ProviderCall, ProviderStream } from './define-chat-model'
export { defineChatModel } from './define-chat-model'
// Errors
export { AbortedError } from './errors/aborted-error'
export type { AllTargetsFailedErrorOptions, FailedAttempt } from './errors/all-targets-failed-error'
export { AllTargetsFailedError } from './errors/all-targets-failed-error'
export { AuthenticationError } from './errors/authentication-error'
export { CircuitOpenError } from './errors/circuit-open-error'
export { ContentFilteredError } from './errors/content-filtered-error'
export { ContextLengthExceededError } from './errors/context-length-exceeded-error'
export type { ApiCallErrorInput } from './errors/create-api-call-error'
export { createApiCallError } from './errors/create-api-call-error'
export type { KnownQlErrorCode, QlErrorCode } from './errors/error-code'
export { errorType, safeErrorMessage } from './errors/error-telemetry'
export type { FailureAction } from './errors/failure-action'
export { failureAction } from './errors/failure-action'
export type { ValidationIssue } from './errors/invalid-request-error'
export { InvalidRequestError } from './errors/invalid-request-error'
export { InvalidResponseError } from './errors/invalid-response-error'
export type { InvalidToolInputReason } from './errors/invalid-tool-input-error'
export { InvalidToolInputError } from './errors/invalid-tool-input-error'
export { OverloadedError } from './errors/overloaded-error'
export type { HeaderSource } from './errors/parse-retry-after'
export { parseRetryAfterMs } from './errors/parse-retry-after'
export type { QlErrorJSON, QlErrorOptions } from './errors/ql-error'
export { isQlError, QlError } from './errors/ql-error'
export type { QlErrorDecoder, QlErrorDecoders } from './errors/ql-error-from-json'
export { qlErrorFromJSON } from './errors/ql-error-from-json'
export { RateLimitedError } from './errors/rate-limited-error'
export { REDACTED, redactHeaders, redactSecrets } from './errors/redact-secrets'
export { TimeoutError } from './errors/timeout-error'
export type { ToQlErrorContext } from './errors/to-ql-error'
export { toQlError } from './errors/to-ql-error'
export { UnavailableError } from './errors/unavailable-error'
export { UnknownError } from './errors/unknown-error'
export { UnsupportedFeatureError } from './errors/unsupported-feature-error'
export { parseToolInput } from './parse-tool-input'
export type { RelayChatStreamOptions, RelayedEvents } from './relay-chat-stream'
export { relayChatStream } from './relay-chat-stream'
export type { RunCallOptions } from './run-call'
export { runCall } from './run-call'
// Schemas and the types inferred from them
export type { ChatRequest } from './schemas/chat-request'
export { chatRequestSchema, metadataSchema } from './schemas/chat-request'
export type { ChatResponse } from './schemas/chat-response'
export { chatResponseSchema } from './schemas/chat-response'
export type { ChatStreamEvent } from './schemas/chat-stream-event'
export { chatStreamEventSchema } from './schemas/chat-stream-event'
export type { ChatStreamPart } from './schemas/chat-stream-part'
export type {
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
} from './schemas/content-parts'
export {
  imagePartSchema,
  reasoningPartSchema,
  textPartSchema,
  toolCallPartSchema,
  toolResultPartSchema,
} from './schemas/content-parts'
export type { FinishReason } from './schemas/finish-reason'
export { finishReasonSchema } from './schemas/finish-reason'
export { imageDataSchema } from './schemas/image-data'
export type { JSONSchema } from './schemas/json-schema'
export { isZodSchema } from './schemas/json-schema'
export type { JSONValue, NonJsonValue } from './schemas/json-value'
export { findNonJsonValue, jsonValueSchema } from './schemas/json-value'
export type { AssistantMessage, Message, SystemMessage, ToolMessage, UserMessage } from './schemas/message'
export {
  assistantMessageSchema,
  messageSchema,
  systemMessageSchema,
  toolMessageSchema,
  userMessageSchema,
} from './schemas/message'
export type { ProviderOptions } from './schemas/provider-options'
export { providerOptionsSchema } from './schemas/provider-options'
export type { ResponseFormat } from './schemas/response-format'
export { responseFormatSchema } from './schemas/response-format'
export type { ToolCall } from './schemas/tool-call'
export { toolCallSchema } from './schemas/tool-call'
export type { ToolChoice, ToolDefinition } from './schemas/tool-definition'
export { TOOL_NAME_PATTERN, toolChoiceSchema, toolDefinitionSchema } from './schemas/tool-definition'
export type { Cost, Usage } from './schemas/usage'
export { costSchema, usageSchema } from './schemas/usage'
export type { Warning } from './schemas/warning'
export { warningSchema } from './schemas/warning'
export { toJsonSchema } from './to-json-schema'
export { formatIssuePath, validateChatRequest } from './validate-chat-request'
export type { ToolInput, ValidatedToolCall } from './validate-tool-calls'
export { validateToolCalls } from './validate-tool-calls'
export type { ChatModelMiddleware, ChatModelMiddlewareCall } from './wrap-chat-model'
export { wrapChatModel } from './wrap-chat-model'

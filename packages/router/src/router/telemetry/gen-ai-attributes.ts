// Names from the OpenTelemetry GenAI semantic conventions (semantic-conventions 1.45, the
// `@opentelemetry/semantic-conventions/incubating` constants; a test checks they still match),
// kept here as strings: the incubating entry point is not meant to be imported at run time.

export const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name'
export const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name'
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model'
export const GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream'
export const GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens'
export const GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature'
export const GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p'
export const GEN_AI_REQUEST_SEED = 'gen_ai.request.seed'
export const GEN_AI_REQUEST_STOP_SEQUENCES = 'gen_ai.request.stop_sequences'
export const GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type'
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model'
export const GEN_AI_RESPONSE_ID = 'gen_ai.response.id'
export const GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons'
export const GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk'
export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens'
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens'
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens'
export const GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens'
export const GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens'
export const GEN_AI_TOKEN_TYPE = 'gen_ai.token.type'
export const GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages'
export const GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages'
export const GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions'
export const GEN_AI_TOOL_DEFINITIONS = 'gen_ai.tool.definitions'
export const ERROR_TYPE = 'error.type'

export const METRIC_OPERATION_DURATION = 'gen_ai.client.operation.duration'
export const METRIC_TOKEN_USAGE = 'gen_ai.client.token.usage'
export const METRIC_TIME_TO_FIRST_CHUNK = 'gen_ai.client.operation.time_to_first_chunk'

/** The bucket boundaries the conventions advise for durations (seconds). */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]
/** The bucket boundaries the conventions advise for token counts. */
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]

// Router facts: our own namespace, as the conventions ask of attributes they do not define.
export const QL_ROUTER_ID = 'ql.router.id'
export const QL_ROUTER_TARGET_ID = 'ql.router.target.id'
export const QL_ROUTER_ATTEMPT = 'ql.router.attempt'
export const QL_ROUTER_ATTEMPTS = 'ql.router.attempts'
export const QL_ROUTER_FALLBACKS = 'ql.router.fallbacks'
export const QL_ROUTER_COST_USD = 'ql.router.cost.usd'

/**
 * `gen_ai.provider.name` for a provider as `@ql` adapters name it: the conventions' well-known
 * value where there is one (`bedrock` → `aws.bedrock`), the name itself otherwise.
 */
export function genAiProviderName(provider: string): string {
  return provider === 'bedrock' ? 'aws.bedrock' : provider
}

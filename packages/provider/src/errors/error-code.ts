/**
 * The stable codes of every `QlError`. Decide on these (or on `retryable`), never on message text.
 *
 * | code | meaning | retryable |
 * |---|---|---|
 * | `rate_limited` | 429, or the provider's throttling | yes |
 * | `overloaded` | the provider is over capacity (Anthropic 529) | yes |
 * | `timeout` | the call took longer than `timeoutMs` | yes |
 * | `unavailable` | 5xx, connection refused or reset | yes |
 * | `invalid_response` | the provider's answer was malformed or cut short | yes |
 * | `invalid_tool_input` | the model produced tool arguments that are not JSON | yes |
 * | `circuit_open` | a circuit breaker rejected the call without trying | yes |
 * | `authentication` | 401/403: the key is missing, wrong or lacks permission | no |
 * | `invalid_request` | the request is malformed (400/404/413/422, or our validation) | no |
 * | `context_length_exceeded` | the input does not fit the model's context window | no |
 * | `content_filtered` | the provider's safety system refused the input or output | no |
 * | `unsupported_feature` | the provider cannot do what the request asks | no |
 * | `aborted` | the caller's `AbortSignal` fired | no |
 * | `all_targets_failed` | a router tried every target; `attempts` holds each error | no |
 * | `unknown` | a failure no adapter recognised (a bug, an unmapped SDK error); `cause` holds it | no |
 */
export type QlErrorCode =
  | 'rate_limited'
  | 'overloaded'
  | 'timeout'
  | 'unavailable'
  | 'invalid_response'
  | 'invalid_tool_input'
  | 'circuit_open'
  | 'authentication'
  | 'invalid_request'
  | 'context_length_exceeded'
  | 'content_filtered'
  | 'unsupported_feature'
  | 'aborted'
  | 'all_targets_failed'
  | 'unknown'

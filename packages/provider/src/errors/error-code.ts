/**
 * The codes `@ql/provider` defines. Decide on these (or on `retryable`), never on message text.
 * `failureAction(error)` turns a code into what a router does next.
 *
 * | code | meaning | retryable | a router |
 * |---|---|---|---|
 * | `rate_limited` | 429, or the provider's throttling | yes | retries the same target, then fails over |
 * | `overloaded` | the provider is over capacity (Anthropic 529) | yes | retries, then fails over |
 * | `timeout` | the call took longer than `timeoutMs` | yes | retries, then fails over |
 * | `unavailable` | 5xx, connection refused or reset | yes | retries, then fails over |
 * | `invalid_response` | the provider's answer was malformed or cut short | yes | retries, then fails over |
 * | `invalid_tool_input` | the model produced tool arguments that are not JSON | yes | retries, then fails over |
 * | `circuit_open` | a circuit breaker rejected the call without trying | yes | fails over |
 * | `authentication` | 401/403: the key is missing, wrong or lacks permission | no | fails over |
 * | `unsupported_feature` | the provider cannot do what the request asks | no | fails over |
 * | `unknown` | a failure no adapter recognised (a bug, an unmapped SDK error); `cause` holds it | no | fails over |
 * | `all_targets_failed` | a router tried every target; `attempts` holds each error | no | fails over (a router of routers) |
 * | `context_length_exceeded` | the input does not fit the model's context window | no | its context-window fallback |
 * | `content_filtered` | the provider's safety system refused the input or output | no | its content-filter fallback |
 * | `invalid_request` | the request is malformed (400/404/413/422, or our validation) | no | stops |
 * | `aborted` | the caller's `AbortSignal` fired | no | stops |
 *
 * A `retryable: false` override on a code that is normally retried makes the router fail over
 * instead of retrying.
 */
export type KnownQlErrorCode =
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

/**
 * The code of a `QlError`: one of the {@link KnownQlErrorCode}s, or a code another package
 * defines for its own subclass (`@ql/agents`, `@ql/k8s-runner`: `node_failed`, say). Other
 * packages use lower-case snake_case codes of their own and never reuse a known one. A code
 * this copy does not know still round-trips through JSON (see `qlErrorFromJSON`), and a router
 * decides on it by its `retryable` flag.
 */
export type QlErrorCode = KnownQlErrorCode | (string & {})

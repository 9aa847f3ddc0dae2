import type { KnownQlErrorCode } from './error-code'
import { toQlError } from './to-ql-error'

/**
 * What a router does after an attempt failed:
 *
 * - `retry`: try the same target again (after `retryAfterMs`, with backoff) while the retry
 *   budget lasts, then fail over to the next target;
 * - `failover`: do not retry this target; try the next one;
 * - `fallback:context-window`: try the fallback configured for inputs too long for this model
 *   (a model with a larger window); stop when there is none;
 * - `fallback:content-filter`: try the fallback configured for refused content; stop when there
 *   is none;
 * - `stop`: fail the call with this error; no other target would do better.
 */
export type FailureAction =
  | 'retry'
  | 'failover'
  | 'fallback:context-window'
  | 'fallback:content-filter'
  | 'stop'

/** The action for each code `@ql/provider` defines; the table in {@link KnownQlErrorCode}'s docs. */
const ACTIONS: Readonly<Record<KnownQlErrorCode, FailureAction>> = {
  rate_limited: 'retry',
  overloaded: 'retry',
  timeout: 'retry',
  unavailable: 'retry',
  invalid_response: 'retry',
  invalid_tool_input: 'retry',
  circuit_open: 'failover',
  authentication: 'failover',
  unsupported_feature: 'failover',
  unknown: 'failover',
  all_targets_failed: 'failover',
  context_length_exceeded: 'fallback:context-window',
  content_filtered: 'fallback:content-filter',
  invalid_request: 'stop',
  aborted: 'stop',
}

/**
 * What a router should do after an attempt failed with `error`, by its code (see the table on
 * {@link KnownQlErrorCode}). A code that is normally retried but whose error says
 * `retryable: false` fails over instead. A code `@ql/provider` does not know (another package's)
 * is decided by its `retryable` flag: `retry` when true, `failover` when false. Anything that is
 * not a `QlError` is treated as `toQlError` would make it (an `UnknownError`: `failover`).
 *
 * @example
 * ```ts
 * failureAction(new RateLimitedError({ message: '429' })) // 'retry'
 * failureAction(new InvalidRequestError({ message: 'bad' })) // 'stop'
 * ```
 */
export function failureAction(error: unknown): FailureAction {
  const typed = toQlError(error)
  const action = Object.hasOwn(ACTIONS, typed.code) ? ACTIONS[typed.code as KnownQlErrorCode] : undefined
  if (action === undefined) return typed.retryable ? 'retry' : 'failover'
  if (action === 'retry' && !typed.retryable) return 'failover'
  return action
}

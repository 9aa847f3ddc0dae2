import { describe, expect, it } from 'vitest'
import {
  AbortedError,
  AllTargetsFailedError,
  AuthenticationError,
  CircuitOpenError,
  ContentFilteredError,
  ContextLengthExceededError,
  type FailureAction,
  failureAction,
  InvalidRequestError,
  InvalidResponseError,
  InvalidToolInputError,
  type KnownQlErrorCode,
  OverloadedError,
  QlError,
  qlErrorFromJSON,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  UnsupportedFeatureError,
} from '../src/index'

const m = { message: 'm' }

/** One case per code @ql/provider defines; the Record makes a new code fail to compile here. */
const cases: Record<KnownQlErrorCode, [QlError, FailureAction]> = {
  rate_limited: [new RateLimitedError(m), 'retry'],
  overloaded: [new OverloadedError(m), 'retry'],
  unavailable: [new UnavailableError(m), 'retry'],
  timeout: [new TimeoutError(m), 'retry'],
  invalid_response: [new InvalidResponseError(m), 'retry'],
  invalid_tool_input: [new InvalidToolInputError({ ...m, toolName: 't', rawInput: '{' }), 'retry'],
  circuit_open: [new CircuitOpenError(m), 'failover'],
  authentication: [new AuthenticationError(m), 'failover'],
  unsupported_feature: [new UnsupportedFeatureError(m), 'failover'],
  unknown: [new UnknownError(m), 'failover'],
  all_targets_failed: [new AllTargetsFailedError({ attempts: [] }), 'failover'],
  context_length_exceeded: [new ContextLengthExceededError(m), 'fallback:context-window'],
  content_filtered: [new ContentFilteredError(m), 'fallback:content-filter'],
  invalid_request: [new InvalidRequestError(m), 'stop'],
  aborted: [new AbortedError(), 'stop'],
}

describe('failureAction', () => {
  it.each(Object.entries(cases).map(([code, [error, action]]) => [code, action, error] as const))(
    '%s → %s',
    (code, action, error) => {
      expect(error.code).toBe(code)
      expect(failureAction(error)).toBe(action)
      expect(failureAction(qlErrorFromJSON(JSON.parse(JSON.stringify(error))))).toBe(action)
    },
  )

  it('fails over instead of retrying when a retryable code was marked not retryable', () => {
    expect(failureAction(new UnavailableError({ ...m, retryable: false }))).toBe('failover')
    expect(failureAction(new ContextLengthExceededError({ ...m, retryable: true }))).toBe(
      'fallback:context-window',
    )
  })

  it('decides a code it does not know by its retryable flag', () => {
    const other = (retryable: boolean) => new QlError({ ...m, code: 'node_failed', retryable })
    expect(failureAction(other(true))).toBe('retry')
    expect(failureAction(other(false))).toBe('failover')
    const fromJSON = qlErrorFromJSON({ code: 'from_the_future', message: 'x', retryable: true })
    expect(failureAction(fromJSON)).toBe('retry')
  })

  it('treats anything that is not a QlError as an unknown failure: fail over, never retry a bug', () => {
    expect(failureAction(new Error('script ran out of steps'))).toBe('failover')
    expect(failureAction('boom')).toBe('failover')
    expect(failureAction({ code: 'rate_limited', retryable: true })).toBe('failover')
  })
})

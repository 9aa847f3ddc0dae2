import { failureAction, type QlError } from '@ql/provider'

/** Codes a router fails over on that still say nothing about the target's health. */
const NOT_HEALTH = new Set(['unsupported_feature', 'invalid_tool_input'])

/**
 * Whether a failed attempt says the target is unhealthy, so its circuit breaker counts it: rate
 * limits (429), overload (529), 5xx, timeouts, cut or malformed streams, a rejected key, a failure
 * nobody recognised. Never the caller's doing: a malformed request (400, 413, 422), an input too
 * long or refused by a safety filter, or an abort.
 */
export function isTargetFailure(error: QlError): boolean {
  const action = failureAction(error)
  if (action !== 'retry' && action !== 'failover') return false
  return !NOT_HEALTH.has(error.code)
}

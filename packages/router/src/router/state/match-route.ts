import type { ChatRequest } from '@ql/provider'
import { InvalidRouterConfigError } from './invalid-router-config-error'
import { RoutingFunctionError } from './routing-function-error'

/** What a route condition function is given besides the request. */
export interface RouteConditionContext {
  /** The call options' metadata, when the caller passed any. */
  metadata: Record<string, unknown> | undefined
}

/**
 * When a target may serve a call (a target's `when`). Either an object, every part of which
 * must hold:
 *
 * - `tags`: every one of these tags is among the request's tags. Request tags come from the
 *   `tags` metadata key, as an array of strings or a comma-separated string (`"eu, batch"`),
 *   of the call options' metadata and of `request.metadata` together.
 * - `metadata`: each key has exactly this value (`===`, so `1` is not `"1"`), looked up in the
 *   call options' metadata first, then in `request.metadata`.
 *
 * An empty object matches every call. Or a function of the request that returns a boolean.
 */
export type RouteCondition =
  | {
      tags?: readonly string[] | undefined
      metadata?: Record<string, string | number | boolean> | undefined
    }
  | ((request: ChatRequest, context: RouteConditionContext) => boolean)

/**
 * True when a call may be routed to a target with this condition (`undefined`: always).
 *
 * @param condition - The target's condition.
 * @param request - The request being routed.
 * @param callMetadata - The call options' metadata, when any.
 * @throws {@link RoutingFunctionError} when a condition function throws or returns a non-boolean.
 * @throws {@link InvalidRouterConfigError} when the condition is neither an object nor a function,
 *   or its `tags` / `metadata` have the wrong shape.
 */
export function matchesRoute(
  condition: RouteCondition | undefined,
  request: ChatRequest,
  callMetadata?: Record<string, unknown>,
): boolean {
  if (condition === undefined) return true
  if (typeof condition === 'function') {
    let result: unknown
    try {
      result = condition(request, { metadata: callMetadata })
    } catch (error) {
      throw new RoutingFunctionError({
        kind: 'route-condition',
        message: `a route condition function threw: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      })
    }
    if (typeof result !== 'boolean') {
      throw new RoutingFunctionError({
        kind: 'route-condition',
        message: `a route condition function must return true or false; it returned ${result === null ? 'null' : typeof result}`,
      })
    }
    return result
  }
  if (condition === null || typeof condition !== 'object') {
    throw new InvalidRouterConfigError({
      path: 'when',
      message: `a route condition must be an object like { tags, metadata } or a function; got ${condition === null ? 'null' : typeof condition}`,
    })
  }
  const { tags, metadata } = condition
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object') {
      throw new InvalidRouterConfigError({
        path: 'when.metadata',
        message: 'when.metadata must be an object of expected values, like { tier: "batch" }',
      })
    }
    for (const key in metadata) {
      if (!Object.hasOwn(metadata, key)) continue
      const actual =
        callMetadata !== undefined && Object.hasOwn(callMetadata, key)
          ? callMetadata[key]
          : request.metadata?.[key]
      if (actual !== metadata[key]) return false
    }
  }
  if (tags !== undefined) {
    if (!Array.isArray(tags)) {
      throw new InvalidRouterConfigError({
        path: 'when.tags',
        message: 'when.tags must be an array of tag strings, like ["eu"]',
      })
    }
    if (tags.length === 0) return true
    const have = requestTags(request, callMetadata)
    for (const tag of tags) {
      if (!have.has(tag)) return false
    }
  }
  return true
}

/** The request's tags: `tags` of the call metadata and of `request.metadata`, together. */
function requestTags(request: ChatRequest, callMetadata: Record<string, unknown> | undefined): Set<string> {
  const tags = new Set<string>()
  addTags(tags, callMetadata?.tags)
  addTags(tags, request.metadata?.tags)
  return tags
}

function addTags(into: Set<string>, value: unknown): void {
  if (typeof value === 'string') {
    for (const part of value.split(',')) {
      const tag = part.trim()
      if (tag !== '') into.add(tag)
    }
  } else if (Array.isArray(value)) {
    for (const tag of value) if (typeof tag === 'string') into.add(tag)
  }
}

import type { Cost, Usage } from './schemas/usage'

/** Usage with the cost it came with: a `ChatResponse` fits, and so does a running total. */
export interface UsageWithCost {
  usage: Usage
  /** The cost in US dollars, when pricing is known (a `ChatResponse` fits, `cost` may be undefined). */
  cost?: Cost | undefined
}

const OPTIONAL_FIELDS = ['cachedInputTokens', 'cacheCreationInputTokens', 'reasoningTokens'] as const
const OPTIONAL_COST_FIELDS = ['cachedInputCost', 'cacheWriteCost', 'reasoningCost'] as const

/**
 * Sums token usage (and cost) across calls, for an agent loop or a router's totals.
 *
 * - `addUsage(a, b)` with two `Usage` values sums every field; an optional field
 *   (`cachedInputTokens`, `cacheCreationInputTokens`, `reasoningTokens`) is in the result when
 *   either side has it (the other counts as 0) and absent when both lack it.
 * - `addUsage(total, response)` with `{ usage, cost? }` values (a `ChatResponse` is one) sums
 *   the usage the same way and the cost field by field. A call without `cost` (its pricing is
 *   unknown) adds nothing to it, so `cost` is present when either side has one and absent when
 *   neither does. The optional breakdown fields of a cost (`cachedInputCost`, `cacheWriteCost`,
 *   `reasoningCost`) follow the rule of the optional usage fields.
 *
 * Neither argument is changed.
 *
 * @example
 * ```ts
 * let total: UsageWithCost = { usage: { inputTokens: 0, outputTokens: 0 } }
 * for (const request of requests) total = addUsage(total, await model.generate(request))
 * console.log(total.usage.inputTokens, total.cost?.totalCost)
 * ```
 */
export function addUsage(a: Usage, b: Usage): Usage
export function addUsage(a: UsageWithCost, b: UsageWithCost): UsageWithCost
export function addUsage(a: Usage | UsageWithCost, b: Usage | UsageWithCost): Usage | UsageWithCost {
  const aHasUsage = 'usage' in a
  if (aHasUsage !== 'usage' in b) {
    throw new TypeError('addUsage takes two Usage values or two { usage, cost? } values, not one of each')
  }
  if (!aHasUsage) return sumUsage(a as Usage, b as Usage)
  const x = a as UsageWithCost
  const y = b as UsageWithCost
  const cost = addCost(x.cost, y.cost)
  return cost === undefined
    ? { usage: sumUsage(x.usage, y.usage) }
    : { usage: sumUsage(x.usage, y.usage), cost }
}

function sumUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  }
  for (const field of OPTIONAL_FIELDS) {
    const x = a[field]
    const y = b[field]
    if (x !== undefined || y !== undefined) sum[field] = (x ?? 0) + (y ?? 0)
  }
  return sum
}

function addCost(a: Cost | undefined, b: Cost | undefined): Cost | undefined {
  if (a === undefined) return b === undefined ? undefined : { ...b }
  if (b === undefined) return { ...a }
  const sum: Cost = {
    inputCost: a.inputCost + b.inputCost,
    outputCost: a.outputCost + b.outputCost,
    totalCost: a.totalCost + b.totalCost,
    currency: 'USD',
  }
  for (const field of OPTIONAL_COST_FIELDS) {
    const x = a[field]
    const y = b[field]
    if (x !== undefined || y !== undefined) sum[field] = (x ?? 0) + (y ?? 0)
  }
  return sum
}

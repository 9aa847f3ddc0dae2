import { InvalidRequestError, type ProviderOptions, type ValidationIssue, type Warning } from '@ql/provider'
import type { z } from 'zod/v4'

/** Where a set of provider options sits in the request, and where to report what was wrong with it. */
export interface ProviderOptionsContext {
  /**
   * The path of the `providerOptions` object being read, as written in code: `providerOptions`,
   * `messages[2].providerOptions`, `messages[2].content[0].providerOptions`, `tools[1].providerOptions`.
   */
  path: string
  /** The key read from it: `openai`, `anthropic`, `bedrock`, or an OpenAI-compatible provider's name. */
  providerKey: string
  /** The provider named by a thrown error. */
  provider: string
  /** The provider's name in warnings ("not a known OpenAI option"). */
  label: string
  /** Where unknown keys are reported. */
  warnings: Warning[]
  /**
   * What to say about a top-level key this schema does not take, when it has a home elsewhere
   * (for example a cache point set on the request instead of on a message).
   */
  hints?: Readonly<Record<string, string>>
}

const MAX_ROUNDS = 8

/**
 * Reads `providerOptions[providerKey]` with the provider's options schema: the one way every
 * adapter reads vendor settings, on a request, a message, a content part or a tool.
 *
 * - Options are named in camelCase. The provider's own snake_case spelling of a known name
 *   (`budget_tokens` for `budgetTokens`, `parallel_tool_calls` for `parallelToolCalls`) is read as
 *   that name, at any depth.
 * - A key the schema does not know, at any depth, is left out and reported as an
 *   `unsupported-setting` warning naming its path (`providerOptions.openai.webSearchOptions.foo`):
 *   never sent, never dropped silently. The caller's objects are not changed.
 * - A known key with a wrong value fails the call before anything is sent.
 *
 * The schema must be built from `z.strictObject` at every level where unknown keys are to be
 * reported (a `z.record` takes any key, for pass-through fields such as Bedrock's
 * `additionalModelRequestFields`).
 *
 * @returns the parsed options, or `undefined` when there are none for this provider.
 * @throws InvalidRequestError naming each wrong field (`providerOptions.openai.reasoningEffort`).
 */
export function readProviderOptions<T>(
  providerOptions: ProviderOptions | undefined,
  schema: z.ZodType<T>,
  context: ProviderOptionsContext,
): T | undefined {
  const value = providerOptions?.[context.providerKey]
  if (value === undefined) return undefined
  const prefix = `${context.path}.${context.providerKey}`
  let input: unknown = value
  /** Keys renamed from snake_case in this read: `${path}\0${camelKey}` → the key as the caller wrote it. */
  const renamed = new Map<string, string>()
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = schema.safeParse(input, { reportInput: true })
    if (result.success) return result.data
    const unknown = result.error.issues.filter((issue) => issue.code === 'unrecognized_keys')
    if (unknown.length === 0) throw invalidOptions(result.error.issues, prefix, context.provider)
    let retry = false
    for (const issue of unknown) {
      const container = valueAt(input, issue.path)
      if (!isRecord(container)) continue
      const at = formatPath(issue.path)
      for (const key of issue.keys) {
        const camel = toCamelCase(key)
        /** Set when `key` is the camelCase name this read gave a snake_case key. */
        const renamedFrom = renamed.get(`${at}\0${key}`)
        if (renamedFrom === undefined && camel !== key && !(camel in container)) {
          input = edit(input, issue.path, (object) => {
            object[camel] = object[key]
            delete object[key]
          })
          renamed.set(`${at}\0${camel}`, key)
          retry = true
          continue
        }
        const original = renamedFrom ?? key
        input = edit(input, issue.path, (object) => {
          delete object[key]
        })
        const twice = renamedFrom === undefined && camel !== key
        context.warnings.push({
          type: 'unsupported-setting',
          setting: joinPath(joinPath(prefix, at), original),
          details:
            (issue.path.length === 0 ? context.hints?.[original] : undefined) ??
            (twice
              ? `given twice (as ${camel} and ${original}); ${original} was not sent`
              : `not a known ${context.label} option; it was not sent`),
        })
        retry = true
      }
    }
    if (!retry) throw invalidOptions(result.error.issues, prefix, context.provider)
  }
  throw invalidOptions([], prefix, context.provider)
}

function invalidOptions(
  issues: readonly z.core.$ZodIssue[],
  prefix: string,
  provider: string,
): InvalidRequestError {
  const found: ValidationIssue[] = issues
    .filter((issue) => issue.code !== 'unrecognized_keys')
    .map((issue) => toIssue(issue, prefix))
  if (found.length === 0) found.push({ path: prefix, message: 'could not be read' })
  const lines = found.map((issue) => `  - ${issue.path}: ${issue.message}`)
  const noun = found.length === 1 ? 'problem' : 'problems'
  return new InvalidRequestError({
    message: `invalid provider options, ${found.length} ${noun}:\n${lines.join('\n')}`,
    issues: found,
    provider,
  })
}

function toIssue(issue: z.core.$ZodIssue, prefix: string): ValidationIssue {
  const path = joinPath(prefix, formatPath(issue.path))
  if (issue.code === 'invalid_union' && 'note' in issue && 'options' in issue) {
    // a discriminated union: name the values it takes
    const options = (issue.options as unknown[]).map((option) => JSON.stringify(option)).join(', ')
    return { path, message: `expected one of ${options}${received(issue.input)}` }
  }
  const message = issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '')
  return { path, message: `${message}${issue.code === 'invalid_type' ? '' : received(issue.input)}` }
}

function received(input: unknown): string {
  if (input === undefined) return ''
  const text = JSON.stringify(input)
  if (text === undefined) return ''
  return `, got ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`
}

/** `webSearchOptions.userLocation`, `logitBias["50256"]`, `content[0]` */
function formatPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += text === '' ? key : `.${key}`
    else text += `[${JSON.stringify(String(key))}]`
  }
  return text
}

function joinPath(left: string, right: string): string {
  if (right === '') return left
  if (left === '' || right.startsWith('[')) return left + right
  return `${left}.${right}`
}

function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

/** A copy of `root` with the object at `path` (and every container above it) copied, then changed. */
function edit(
  root: unknown,
  path: readonly PropertyKey[],
  change: (object: Record<PropertyKey, unknown>) => void,
): unknown {
  const copy = (value: unknown) => (Array.isArray(value) ? [...value] : { ...(value as object) })
  const top = copy(root) as Record<PropertyKey, unknown>
  let current = top
  for (const key of path) {
    const next = copy(current[key]) as Record<PropertyKey, unknown>
    current[key] = next
    current = next
  }
  change(current)
  return top
}

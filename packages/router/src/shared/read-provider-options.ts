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

/**
 * Reads `providerOptions[providerKey]` with the provider's options schema: the one way every
 * adapter reads vendor settings, on a request, a message, a content part or a tool.
 *
 * - Options are named in camelCase. The provider's own snake_case spelling of a known name
 *   (`budget_tokens` for `budgetTokens`, `parallel_tool_calls` for `parallelToolCalls`) is read as
 *   that name, at any depth; the keys of a record (`logitBias`, `extraBody`) are kept as written.
 * - A key the schema does not know, at any depth, is left out and reported as an
 *   `unsupported-setting` warning naming its path (`providerOptions.openai.webSearchOptions.foo`):
 *   never sent, never dropped silently. The caller's objects are not changed.
 * - A known key with a wrong value fails the call before anything is sent.
 *
 * The schema is built from `z.strictObject` wherever unknown keys are to be reported (a `z.record`
 * takes any key, for pass-through fields such as Bedrock's `additionalModelRequestFields`), with
 * `optional`, `array` and discriminated unions between them. Known keys are sorted out by walking
 * the schema, so a request with valid options costs one plain `safeParse` (about a microsecond).
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
  const input = normalize(value, schema, { parent: undefined, segment: prefix, context })
  const result = schema.safeParse(input)
  if (result.success) return result.data
  // only now pay for the received values in the messages (reportInput leaves zod's fast path)
  const explained = schema.safeParse(input, { reportInput: true })
  const issues = explained.success ? result.error.issues : explained.error.issues
  throw invalidOptions(issues, prefix, context.provider)
}

/** The parts of a zod schema's definition the walk reads. */
interface SchemaDef {
  type: string
  innerType?: z.ZodType
  element?: z.ZodType
  shape?: Record<string, z.ZodType>
  catchall?: z.ZodType
  discriminator?: string
  options?: z.ZodType[]
  values?: unknown[]
}

function defOf(schema: z.ZodType | undefined): SchemaDef | undefined {
  return (schema as unknown as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def
}

/** Where the walk is; the path is only spelled out for a warning. */
interface Walk {
  parent: Walk | undefined
  /** The key or index under the parent, or the whole prefix at the top. */
  segment: string | number
  context: ProviderOptionsContext
}

function pathOf(walk: Walk): string {
  if (walk.parent === undefined) return String(walk.segment)
  return joinPath(pathOf(walk.parent), formatPath([walk.segment]))
}

/** A copy of `value` with snake_case spellings of known keys renamed and unknown keys left out (and reported). */
function normalize(value: unknown, schema: z.ZodType, walk: Walk): unknown {
  const def = defOf(schema)
  if (def === undefined) return value
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return def.innerType === undefined ? value : normalize(value, def.innerType, walk)
    case 'array': {
      const element = def.element
      if (!Array.isArray(value) || element === undefined) return value
      return value.map((item, index) =>
        normalize(item, element, { parent: walk, segment: index, context: walk.context }),
      )
    }
    case 'union': {
      const key = def.discriminator
      const options = def.options ?? []
      // a discriminated union: the option the discriminator picks (the parse reports a bad one);
      // another union: its only option of the value's kind (array or object), if there is one
      const matching =
        key !== undefined
          ? options.filter(
              (option) => isRecord(value) && defOf(defOf(option)?.shape?.[key])?.values?.includes(value[key]),
            )
          : options.filter(
              (option) =>
                kindOf(option) === (Array.isArray(value) ? 'array' : isRecord(value) ? 'object' : 'other'),
            )
      const [only] = matching
      return matching.length === 1 && only !== undefined ? normalize(value, only, walk) : value
    }
    case 'object':
      return isRecord(value) ? normalizeObject(value, def, walk) : value
    default:
      return value
  }
}

function normalizeObject(
  value: Record<string, unknown>,
  def: SchemaDef,
  walk: Walk,
): Record<string, unknown> {
  const shape = def.shape ?? {}
  const out: Record<string, unknown> = {}
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    const item = value[key]
    let known: string | undefined
    let twice = false
    if (Object.hasOwn(shape, key)) known = key
    else {
      const camel = toCamelCase(key)
      if (camel !== key && Object.hasOwn(shape, camel)) {
        if (Object.hasOwn(value, camel)) twice = true
        else known = camel
      }
    }
    if (known !== undefined) {
      const child = shape[known] as z.ZodType
      out[known] = needsWalk(child)
        ? normalize(item, child, { parent: walk, segment: known, context: walk.context })
        : item
      continue
    }
    if (defOf(def.catchall)?.type !== 'never') {
      out[key] = item
      continue
    }
    const { context } = walk
    context.warnings.push({
      type: 'unsupported-setting',
      setting: joinPath(pathOf(walk), formatPath([key])),
      details:
        (walk.parent === undefined ? context.hints?.[key] : undefined) ??
        (twice
          ? `given twice (as ${toCamelCase(key)} and ${key}); ${key} was not sent`
          : `not a known ${context.label} option; it was not sent`),
    })
  }
  return out
}

/** Whether a field's schema has objects inside whose keys need sorting out. */
function needsWalk(schema: z.ZodType): boolean {
  let def = defOf(schema)
  while (def !== undefined && def.innerType !== undefined) def = defOf(def.innerType)
  return def !== undefined && (def.type === 'object' || def.type === 'array' || def.type === 'union')
}

/** What kind of value a schema takes, for picking the option of a union to walk. */
function kindOf(schema: z.ZodType): 'array' | 'object' | 'other' {
  let def = defOf(schema)
  while (def !== undefined && def.innerType !== undefined) def = defOf(def.innerType)
  if (def?.type === 'array') return 'array'
  return def?.type === 'object' || def?.type === 'record' ? 'object' : 'other'
}

function invalidOptions(
  issues: readonly z.core.$ZodIssue[],
  prefix: string,
  provider: string,
): InvalidRequestError {
  const found: ValidationIssue[] = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? // only for schema shapes the walk does not know: still never sent
        issue.keys.map((key) => ({
          path: joinPath(joinPath(prefix, formatPath(issue.path)), formatPath([key])),
          message: 'not a known option',
        }))
      : [toIssue(issue, prefix)],
  )
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

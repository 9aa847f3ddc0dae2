import type { ValidationIssue } from './errors/invalid-request-error'
import type { JSONSchema } from './schemas/json-schema'
import { formatIssuePath } from './validate-chat-request'

/**
 * Checks a JSON value against a JSON Schema, for the keywords that shape tool inputs:
 * `type` (one or a list; `integer` included), `enum`, `const`, `properties`, `required`,
 * `additionalProperties` (`false` or a schema), `items` (a schema), `prefixItems`, `anyOf` and
 * `oneOf` (at least one branch matches), `allOf`, `minimum` / `maximum`, `minLength` /
 * `maxLength`, `minItems` / `maxItems`, and `nullable: true` (OpenAPI). Other keywords (`$ref`,
 * `pattern`, `format`, ...) are not checked: the part of the value they govern passes. This is
 * not a full validator; it exists so that `@ql/provider` needs nothing beyond zod.
 *
 * @returns one issue per failure, with its path inside `value` (`items[0].name`; '' for the root).
 */
export function checkJsonSchema(schema: JSONSchema, value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  check(schema, value, [], issues)
  return issues
}

type Issues = ValidationIssue[]

function check(schema: unknown, value: unknown, path: PropertyKey[], issues: Issues): void {
  if (schema === true || schema === undefined) return
  if (schema === false) {
    fail(issues, path, 'no value is allowed here')
    return
  }
  if (typeof schema !== 'object' || schema === null) return
  const s = schema as JSONSchema
  if (value === null && s.nullable === true) return
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]
    if (!types.some((type) => hasType(value, type))) {
      fail(issues, path, `expected ${types.join(' or ')}, got ${describe(value)}`)
      return
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((option) => jsonEqual(option, value)))
    fail(
      issues,
      path,
      `expected one of ${s.enum.map((o) => JSON.stringify(o)).join(', ')}, got ${describe(value)}`,
    )
  if ('const' in s && !jsonEqual(s.const, value))
    fail(issues, path, `expected ${JSON.stringify(s.const)}, got ${describe(value)}`)
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key]
    if (Array.isArray(branches) && !branches.some((branch) => checkJsonSchema(branch, value).length === 0))
      fail(issues, path, `matches none of the ${key} alternatives`)
  }
  if (Array.isArray(s.allOf)) for (const branch of s.allOf) check(branch, value, path, issues)

  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum)
      fail(issues, path, `expected >= ${s.minimum}, got ${value}`)
    if (typeof s.maximum === 'number' && value > s.maximum)
      fail(issues, path, `expected <= ${s.maximum}, got ${value}`)
  } else if (typeof value === 'string') {
    const length = [...value].length
    if (typeof s.minLength === 'number' && length < s.minLength)
      fail(issues, path, `expected at least ${s.minLength} characters, got ${length}`)
    if (typeof s.maxLength === 'number' && length > s.maxLength)
      fail(issues, path, `expected at most ${s.maxLength} characters, got ${length}`)
  } else if (Array.isArray(value)) {
    checkArray(s, value, path, issues)
  } else if (isObject(value)) {
    checkObject(s, value, path, issues)
  }
}

function checkArray(s: JSONSchema, value: unknown[], path: PropertyKey[], issues: Issues): void {
  if (typeof s.minItems === 'number' && value.length < s.minItems)
    fail(issues, path, `expected at least ${s.minItems} items, got ${value.length}`)
  if (typeof s.maxItems === 'number' && value.length > s.maxItems)
    fail(issues, path, `expected at most ${s.maxItems} items, got ${value.length}`)
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : []
  const rest = Array.isArray(s.items) ? s.additionalItems : s.items
  for (let i = 0; i < value.length; i++)
    check(i < prefix.length ? prefix[i] : rest, value[i], [...path, i], issues)
}

function checkObject(
  s: JSONSchema,
  value: Record<string, unknown>,
  path: PropertyKey[],
  issues: Issues,
): void {
  const properties = isObject(s.properties) ? s.properties : {}
  if (Array.isArray(s.required)) {
    for (const key of s.required as string[])
      if (value[key] === undefined) fail(issues, [...path, key], 'required, but missing')
  }
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) continue
    if (Object.hasOwn(properties, key)) check(properties[key], value[key], [...path, key], issues)
    else if (s.additionalProperties === false) fail(issues, [...path, key], 'is not an allowed property')
    else check(s.additionalProperties, value[key], [...path, key], issues)
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value)
    case 'array':
      return Array.isArray(value)
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return Number.isInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'null':
      return value === null
    default:
      return true
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  const text = JSON.stringify(value) ?? String(value)
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const aKeys = Object.keys(a)
  const bKeys = Object.keys(b)
  if (aKeys.length !== bKeys.length) return false
  return aKeys.every((key) =>
    jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  )
}

function fail(issues: Issues, path: PropertyKey[], message: string): void {
  issues.push({ path: formatIssuePath(path), message })
}

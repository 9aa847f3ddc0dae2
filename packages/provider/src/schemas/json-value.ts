import { z } from 'zod/v4'

/** A value that `JSON.stringify` → `JSON.parse` gives back unchanged. */
export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue }

/** Where a value stops being JSON, and what to do about it. */
export interface NonJsonValue {
  /** The keys from the checked value down to the offending one (empty: the value itself). */
  path: PropertyKey[]
  /** What the value is, what JSON would do to it, and what to pass instead. */
  message: string
}

/**
 * Finds the first part of `value` that would not survive `JSON.stringify` → `JSON.parse`
 * unchanged, in one walk and without copying: a `Map`, `Set`, `Date`, typed array, class
 * instance, function, symbol, bigint, `NaN` / `±Infinity`, `undefined` inside an array (or an
 * array hole), or a circular reference. `undefined` as the value itself or as an object property
 * is allowed: JSON leaves the key out, which reads back as the same `undefined`. `-0` reads back
 * as `0`.
 *
 * @returns `undefined` when `value` is JSON-safe.
 */
export function findNonJsonValue(value: unknown): NonJsonValue | undefined {
  if (value === undefined) return undefined
  return walk(value, [])
}

function walk(value: unknown, ancestors: object[]): NonJsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : problem(`${value} is not a JSON number (JSON turns it into null); use null or a string`)
    case 'bigint':
      return problem('a bigint is not a JSON value (JSON.stringify throws on it); pass a number or a string')
    case 'undefined':
      return problem('undefined in an array becomes null in JSON; remove it or use null')
    case 'function':
      return problem('a function is not a JSON value (JSON leaves it out); remove it')
    case 'symbol':
      return problem('a symbol is not a JSON value (JSON leaves it out); use a string')
  }
  if (value === null) return undefined
  const object = value as object
  if (ancestors.includes(object))
    return problem('a circular reference cannot be written as JSON; remove the cycle')
  if (Array.isArray(object)) {
    ancestors.push(object)
    for (let i = 0; i < object.length; i++) {
      const found = walk(object[i], ancestors)
      if (found !== undefined) {
        found.path.unshift(i)
        return found
      }
    }
    ancestors.pop()
    return undefined
  }
  const reason = notPlainObject(object)
  if (reason !== undefined) return problem(reason)
  ancestors.push(object)
  for (const key in object) {
    const item = (object as Record<string, unknown>)[key]
    if (item === undefined) continue
    const found = walk(item, ancestors)
    if (found !== undefined) {
      found.path.unshift(key)
      return found
    }
  }
  ancestors.pop()
  return undefined
}

function problem(message: string): NonJsonValue {
  return { path: [], message }
}

/** Why an object is not a plain JSON object, or `undefined` when it is one. */
function notPlainObject(object: object): string | undefined {
  const proto = Object.getPrototypeOf(object)
  if (proto === Object.prototype || proto === null) return undefined
  // a plain object from another realm (a vm context, a worker's structured clone is already local)
  if (Object.getPrototypeOf(proto) === null && proto.constructor?.name === 'Object') return undefined
  if (object instanceof Map)
    return 'a Map is not a JSON value (JSON turns it into {}); pass a plain object, for example Object.fromEntries(map)'
  if (object instanceof Set)
    return 'a Set is not a JSON value (JSON turns it into {}); pass an array, for example [...set]'
  if (object instanceof Date)
    return 'a Date is not a JSON value (JSON turns it into a string, which reads back as a string); pass date.toISOString()'
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer)
    return `a ${object.constructor.name} is not a JSON value (JSON turns it into {"0":…}); pass base64 text or an array of numbers`
  if (object instanceof Error)
    return 'an Error is not a JSON value (JSON turns it into {}); pass a plain object such as { message: error.message }'
  const name =
    typeof proto.constructor === 'function' && proto.constructor.name ? proto.constructor.name : 'a class'
  return `an instance of ${name} is not a plain JSON object (it reads back without its class); pass a plain object`
}

/**
 * Accepts any value that survives `JSON.stringify` → `JSON.parse` unchanged (see
 * {@link findNonJsonValue}) and rejects anything else with an issue at the offending key that says
 * what to pass instead. Typed `unknown`: the check runs at validation, not in the type system.
 */
export const jsonValueSchema = z.unknown().check((ctx) => {
  const found = findNonJsonValue(ctx.value)
  if (found !== undefined)
    ctx.issues.push({ code: 'custom', input: ctx.value, path: found.path, message: found.message })
})

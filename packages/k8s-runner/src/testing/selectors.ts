import type { FakeObject } from './fake-store'
import { StatusError } from './fake-store'

type Requirement =
  | { key: string; op: 'exists' | 'absent' }
  | { key: string; op: 'in' | 'notin'; values: string[] }

/**
 * Parses a label selector (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) into a predicate on labels.
 * @internal
 */
export function parseLabelSelector(
  selector: string | null,
): (labels: Record<string, string> | undefined) => boolean {
  if (selector === null || selector.trim() === '') return () => true
  const requirements: Requirement[] = []
  for (const part of splitTopLevel(selector)) {
    const text = part.trim()
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text)
    const equality = set === null ? /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(text) : null
    const absent = /^!([^\s!=]+)$/.exec(text)
    if (set !== null) {
      requirements.push({
        key: set[1] as string,
        op: set[2] as 'in' | 'notin',
        values: (set[3] as string).split(',').map((value) => value.trim()),
      })
    } else if (equality !== null) {
      requirements.push({
        key: equality[1] as string,
        op: equality[2] === '!=' ? 'notin' : 'in',
        values: [equality[3] as string],
      })
    } else if (absent !== null) {
      requirements.push({ key: absent[1] as string, op: 'absent' })
    } else if (/^[^\s!=(),]+$/.test(text)) {
      requirements.push({ key: text, op: 'exists' })
    } else {
      throw new StatusError(400, 'BadRequest', `unable to parse requirement: found '${text}'`)
    }
  }
  return (labels = {}) =>
    requirements.every((requirement): boolean => {
      const has = Object.hasOwn(labels, requirement.key)
      switch (requirement.op) {
        case 'exists':
          return has
        case 'absent':
          return !has
        case 'in':
          return has && requirement.values.includes(labels[requirement.key] as string)
        default:
          return !has || !requirement.values.includes(labels[requirement.key] as string)
      }
    })
}

/** Parses a field selector (`metadata.name=x,involvedObject.uid!=y`) into a predicate. @internal */
export function parseFieldSelector(selector: string | null): (object: FakeObject) => boolean {
  if (selector === null || selector.trim() === '') return () => true
  const terms = selector.split(',').map((term) => {
    const match = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term.trim())
    if (match === null) throw new StatusError(400, 'BadRequest', `invalid field selector: '${term}'`)
    return { path: (match[1] as string).split('.'), negate: match[2] === '!=', value: match[3] as string }
  })
  return (object) =>
    terms.every((term) => {
      let value: unknown = object
      for (const key of term.path) value = (value as Record<string, unknown> | undefined)?.[key]
      const equal = String(value ?? '') === term.value
      return term.negate ? !equal : equal
    })
}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let index = 0; index < selector.length; index++) {
    const char = selector[index]
    if (char === '(') depth++
    else if (char === ')') depth--
    else if (char === ',' && depth === 0) {
      parts.push(selector.slice(start, index))
      start = index + 1
    }
  }
  parts.push(selector.slice(start))
  return parts.filter((part) => part.trim() !== '')
}

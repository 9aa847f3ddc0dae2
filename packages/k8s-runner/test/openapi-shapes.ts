import * as k8s from '@kubernetes/client-node'

interface Attribute {
  name: string
  baseName: string
  type: string
}

/**
 * Checks a JSON object against the model classes `@kubernetes/client-node` generates from the
 * Kubernetes OpenAPI document: every field must exist in its type (a misspelt or misplaced field
 * is reported with its path) and hold the right kind of value. Returns the problems found.
 */
export function checkShape(value: unknown, type: string, path = ''): string[] {
  if (value === undefined || value === null) return []
  if (type.endsWith(' | null')) return checkShape(value, type.slice(0, -7), path)
  if (type.startsWith('Array<')) {
    if (!Array.isArray(value)) return [`${path}: expected an array, got ${typeof value}`]
    return value.flatMap((item, index) => checkShape(item, type.slice(6, -1), `${path}[${index}]`))
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type)
  if (map !== null) {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected a map`]
    return Object.entries(value).flatMap(([key, inner]) =>
      checkShape(inner, map[1] as string, `${path}.${key}`),
    )
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`]
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean, got ${JSON.stringify(value)}`]
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`]
    case 'IntOrString':
      return typeof value === 'number' || typeof value === 'string'
        ? []
        : [`${path}: expected an int or a string`]
    case 'any':
    case 'object':
      return []
  }
  const model = (k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] } | undefined>)[
    type
  ]
  const attributes = model?.getAttributeTypeMap?.()
  if (attributes === undefined) return [`${path}: unknown type ${type}`]
  if (typeof value !== 'object' || Array.isArray(value))
    return [`${path}: expected an object of type ${type}`]
  const problems: string[] = []
  for (const [key, inner] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === key)
    if (attribute === undefined) problems.push(`${path}.${key}: no such field in ${type}`)
    else problems.push(...checkShape(inner, attribute.type, `${path}.${key}`))
  }
  return problems
}

/** The model type of a manifest's kind. */
export const MODEL_OF: Record<string, string> = {
  Namespace: 'V1Namespace',
  ServiceAccount: 'V1ServiceAccount',
  Role: 'V1Role',
  RoleBinding: 'V1RoleBinding',
  Deployment: 'V1Deployment',
  HorizontalPodAutoscaler: 'V2HorizontalPodAutoscaler',
  PodDisruptionBudget: 'V1PodDisruptionBudget',
  Job: 'V1Job',
  ConfigMap: 'V1ConfigMap',
}

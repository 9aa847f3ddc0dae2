import type { Warning } from '@ql/provider'

const MAX_METADATA_KEYS = 16

/**
 * Sends `metadata.user` as `user`, and the rest as OpenAI `metadata` (values as strings, at most
 * 16 keys), unless `refusal` says why this call cannot carry metadata: then a warning names the
 * keys that were not sent.
 */
export function addMetadata(
  body: Record<string, unknown>,
  metadata: Record<string, string | number | boolean>,
  refusal: string | undefined,
  warnings: Warning[],
): void {
  if (typeof metadata.user === 'string') body.user = metadata.user
  if (refusal !== undefined) {
    const rest = Object.keys(metadata).filter((key) => key !== 'user')
    if (rest.length > 0) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'metadata',
        details: `${refusal}; ${rest.join(', ')} not sent`,
      })
    }
    return
  }
  const entries = Object.entries(metadata)
  if (entries.length > MAX_METADATA_KEYS) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'metadata',
      details: `OpenAI accepts at most ${MAX_METADATA_KEYS} metadata keys; the first ${MAX_METADATA_KEYS} were sent`,
    })
  }
  body.metadata = Object.fromEntries(
    entries.slice(0, MAX_METADATA_KEYS).map(([key, value]) => [key, String(value)]),
  )
}

/** `o1`, `o3-mini`, `o4-mini`, `gpt-5` (but not `gpt-5-chat`) take no sampling parameters. */
export function isReasoningModel(modelId: string): boolean {
  return /^o\d/.test(modelId) || (modelId.startsWith('gpt-5') && !modelId.startsWith('gpt-5-chat'))
}

function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

/**
 * Merges `providerOptions[providerKey]` into a request body, camelCase keys in snake_case
 * (`reasoningEffort` → `reasoning_effort`). Fields the adapter owns (`reserved`) are not replaced
 * (a warning says so); options the adapter reads itself (`consumed`) are not sent.
 */
export function mergeProviderOptions(
  body: Record<string, unknown>,
  vendor: Record<string, unknown>,
  options: { providerKey: string; reserved: Set<string>; consumed: Set<string>; warnings: Warning[] },
): void {
  for (const [key, value] of Object.entries(vendor)) {
    const field = toSnakeCase(key)
    if (options.consumed.has(field)) continue
    if (options.reserved.has(field)) {
      options.warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.${options.providerKey}.${key}`,
        details: `${field} is set by the adapter from the request; the provider option was ignored`,
      })
      continue
    }
    body[field] = value
  }
}

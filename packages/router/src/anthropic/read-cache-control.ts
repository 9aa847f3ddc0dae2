import type { CacheControlEphemeral } from '@anthropic-ai/sdk/resources/messages'
import { InvalidRequestError, type ProviderOptions } from '@ql/provider'

/**
 * Reads a prompt-cache breakpoint from `providerOptions.anthropic.cacheControl` (or
 * `cache_control`): `{ type: 'ephemeral' }`, optionally with `ttl: '5m' | '1h'`.
 *
 * @throws InvalidRequestError when the value has another shape.
 */
export function readCacheControl(options: ProviderOptions | undefined): CacheControlEphemeral | undefined {
  const anthropic = options?.anthropic
  if (anthropic === undefined) return undefined
  const value = anthropic.cacheControl ?? anthropic.cache_control
  if (value === undefined || value === null) return undefined
  const record = value as Record<string, unknown>
  if (
    typeof value !== 'object' ||
    record.type !== 'ephemeral' ||
    !(record.ttl === undefined || record.ttl === '5m' || record.ttl === '1h')
  ) {
    throw new InvalidRequestError({
      message: `providerOptions.anthropic.cacheControl must be { type: 'ephemeral', ttl?: '5m' | '1h' }, got ${JSON.stringify(value)}`,
      issues: [
        {
          path: 'providerOptions.anthropic.cacheControl',
          message: "expected { type: 'ephemeral', ttl?: '5m' | '1h' }",
        },
      ],
      provider: 'anthropic',
    })
  }
  return record.ttl === undefined
    ? { type: 'ephemeral' }
    : { type: 'ephemeral', ttl: record.ttl as '5m' | '1h' }
}

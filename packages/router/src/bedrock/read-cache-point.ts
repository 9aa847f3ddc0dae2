import type { CachePointBlock } from '@aws-sdk/client-bedrock-runtime'
import { InvalidRequestError, type ProviderOptions } from '@ql/provider'

/**
 * Reads a prompt-cache checkpoint from `providerOptions.bedrock.cachePoint`:
 * `{ type: 'default' }`, optionally with `ttl: '5m' | '1h'`.
 *
 * @throws InvalidRequestError when the value has another shape.
 */
export function readCachePoint(options: ProviderOptions | undefined): CachePointBlock | undefined {
  const value = options?.bedrock?.cachePoint
  if (value === undefined || value === null) return undefined
  const record = value as Record<string, unknown>
  if (
    typeof value !== 'object' ||
    record.type !== 'default' ||
    !(record.ttl === undefined || record.ttl === '5m' || record.ttl === '1h')
  ) {
    throw new InvalidRequestError({
      message: `providerOptions.bedrock.cachePoint must be { type: 'default', ttl?: '5m' | '1h' }, got ${JSON.stringify(value)}`,
      issues: [
        {
          path: 'providerOptions.bedrock.cachePoint',
          message: "expected { type: 'default', ttl?: '5m' | '1h' }",
        },
      ],
      provider: 'bedrock',
    })
  }
  return record.ttl === undefined ? { type: 'default' } : { type: 'default', ttl: record.ttl as '5m' | '1h' }
}

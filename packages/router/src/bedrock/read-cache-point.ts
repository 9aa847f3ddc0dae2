import type { CachePointBlock } from '@aws-sdk/client-bedrock-runtime'
import type { ProviderOptions } from '@ql/provider'
import { readProviderOptions } from '../shared/read-provider-options'
import { bedrockCacheOptionsSchema } from './bedrock-provider-options'

/**
 * Reads a prompt-cache checkpoint from the `providerOptions.bedrock.cachePoint` of a message, a
 * part or a tool, with {@link bedrockCacheOptionsSchema}: `{ type: 'default' }`, optionally with
 * `ttl: '5m' | '1h'`. Unknown keys were reported when the request was checked
 * (`checkPromptProviderOptions`), so they are passed over here.
 *
 * @throws InvalidRequestError when the value has another shape.
 */
export function readCachePoint(options: ProviderOptions | undefined): CachePointBlock | undefined {
  if (options?.bedrock === undefined) return undefined
  const cachePoint = readProviderOptions(options, bedrockCacheOptionsSchema, {
    path: 'providerOptions',
    providerKey: 'bedrock',
    provider: 'bedrock',
    label: 'Bedrock',
    warnings: [],
  })?.cachePoint
  if (cachePoint === undefined) return undefined
  return cachePoint.ttl === undefined ? { type: 'default' } : { type: 'default', ttl: cachePoint.ttl }
}

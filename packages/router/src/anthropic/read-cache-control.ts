import type { CacheControlEphemeral } from '@anthropic-ai/sdk/resources/messages'
import type { ProviderOptions } from '@ql/provider'
import { readProviderOptions } from '../shared/read-provider-options'
import { anthropicCacheOptionsSchema } from './anthropic-provider-options'

/**
 * Reads a prompt-cache breakpoint from the `providerOptions.anthropic.cacheControl` of a message,
 * a part or a tool, with {@link anthropicCacheOptionsSchema}: `{ type: 'ephemeral' }`, optionally
 * with `ttl: '5m' | '1h'` (`cache_control` is read too). Unknown keys were reported when the
 * request was checked (`checkPromptProviderOptions`), so they are passed over here.
 *
 * @throws InvalidRequestError when the value has another shape.
 */
export function readCacheControl(options: ProviderOptions | undefined): CacheControlEphemeral | undefined {
  if (options?.anthropic === undefined) return undefined
  const cacheControl = readProviderOptions(options, anthropicCacheOptionsSchema, {
    path: 'providerOptions',
    providerKey: 'anthropic',
    provider: 'anthropic',
    label: 'Anthropic',
    warnings: [],
  })?.cacheControl
  return toCacheControl(cacheControl)
}

/** The wire form of a checked cache breakpoint. */
export function toCacheControl(
  value: { type: 'ephemeral'; ttl?: '5m' | '1h' | undefined } | undefined,
): CacheControlEphemeral | undefined {
  if (value === undefined) return undefined
  return value.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: value.ttl }
}

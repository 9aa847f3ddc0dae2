import { z } from 'zod/v4'

/**
 * Vendor settings that the shared contract does not model, keyed by provider name:
 * `{ anthropic: { cacheControl: { type: 'ephemeral' } }, openai: { reasoningEffort: 'high' } }`.
 *
 * Accepted on a request, a message or a content part. Each adapter reads only its own key and
 * ignores the others, so one request can carry settings for every provider a router may use.
 */
export const providerOptionsSchema = z.record(z.string(), z.record(z.string(), z.unknown()))

/** Vendor settings keyed by provider name. See {@link providerOptionsSchema}. */
export type ProviderOptions = z.infer<typeof providerOptionsSchema>

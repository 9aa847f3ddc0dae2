import { z } from 'zod/v4'

/**
 * Why generation stopped, normalized across providers:
 * - `stop`: a natural end or a stop sequence
 * - `length`: the token limit
 * - `tool-calls`: the model called tools and waits for results
 * - `content-filter`: the provider's safety filter
 * - `error`: the provider reported an error
 * - `other`: anything else (the raw reason is kept in `rawFinishReason`)
 */
export const finishReasonSchema = z.enum(['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other'])

/** Why generation stopped. See {@link finishReasonSchema}. */
export type FinishReason = z.infer<typeof finishReasonSchema>

import { z } from 'zod/v4'

/**
 * A setting the provider ignored or adapted. Adapters never drop a setting silently: they
 * report it here (and in the response's `warnings`).
 */
export const warningSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('unsupported-setting'),
    /** The request field, for example `seed` or `toolChoice`. */
    setting: z.string(),
    /** What was done instead. */
    details: z.string().optional(),
  }),
  z.object({ type: z.literal('other'), message: z.string() }),
])

/** A setting the provider ignored or adapted. */
export type Warning = z.infer<typeof warningSchema>

import { z } from 'zod/v4'
import type { JSONSchema } from './json-schema'
import { jsonSchemaSchema, zodSchemaSchema } from './json-schema'

/**
 * The shape of the answer: free `text` (the default), or `json`, optionally constrained by a
 * schema (structured output). Adapters use the provider's native structured output where it has
 * one and raise an `UnsupportedFeatureError` where it has none.
 */
export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({
    type: z.literal('json'),
    /** A zod 4 schema or a JSON Schema the answer must match. */
    schema: z.union([zodSchemaSchema, jsonSchemaSchema]).optional(),
    /** A name for the schema (OpenAI requires one; defaults to `response`). */
    name: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/)
      .optional(),
    /** What the answer is; some providers pass it to the model. */
    description: z.string().optional(),
  }),
])

/** The shape of the answer. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json'; schema?: z.ZodType | JSONSchema; name?: string; description?: string }

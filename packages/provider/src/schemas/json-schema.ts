import { z } from 'zod/v4'

/**
 * A JSON Schema document (draft 7 or 2020-12) as a plain object. The contract does not
 * interpret keywords beyond `type`; providers receive it as written.
 */
export type JSONSchema = { [keyword: string]: unknown }

/** A zod 4 schema, detected by its `_zod` internals so schemas from another zod copy are accepted. */
export function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value
}

function isZod3Schema(value: object): boolean {
  return '_def' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function'
}

/** Accepts any plain JSON object as a JSON Schema document, and says so when handed a zod 3 schema. */
export const jsonSchemaSchema = z.unknown().check((ctx) => {
  const value = ctx.value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: 'expected a JSON Schema object or a zod 4 schema',
    })
  } else if (isZod3Schema(value)) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: 'zod 3 schemas are not supported: use a zod 4 schema (zod >= 4) or a JSON Schema object',
    })
  }
}) as unknown as z.ZodType<JSONSchema>

/** Accepts a zod 4 schema object, from any installed copy of zod 4. */
export const zodSchemaSchema: z.ZodType<z.ZodType> = z.custom<z.ZodType>((value) => isZodSchema(value), {
  message: 'expected a zod schema',
})

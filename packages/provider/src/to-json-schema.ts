import { z } from 'zod/v4'
import { InvalidRequestError } from './errors/invalid-request-error'
import { isZodSchema, type JSONSchema } from './schemas/json-schema'

/**
 * The JSON Schema to send to a provider for a tool input or a structured-output schema: a zod 4
 * schema is converted (describing the input side, without `$schema`); a JSON Schema object is
 * returned as it is.
 *
 * @throws InvalidRequestError when the zod schema cannot be expressed in JSON Schema (a
 *   transform, a function, a bigint) or the value is neither kind of schema.
 */
export function toJsonSchema(schema: z.ZodType | JSONSchema): JSONSchema {
  if (!isZodSchema(schema)) {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new InvalidRequestError({ message: 'expected a zod 4 schema or a JSON Schema object' })
    }
    return schema
  }
  try {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' })
    return rest
  } catch (cause) {
    throw new InvalidRequestError({
      message: `the zod schema cannot be expressed as JSON Schema: ${(cause as Error).message}`,
      cause,
    })
  }
}

import { z } from 'zod/v4'
import { isZodSchema, type JSONSchema, jsonSchemaSchema } from './json-schema'
import { providerOptionsSchema } from './provider-options'

/**
 * The characters and length every major provider accepts in a tool name
 * (OpenAI and Anthropic: `^[a-zA-Z0-9_-]{1,64}$`).
 */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/

/** A tool's input must be an object (every provider requires it), as a zod schema or JSON Schema. */
const toolInputSchema = z.unknown().check((ctx) => {
  const value = ctx.value
  if (isZodSchema(value)) {
    const type = (value as { _zod: { def: { type: string } } })._zod.def.type
    if (type !== 'object') {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `a tool input schema must describe an object (z.object({...})), not a zod ${type}`,
      })
    }
    return
  }
  const result = jsonSchemaSchema.safeParse(value)
  if (!result.success) {
    for (const issue of result.error.issues)
      ctx.issues.push({ code: 'custom', input: value, message: issue.message })
  } else if ((value as JSONSchema).type !== 'object') {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: 'a tool input schema must describe an object ({ "type": "object", "properties": {...} })',
    })
  }
}) as unknown as z.ZodType<z.ZodType | JSONSchema>

/**
 * A tool the model may call. `inputSchema` is a zod 4 object schema or a JSON Schema object;
 * adapters send it as JSON Schema (see {@link toJsonSchema}).
 */
export const toolDefinitionSchema = z.object({
  /** Unique within a request; letters, digits, `_` and `-`, at most 64 characters. */
  name: z.string().regex(TOOL_NAME_PATTERN, {
    message: 'a tool name must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -)',
  }),
  /** What the tool does; models choose tools by this text. */
  description: z.string().optional(),
  /** The tool's input: a zod 4 object schema or a JSON Schema with `"type": "object"`. */
  inputSchema: toolInputSchema,
  providerOptions: providerOptionsSchema.optional(),
})

/**
 * Which tool the model may call: `auto` (its choice), `none`, `required` (some tool), or one
 * named tool.
 */
export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('tool'), toolName: z.string().min(1) }),
])

/** A tool the model may call. */
export type ToolDefinition = Omit<z.infer<typeof toolDefinitionSchema>, 'inputSchema'> & {
  /** The tool's input: a zod 4 object schema or a JSON Schema with `"type": "object"`. */
  inputSchema: z.ZodType | JSONSchema
}
/** Which tool the model may call. */
export type ToolChoice = z.infer<typeof toolChoiceSchema>

import { z } from 'zod/v4'
import { jsonValueSchema } from './json-value'

/** A complete tool call from the model, with its arguments parsed from JSON. */
export const toolCallSchema = z.object({
  /** The provider's id for the call; a tool result answers it by this id. */
  id: z.string().min(1),
  /** The tool's name. */
  name: z.string().min(1),
  /** The parsed JSON arguments (a JSON value). */
  input: jsonValueSchema.optional(),
})

/** A complete tool call from the model. */
export type ToolCall = z.infer<typeof toolCallSchema>

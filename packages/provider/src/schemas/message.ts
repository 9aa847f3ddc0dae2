import { z } from 'zod/v4'
import {
  imagePartSchema,
  reasoningPartSchema,
  textPartSchema,
  toolCallPartSchema,
  toolResultPartSchema,
} from './content-parts'
import { providerOptionsSchema } from './provider-options'

/** Instructions for the model. Adapters for providers with a top-level system field hoist these. */
export const systemMessageSchema = z.object({
  role: z.literal('system'),
  content: z.string(),
  providerOptions: providerOptionsSchema.optional(),
})

/** What the user said: text, or parts of text and images. */
export const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.union([
    z.string(),
    z.array(z.discriminatedUnion('type', [textPartSchema, imagePartSchema])).min(1),
  ]),
  providerOptions: providerOptionsSchema.optional(),
})

/** What the model said: text, or parts of text, reasoning and tool calls. */
export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.union([
    z.string(),
    z.array(z.discriminatedUnion('type', [textPartSchema, reasoningPartSchema, toolCallPartSchema])),
  ]),
  providerOptions: providerOptionsSchema.optional(),
})

/** Results of the tool calls of the previous assistant message. */
export const toolMessageSchema = z.object({
  role: z.literal('tool'),
  content: z.array(toolResultPartSchema).min(1),
  providerOptions: providerOptionsSchema.optional(),
})

/** One message of a conversation, discriminated by `role`. */
export const messageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
])

/** A system message. */
export type SystemMessage = z.infer<typeof systemMessageSchema>
/** A user message. */
export type UserMessage = z.infer<typeof userMessageSchema>
/** An assistant message. */
export type AssistantMessage = z.infer<typeof assistantMessageSchema>
/** A tool message. */
export type ToolMessage = z.infer<typeof toolMessageSchema>
/** One message of a conversation. */
export type Message = z.infer<typeof messageSchema>

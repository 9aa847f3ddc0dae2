import { z } from 'zod/v4'
import type { Message } from './message'
import { messageSchema } from './message'
import { providerOptionsSchema } from './provider-options'
import type { ResponseFormat } from './response-format'
import { responseFormatSchema } from './response-format'
import type { ToolChoice, ToolDefinition } from './tool-definition'
import { toolChoiceSchema, toolDefinitionSchema } from './tool-definition'

/** Request metadata: flat key/value pairs, forwarded where the provider supports it. */
export const metadataSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))

/**
 * The shape of a chat request, field by field. Cross-field rules (tool results answer earlier
 * calls, tool names are unique, `toolChoice` names a defined tool) are checked by
 * {@link validateChatRequest}.
 */
export const chatRequestSchema = z.object({
  /** The conversation so far; at least one message. */
  messages: z.array(messageSchema).min(1, { message: 'a request needs at least one message' }),
  /** Instructions placed before the messages. */
  system: z.string().optional(),
  /** Tools the model may call. */
  tools: z.array(toolDefinitionSchema).optional(),
  /** Which tool the model may call. Defaults to `auto` when tools are given. */
  toolChoice: toolChoiceSchema.optional(),
  /** Text, or JSON constrained by a schema. */
  responseFormat: responseFormatSchema.optional(),
  /** The most tokens to generate. */
  maxTokens: z.number().int().positive().optional(),
  /** Sampling temperature, 0 to 2. */
  temperature: z.number().min(0).max(2).optional(),
  /** Nucleus sampling, 0 to 1. */
  topP: z.number().min(0).max(1).optional(),
  /** Sequences that stop generation. */
  stop: z.union([z.string(), z.array(z.string()).max(16)]).optional(),
  /** A seed for providers that support deterministic sampling. */
  seed: z.number().int().optional(),
  /** Vendor settings keyed by provider. */
  providerOptions: providerOptionsSchema.optional(),
  /** Metadata forwarded to the provider where supported (for example a user id). */
  metadata: metadataSchema.optional(),
})

/** A chat request: the conversation plus generation settings. */
export interface ChatRequest {
  /** The conversation so far; at least one message. */
  messages: Message[]
  /** Instructions placed before the messages. */
  system?: string
  /** Tools the model may call. */
  tools?: ToolDefinition[]
  /** Which tool the model may call. Defaults to `auto` when tools are given. */
  toolChoice?: ToolChoice
  /** Text, or JSON constrained by a schema. */
  responseFormat?: ResponseFormat
  /** The most tokens to generate. */
  maxTokens?: number
  /** Sampling temperature, 0 to 2. */
  temperature?: number
  /** Nucleus sampling, 0 to 1. */
  topP?: number
  /** Sequences that stop generation (at most 16). */
  stop?: string | string[]
  /** A seed for providers that support deterministic sampling. */
  seed?: number
  /** Vendor settings keyed by provider, for example `{ openai: { reasoningEffort: 'high' } }`. */
  providerOptions?: Record<string, Record<string, unknown>>
  /** Metadata forwarded to the provider where supported (for example a user id). */
  metadata?: Record<string, string | number | boolean>
}

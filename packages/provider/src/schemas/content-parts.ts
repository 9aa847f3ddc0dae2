import { z } from 'zod/v4'
import { imageDataSchema } from './image-data'
import { jsonValueSchema } from './json-value'
import { providerOptionsSchema } from './provider-options'

/** Plain text. */
export const textPartSchema = z.object({
  type: z.literal('text'),
  /** The text. */
  text: z.string(),
  providerOptions: providerOptionsSchema.optional(),
})

/**
 * An image. `image` is a URL (`https:`, `data:`), a base64 string, or raw bytes.
 * `mediaType` (for example `image/png`) is required by some providers for base64 and bytes.
 *
 * Validation hands bytes back as base64, so a validated message is JSON-safe; bytes that went
 * through JSON unvalidated (`{"0":137,…}`, `{"type":"Buffer","data":[…]}`) are read back as
 * the same base64. See {@link imageDataSchema}.
 */
export const imagePartSchema = z.object({
  type: z.literal('image'),
  /** A URL (`https:` or `data:`), a base64-encoded string, or the raw bytes (returned as base64). */
  image: imageDataSchema,
  /** IANA media type such as `image/png`; inferred from a `data:` URL when absent. */
  mediaType: z.string().optional(),
  providerOptions: providerOptionsSchema.optional(),
})

/** A tool call the assistant made. Appears in assistant messages. */
export const toolCallPartSchema = z.object({
  type: z.literal('tool-call'),
  /** The id that the matching `tool-result` part refers to. */
  toolCallId: z.string().min(1),
  /** The name of the tool, as given in the request's `tools`. */
  toolName: z.string().min(1),
  /** The parsed JSON arguments: a JSON value (no `Map`, `Date`, class instance, `NaN`, cycle...). */
  input: jsonValueSchema.optional(),
  providerOptions: providerOptionsSchema.optional(),
})

/** The result of running a tool. Appears in `tool` messages. */
export const toolResultPartSchema = z.object({
  type: z.literal('tool-result'),
  /** The `toolCallId` of the assistant's `tool-call` part that this answers. */
  toolCallId: z.string({ error: 'a tool result needs the toolCallId of the call it answers' }).min(1),
  /** The name of the tool; optional, filled from the matching call when absent. */
  toolName: z.string().min(1).optional(),
  /**
   * The result: a string is sent as-is, anything else as JSON. Must be a JSON value (plain
   * objects, arrays, strings, finite numbers, booleans, null), so it survives a checkpoint.
   */
  output: jsonValueSchema.optional(),
  /** Marks the result as a failure of the tool, so the model can react to it. */
  isError: z.boolean().optional(),
  providerOptions: providerOptionsSchema.optional(),
})

/**
 * Model reasoning ("thinking"). Anthropic requires a thinking block, signature included, to be sent
 * back before its tool use in the next turn, so reasoning round-trips through history.
 */
export const reasoningPartSchema = z.object({
  type: z.literal('reasoning'),
  /** The reasoning text; empty for redacted reasoning. */
  text: z.string(),
  /** The provider's signature over the reasoning (Anthropic `signature`). */
  signature: z.string().optional(),
  /** Opaque encrypted reasoning (Anthropic `redacted_thinking` data). */
  data: z.string().optional(),
  providerOptions: providerOptionsSchema.optional(),
})

/** Plain text. */
export type TextPart = z.infer<typeof textPartSchema>
/** An image. See {@link imagePartSchema}. */
export type ImagePart = z.infer<typeof imagePartSchema>
/** A tool call in an assistant message. */
export type ToolCallPart = z.infer<typeof toolCallPartSchema>
/** A tool result in a tool message. */
export type ToolResultPart = z.infer<typeof toolResultPartSchema>
/** Model reasoning that round-trips through history. */
export type ReasoningPart = z.infer<typeof reasoningPartSchema>

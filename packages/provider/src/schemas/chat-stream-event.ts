import { z } from 'zod/v4'
import { chatResponseSchema } from './chat-response'
import { finishReasonSchema } from './finish-reason'
import { toolCallSchema } from './tool-call'
import { usageSchema } from './usage'

/**
 * What a {@link ChatStream} yields, in order: one `metadata` event before any content (who
 * answered, the response id and headers), deltas as they arrive, `reasoning-end` closing each
 * reasoning block (with its signature), each tool call once it is complete, usage when the
 * provider reports it, and one `finish` last, carrying the same `ChatResponse` that `generate`
 * would return. A failure mid-stream makes the iterator throw the typed error instead: a stream
 * never ends short without saying so.
 *
 * The events carry everything the response is made of, so a relay (a router, a middleware) can
 * rebuild the response from the events it forwards (see `relayChatStream`).
 */
export const chatStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('metadata'),
    /** The provider that is answering (for a router: the target's provider). */
    provider: z.string(),
    /** The model that is answering, as the provider reports it. */
    modelId: z.string(),
    /** The provider's id for the response, when known before the content. */
    id: z.string().optional(),
    /** The provider's request id (`x-request-id`, `request-id`, `x-amzn-requestid`). */
    requestId: z.string().optional(),
    /** The HTTP response headers, credential headers removed. */
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.object({ type: z.literal('text-delta'), delta: z.string() }),
  z.object({ type: z.literal('reasoning-delta'), delta: z.string() }),
  z.object({
    type: z.literal('reasoning-end'),
    /** The provider's signature over the block (Anthropic, Bedrock); send it back with the block. */
    signature: z.string().optional(),
    /** Opaque encrypted reasoning (a redacted block). */
    data: z.string().optional(),
  }),
  z.object({
    type: z.literal('tool-call-delta'),
    toolCallId: z.string(),
    toolName: z.string(),
    /** A fragment of the JSON arguments. */
    inputDelta: z.string(),
  }),
  z.object({ type: z.literal('tool-call'), toolCall: toolCallSchema }),
  z.object({ type: z.literal('usage'), usage: usageSchema }),
  z.object({
    type: z.literal('finish'),
    finishReason: finishReasonSchema,
    usage: usageSchema,
    response: chatResponseSchema,
  }),
])

/** One event of a chat stream. See {@link chatStreamEventSchema}. */
export type ChatStreamEvent = z.infer<typeof chatStreamEventSchema>

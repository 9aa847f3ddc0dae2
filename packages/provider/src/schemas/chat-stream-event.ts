import { z } from 'zod/v4'
import { chatResponseSchema } from './chat-response'
import { finishReasonSchema } from './finish-reason'
import { toolCallSchema } from './tool-call'
import { usageSchema } from './usage'

/**
 * What a {@link ChatStream} yields, in order: deltas as they arrive, each tool call once it is
 * complete, usage when the provider reports it, and one `finish` last, carrying the same
 * `ChatResponse` that `generate` would return. A failure mid-stream makes the iterator throw
 * the typed error instead: a stream never ends short without saying so.
 */
export const chatStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text-delta'), delta: z.string() }),
  z.object({ type: z.literal('reasoning-delta'), delta: z.string() }),
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

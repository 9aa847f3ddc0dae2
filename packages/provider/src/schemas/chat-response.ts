import { z } from 'zod/v4'
import { finishReasonSchema } from './finish-reason'
import { assistantMessageSchema } from './message'
import { toolCallSchema } from './tool-call'
import { costSchema, usageSchema } from './usage'
import { warningSchema } from './warning'

/**
 * What `generate` returns, and what a stream's `response` resolves to: the same value for the
 * same answer, whichever method produced it.
 */
export const chatResponseSchema = z.object({
  /** The provider's id for the response, when it gives one. */
  id: z.string().optional(),
  /** All text of the answer, concatenated. */
  text: z.string(),
  /** All reasoning text, concatenated, when the model reasoned visibly. */
  reasoning: z.string().optional(),
  /** The answer as an assistant message, ready to append to the conversation. */
  message: assistantMessageSchema,
  /** The tool calls of the answer, in order. */
  toolCalls: z.array(toolCallSchema),
  /** Why generation stopped. */
  finishReason: finishReasonSchema,
  /** The provider's own finish reason, for diagnostics. */
  rawFinishReason: z.string().optional(),
  /** Token usage. */
  usage: usageSchema,
  /** Cost in US dollars, when pricing is known. */
  cost: costSchema.optional(),
  /** Settings the provider ignored or adapted. */
  warnings: z.array(warningSchema),
  /** The provider that answered (for example `openai`). */
  provider: z.string(),
  /** The model that answered, as the provider reports it. */
  modelId: z.string(),
  /** The provider's request id (`x-request-id`, `request-id`, `x-amzn-requestid`), for support tickets and logs. */
  requestId: z.string().optional(),
  /**
   * The HTTP response headers, names lower-cased, credential headers removed: rate-limit state
   * (`x-ratelimit-remaining-*`, `anthropic-ratelimit-*`) for routers, request ids for support.
   */
  headers: z.record(z.string(), z.string()).optional(),
  /** Vendor data that the contract does not model, keyed by provider. */
  providerMetadata: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
})

/** A complete answer from a model. */
export type ChatResponse = z.infer<typeof chatResponseSchema>

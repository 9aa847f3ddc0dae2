import { z } from 'zod/v4'

/**
 * `providerOptions[name]` on a request to `createOpenAICompatible({ name })`: the key is the
 * provider's own name (`vllm`, `ollama`, ...). Names are camelCase and mapped to the Chat
 * Completions snake_case names (`repetitionPenalty` → `repetition_penalty`); the snake_case name
 * of a known option is read as that option too. Servers differ in what they accept beyond the
 * common set: send anything else with `extraBody`, as written. An unknown key is not sent and
 * gives a warning; a wrong value fails the call with `InvalidRequestError` before anything is sent.
 *
 * @example
 * ```ts
 * import type { OpenAICompatibleProviderOptions } from '@ql/router/openai-compatible'
 * const vllm: OpenAICompatibleProviderOptions = { topK: 20, extraBody: { guided_choice: ['yes', 'no'] } }
 * await model.generate({ messages, providerOptions: { vllm } })
 * ```
 */
export const openaiCompatibleProviderOptionsSchema = z.strictObject({
  /** Reasoning effort, as the server names it (`reasoning_effort`). */
  reasoningEffort: z.string().optional(),
  /** Whether the model may call several tools at once (`parallel_tool_calls`). */
  parallelToolCalls: z.boolean().optional(),
  /** The end user (`user`). Defaults to `metadata.userId`. */
  user: z.string().optional(),
  /** The server's processing tier, as it names it (`service_tier`). */
  serviceTier: z.string().optional(),
  /** Token id → bias from -100 to 100 (`logit_bias`). */
  logitBias: z
    .record(z.string().regex(/^\d+$/, 'expected a token id'), z.number().min(-100).max(100))
    .optional(),
  /** Penalty for tokens by how often they appeared, -2 to 2 (`frequency_penalty`). */
  frequencyPenalty: z.number().min(-2).max(2).optional(),
  /** Penalty for tokens that appeared at all, -2 to 2 (`presence_penalty`). */
  presencePenalty: z.number().min(-2).max(2).optional(),
  /** Sample from the k most likely tokens (`top_k`; vLLM, Ollama, llama.cpp). */
  topK: z.number().int().optional(),
  /** Drop tokens below this fraction of the most likely one's probability (`min_p`). */
  minP: z.number().min(0).max(1).optional(),
  /** Penalty for repeated tokens, 1 for none (`repetition_penalty`). */
  repetitionPenalty: z.number().positive().optional(),
  /** `strict: true` on a JSON Schema `responseFormat` (default false). Not sent itself. */
  strictJsonSchema: z.boolean().optional(),
  /**
   * Fields added to the body exactly as written (wire names), after everything else: for the
   * server's own parameters. Fields the adapter sets from the request (`model`, `messages`,
   * `tools`, `tool_choice`, `response_format`, `stream`) are refused with a warning.
   */
  extraBody: z.record(z.string(), z.unknown()).optional(),
})

/** `providerOptions[name]` for an OpenAI-compatible provider. See {@link openaiCompatibleProviderOptionsSchema}. */
export type OpenAICompatibleProviderOptions = z.infer<typeof openaiCompatibleProviderOptionsSchema>

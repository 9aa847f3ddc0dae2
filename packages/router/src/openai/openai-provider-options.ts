import type { ProviderOptions } from '@ql/provider'
import { z } from 'zod/v4'
import { readProviderOptions } from '../shared/read-provider-options'

const webSearchOptionsSchema = z.strictObject({
  /** How much of the context window the search may use (`search_context_size`). */
  searchContextSize: z.enum(['low', 'medium', 'high']).optional(),
  /** The user's approximate location (`user_location`). */
  userLocation: z
    .strictObject({
      /** Always `approximate`; may be left out. */
      type: z.literal('approximate').optional(),
      approximate: z.strictObject({
        /** Free text, for example `San Francisco`. */
        city: z.string().optional(),
        /** The two-letter ISO country code, for example `US`. */
        country: z.string().optional(),
        /** Free text, for example `California`. */
        region: z.string().optional(),
        /** The IANA time zone, for example `America/Los_Angeles`. */
        timezone: z.string().optional(),
      }),
    })
    .optional(),
})

const predictionSchema = z.strictObject({
  type: z.literal('content'),
  /** The text expected in the answer (for example the file being edited). */
  content: z.union([
    z.string(),
    z.array(z.strictObject({ type: z.literal('text'), text: z.string() })).min(1),
  ]),
})

/**
 * `providerOptions.openai` on a request to `createOpenAI().chat()` (Chat Completions) or
 * `.responses()` (Responses API). Names are camelCase and mapped field by field, at every depth,
 * to the API's snake_case names (`webSearchOptions.searchContextSize` →
 * `web_search_options.search_context_size`); the snake_case name of a known option is read as that
 * option too. An option the API in use has no field for is not sent and gives a warning; so does
 * an unknown key. A wrong value fails the call with `InvalidRequestError` before anything is sent.
 *
 * @example
 * ```ts
 * import type { OpenAIProviderOptions } from '@ql/router/openai'
 * const openai: OpenAIProviderOptions = { reasoningEffort: 'low', serviceTier: 'flex' }
 * await model.generate({ messages, providerOptions: { openai } })
 * ```
 */
export const openaiProviderOptionsSchema = z.strictObject({
  /** Reasoning effort of reasoning models: chat `reasoning_effort`, Responses `reasoning.effort`. */
  reasoningEffort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
  /** A summary of the model's reasoning (Responses only: `reasoning.summary`). */
  reasoningSummary: z.enum(['auto', 'concise', 'detailed']).optional(),
  /** Processing tier (`service_tier`): `flex` is cheaper and slower, `priority` faster. */
  serviceTier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).optional(),
  /** Whether the model may call several tools at once (`parallel_tool_calls`). */
  parallelToolCalls: z.boolean().optional(),
  /**
   * Whether OpenAI stores the completion or response (`store`). Request `metadata` is sent as
   * OpenAI `metadata` only for stored completions.
   */
  store: z.boolean().optional(),
  /**
   * The end user, for abuse detection (`safety_identifier`). Defaults to `metadata.userId`; a hash
   * of the user's id rather than a name or an email.
   */
  safetyIdentifier: z.string().optional(),
  /** OpenAI's deprecated end-user field (`user`); prefer `safetyIdentifier` and `promptCacheKey`. */
  user: z.string().optional(),
  /** A key that groups requests sharing a prompt prefix, for cache hits (`prompt_cache_key`). */
  promptCacheKey: z.string().optional(),
  /** How long cached prompt prefixes are kept (`prompt_cache_retention`). */
  promptCacheRetention: z.enum(['in_memory', '24h']).optional(),
  /** The length of the answer (chat `verbosity`, Responses `text.verbosity`). */
  textVerbosity: z.enum(['low', 'medium', 'high']).optional(),
  /** Token id → bias from -100 to 100 (chat only: `logit_bias`). */
  logitBias: z
    .record(z.string().regex(/^\d+$/, 'expected a token id'), z.number().min(-100).max(100))
    .optional(),
  /** Predicted output, for faster edits of known text (chat only: `prediction`). */
  prediction: predictionSchema.optional(),
  /** Web search of the search models (chat only: `web_search_options`). */
  webSearchOptions: webSearchOptionsSchema.optional(),
  /** Penalty for tokens by how often they appeared, -2 to 2 (chat only: `frequency_penalty`). */
  frequencyPenalty: z.number().min(-2).max(2).optional(),
  /** Penalty for tokens that appeared at all, -2 to 2 (chat only: `presence_penalty`). */
  presencePenalty: z.number().min(-2).max(2).optional(),
  /**
   * Strict structured output: `strict: true` on a JSON Schema `responseFormat` (default false,
   * because strict mode rejects schemas without `additionalProperties: false`). Not sent itself.
   */
  strictJsonSchema: z.boolean().optional(),
  /**
   * Fields added to the body exactly as written (wire names), after everything else: for API
   * parameters these options do not cover. Fields the adapter sets from the request (`model`,
   * `messages`, `input`, `tools`, `tool_choice`, `response_format`, `text`, `stream`) are refused
   * with a warning.
   */
  extraBody: z.record(z.string(), z.unknown()).optional(),
})

/** `providerOptions.openai` on a request. See {@link openaiProviderOptionsSchema}. */
export type OpenAIProviderOptions = z.infer<typeof openaiProviderOptionsSchema>

/** `providerOptions.openai` (or an OpenAI-compatible provider's key) on a tool definition. */
export const openaiToolOptionsSchema = z.strictObject({
  /** Strict function calling: the arguments always match the schema (`function.strict`). */
  strict: z.boolean().optional(),
})

/** `providerOptions.openai` on a tool definition. See {@link openaiToolOptionsSchema}. */
export type OpenAIToolOptions = z.infer<typeof openaiToolOptionsSchema>

/** `providerOptions.openai` (or an OpenAI-compatible provider's key) on an image part. */
export const openaiImageOptionsSchema = z.strictObject({
  /** The resolution the model sees the image at (`detail`). */
  imageDetail: z.enum(['low', 'high', 'auto']).optional(),
})

/** `providerOptions.openai` on an image part. See {@link openaiImageOptionsSchema}. */
export type OpenAIImageOptions = z.infer<typeof openaiImageOptionsSchema>

/** What to say about an option set in the wrong place. */
export const OPENAI_OPTION_HINTS: Readonly<Record<string, string>> = {
  imageDetail: 'imageDetail belongs on an image part; it was not sent',
  strict: 'strict belongs on a tool definition (tools[i].providerOptions); it was not sent',
  reasoning: 'not an option: use reasoningEffort and reasoningSummary; it was not sent',
}

/** Messages and parts other than images take no OpenAI options. */
export const openaiNoOptionsSchema = z.strictObject({})

/** The `detail` of an image part, from its (already checked) provider options. */
export function readOpenAIImageDetail(
  options: ProviderOptions | undefined,
  providerKey: string,
): 'low' | 'high' | 'auto' | undefined {
  if (options?.[providerKey] === undefined) return undefined
  return readProviderOptions(options, openaiImageOptionsSchema, {
    path: 'providerOptions',
    providerKey,
    provider: providerKey,
    label: 'OpenAI',
    warnings: [],
  })?.imageDetail
}

/** Whether a tool asks for strict function calling, from its (already checked) provider options. */
export function readOpenAIToolStrict(options: ProviderOptions | undefined, providerKey: string): boolean {
  if (options?.[providerKey] === undefined) return false
  return (
    readProviderOptions(options, openaiToolOptionsSchema, {
      path: 'providerOptions',
      providerKey,
      provider: providerKey,
      label: 'OpenAI',
      warnings: [],
    })?.strict === true
  )
}

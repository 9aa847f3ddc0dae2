import type { Warning } from '@ql/provider'
import type { OpenAICompatibleProviderOptions } from '../openai-compatible/openai-compatible-provider-options'
import { END_USER_ID_KEY, readEndUserId } from '../shared/end-user-id'
import type { OpenAIProviderOptions } from './openai-provider-options'

const MAX_METADATA_KEYS = 16

/**
 * Sends `metadata.userId` to the API's end-user field (`endUserField`: OpenAI's
 * `safety_identifier`, or `user` for OpenAI-compatible servers), and the whole metadata as OpenAI
 * `metadata` (values as strings, at most 16 keys), unless `refusal` says why this call cannot
 * carry metadata: then a warning names the keys that were not sent. Provider options applied
 * afterwards (`safetyIdentifier`, `user`) take precedence over `metadata.userId`.
 */
export function addMetadata(
  body: Record<string, unknown>,
  metadata: Record<string, string | number | boolean>,
  options: { endUserField: 'safety_identifier' | 'user'; refusal: string | undefined; warnings: Warning[] },
): void {
  const { endUserField, refusal, warnings } = options
  const userId = readEndUserId(metadata)
  if (userId !== undefined) body[endUserField] = userId
  if (refusal !== undefined) {
    const rest = Object.keys(metadata).filter((key) => key !== END_USER_ID_KEY)
    if (rest.length > 0) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'metadata',
        details: `${refusal}; ${rest.join(', ')} not sent`,
      })
    }
    return
  }
  const entries = Object.entries(metadata)
  if (entries.length > MAX_METADATA_KEYS) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'metadata',
      details: `OpenAI accepts at most ${MAX_METADATA_KEYS} metadata keys; the first ${MAX_METADATA_KEYS} were sent`,
    })
  }
  body.metadata = Object.fromEntries(
    entries.slice(0, MAX_METADATA_KEYS).map(([key, value]) => [key, String(value)]),
  )
}

/** `o1`, `o3-mini`, `o4-mini`, `gpt-5` (but not `gpt-5-chat`) take no sampling parameters. */
export function isReasoningModel(modelId: string): boolean {
  return /^o\d/.test(modelId) || (modelId.startsWith('gpt-5') && !modelId.startsWith('gpt-5-chat'))
}

/** Options of OpenAI itself or of an OpenAI-compatible server, as read by their schemas. */
export type OpenAIChatOptions = OpenAIProviderOptions | OpenAICompatibleProviderOptions
type AnyChatOptions = Partial<OpenAIProviderOptions> & Partial<OpenAICompatibleProviderOptions>

/** How one option goes on the wire: a field name (the value as it is), or a function. */
type Mapping<T> = string | ((value: NonNullable<T>, body: Record<string, unknown>) => void) | 'unsupported'

/**
 * Every typed option, mapped explicitly to Chat Completions (a new schema field without a mapping
 * is a type error here, so nothing can be dropped silently).
 */
const CHAT_FIELDS: { [K in keyof AnyChatOptions]-?: Mapping<AnyChatOptions[K]> | 'consumed' } = {
  reasoningEffort: 'reasoning_effort',
  reasoningSummary: 'unsupported',
  serviceTier: 'service_tier',
  parallelToolCalls: 'parallel_tool_calls',
  store: 'store',
  safetyIdentifier: 'safety_identifier',
  user: 'user',
  promptCacheKey: 'prompt_cache_key',
  promptCacheRetention: 'prompt_cache_retention',
  textVerbosity: 'verbosity',
  // token ids as they are: never renamed
  logitBias: (value, body) => {
    body.logit_bias = { ...value }
  },
  prediction: (value, body) => {
    body.prediction = toPrediction(value)
  },
  webSearchOptions: (value, body) => {
    body.web_search_options = toWebSearchOptions(value)
  },
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  topK: 'top_k',
  minP: 'min_p',
  repetitionPenalty: 'repetition_penalty',
  strictJsonSchema: 'consumed',
  extraBody: 'consumed',
}

/** The same for the Responses API. */
const RESPONSES_FIELDS: {
  [K in keyof OpenAIProviderOptions]-?: Mapping<OpenAIProviderOptions[K]> | 'consumed'
} = {
  reasoningEffort: (value, body) => {
    body.reasoning = { ...(body.reasoning as object | undefined), effort: value }
  },
  reasoningSummary: (value, body) => {
    body.reasoning = { ...(body.reasoning as object | undefined), summary: value }
  },
  serviceTier: 'service_tier',
  parallelToolCalls: 'parallel_tool_calls',
  store: 'store',
  safetyIdentifier: 'safety_identifier',
  user: 'user',
  promptCacheKey: 'prompt_cache_key',
  promptCacheRetention: 'prompt_cache_retention',
  textVerbosity: (value, body) => {
    body.text = { ...(body.text as object | undefined), verbosity: value }
  },
  logitBias: 'unsupported',
  prediction: 'unsupported',
  webSearchOptions: 'unsupported',
  frequencyPenalty: 'unsupported',
  presencePenalty: 'unsupported',
  strictJsonSchema: 'consumed',
  extraBody: 'consumed',
}

/**
 * Writes typed OpenAI (or OpenAI-compatible) options into a Chat Completions or Responses body,
 * each by its explicit wire name, then `extraBody` as written. An option the API has no field
 * for, and an `extraBody` field the adapter sets itself (`reserved`), is not sent: a warning says so.
 */
export function addOpenAIOptions(
  body: Record<string, unknown>,
  options: OpenAIChatOptions | undefined,
  context: {
    api: 'chat' | 'responses'
    providerKey: string
    reserved: ReadonlySet<string>
    warnings: Warning[]
  },
): void {
  if (options === undefined) return
  const fields = (context.api === 'chat' ? CHAT_FIELDS : RESPONSES_FIELDS) as Record<
    string,
    Mapping<unknown> | 'consumed' | undefined
  >
  const apiName = context.api === 'chat' ? 'Chat Completions' : 'the Responses API'
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue
    const mapping = fields[key]
    if (mapping === 'consumed') continue
    if (mapping === undefined || mapping === 'unsupported') {
      context.warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.${context.providerKey}.${key}`,
        details: `${apiName} has no such field; it was not sent`,
      })
    } else if (typeof mapping === 'string') body[mapping] = value
    else mapping(value, body)
  }
  const extra = (options as AnyChatOptions).extraBody
  for (const [field, value] of Object.entries(extra ?? {})) {
    if (context.reserved.has(field)) {
      context.warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.${context.providerKey}.extraBody.${field}`,
        details: `${field} is set by the adapter from the request; it was not replaced`,
      })
    } else body[field] = value
  }
}

function toPrediction(value: NonNullable<OpenAIProviderOptions['prediction']>): unknown {
  return {
    type: value.type,
    content:
      typeof value.content === 'string'
        ? value.content
        : value.content.map((part) => ({ type: part.type, text: part.text })),
  }
}

function toWebSearchOptions(value: NonNullable<OpenAIProviderOptions['webSearchOptions']>): unknown {
  const wire: Record<string, unknown> = {}
  if (value.searchContextSize !== undefined) wire.search_context_size = value.searchContextSize
  if (value.userLocation !== undefined) {
    const { city, country, region, timezone } = value.userLocation.approximate
    wire.user_location = {
      type: 'approximate',
      approximate: {
        ...(city === undefined ? {} : { city }),
        ...(country === undefined ? {} : { country }),
        ...(region === undefined ? {} : { region }),
        ...(timezone === undefined ? {} : { timezone }),
      },
    }
  }
  return wire
}

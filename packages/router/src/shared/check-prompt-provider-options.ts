import type { ChatRequest } from '@ql/provider'
import type { z } from 'zod/v4'
import { type ProviderOptionsContext, readProviderOptions } from './read-provider-options'

/** The options schema for each place in a prompt that can carry `providerOptions`. */
export interface PromptOptionsSchemas {
  /** Options on a message. */
  message: z.ZodType
  /** Options on a content part, by the part's type (`text`, `image`, `tool-call`, ...). */
  part: (type: string) => z.ZodType
  /** Options on a tool definition. */
  tool: z.ZodType
}

/**
 * Checks the `providerOptions[providerKey]` of every message, content part and tool of a request
 * with {@link readProviderOptions}, before anything is converted: a wrong value fails the call
 * naming its path (`messages[1].content[0].providerOptions.anthropic.cacheControl`), an unknown
 * key becomes a warning. The converters then read the same options with the same schemas.
 *
 * @throws InvalidRequestError naming each wrong field.
 */
export function checkPromptProviderOptions(
  request: ChatRequest,
  schemas: PromptOptionsSchemas,
  context: Omit<ProviderOptionsContext, 'path'>,
): void {
  const { providerKey } = context
  request.messages.forEach((message, m) => {
    if (message.providerOptions?.[providerKey] !== undefined) {
      readProviderOptions(message.providerOptions, schemas.message, {
        ...context,
        path: `messages[${m}].providerOptions`,
      })
    }
    if (typeof message.content === 'string') return
    message.content.forEach((part, p) => {
      if (part.providerOptions?.[providerKey] === undefined) return
      readProviderOptions(part.providerOptions, schemas.part(part.type), {
        ...context,
        path: `messages[${m}].content[${p}].providerOptions`,
      })
    })
  })
  request.tools?.forEach((tool, t) => {
    if (tool.providerOptions?.[providerKey] === undefined) return
    readProviderOptions(tool.providerOptions, schemas.tool, {
      ...context,
      path: `tools[${t}].providerOptions`,
    })
  })
}

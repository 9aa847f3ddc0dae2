import type { ChatRequest, ImagePart, Warning } from '@ql/provider'
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { readOpenAIImageDetail } from './openai-provider-options'
import { toOpenAIImageUrl } from './to-openai-image-url'

/**
 * Turns the request's system prompt and messages into Chat Completions messages:
 * - `system` (the field and system messages) → `{ role: 'system' }`;
 * - user text and images → `content` (a string for plain text, else `text` / `image_url` parts);
 * - assistant text and tool calls → `content` and `tool_calls` (arguments as JSON text);
 * - each tool result → its own `{ role: 'tool', tool_call_id }` message, the output as text
 *   (strings as they are, anything else as JSON).
 *
 * An image part's `providerOptions.<key>.imageDetail` (`low`, `high`, `auto`) becomes its `detail`.
 * Reasoning parts have no place in Chat Completions history; they are left out with a warning.
 * The body builder checks every `providerOptions.<key>` on messages and parts before this runs
 * (see `checkPromptProviderOptions`).
 */
export function convertToOpenAIMessages(
  request: ChatRequest,
  warnings: Warning[],
  providerKey = 'openai',
): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = []
  if (request.system !== undefined) messages.push({ role: 'system', content: request.system })
  let droppedReasoning = false
  let sentErrorFlag = false

  request.messages.forEach((message, m) => {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content })
        return
      case 'user': {
        if (typeof message.content === 'string') {
          messages.push({ role: 'user', content: message.content })
          return
        }
        const [only] = message.content
        if (message.content.length === 1 && only?.type === 'text') {
          messages.push({ role: 'user', content: only.text })
          return
        }
        const parts: ChatCompletionContentPart[] = message.content.map((part, p) =>
          part.type === 'text'
            ? { type: 'text', text: part.text }
            : {
                type: 'image_url',
                image_url: {
                  url: toOpenAIImageUrl(part, `messages[${m}].content[${p}]`),
                  ...imageDetail(part, providerKey),
                },
              },
        )
        messages.push({ role: 'user', content: parts })
        return
      }
      case 'assistant': {
        if (typeof message.content === 'string') {
          messages.push({ role: 'assistant', content: message.content })
          return
        }
        let text = ''
        const toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] =
          []
        for (const part of message.content) {
          if (part.type === 'text') text += part.text
          else if (part.type === 'tool-call') {
            toolCalls.push({
              id: part.toolCallId,
              type: 'function',
              function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) },
            })
          } else droppedReasoning = true
        }
        messages.push({
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        })
        return
      }
      case 'tool':
        for (const part of message.content) {
          if (part.isError === true) sentErrorFlag = true
          messages.push({
            role: 'tool',
            tool_call_id: part.toolCallId,
            content: typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null),
          })
        }
        return
    }
  })

  if (droppedReasoning) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'messages.content.reasoning',
      details: 'Chat Completions does not accept reasoning in history; reasoning parts were not sent',
    })
  }
  if (sentErrorFlag) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'messages.content.isError',
      details:
        'Chat Completions has no error flag for tool results; the output was sent as an ordinary result',
    })
  }
  return messages
}

function imageDetail(part: ImagePart, providerKey: string): { detail?: 'low' | 'high' | 'auto' } {
  const detail = readOpenAIImageDetail(part.providerOptions, providerKey)
  return detail === undefined ? {} : { detail }
}

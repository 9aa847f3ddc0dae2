import type {
  Base64ImageSource,
  CacheControlEphemeral,
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages'
import {
  type ImagePart,
  InvalidRequestError,
  type Message,
  type ProviderOptions,
  type ReasoningPart,
  type Warning,
} from '@ql/provider'
import { toSafeToolCallId } from '../shared/to-safe-tool-call-id'
import { readCacheControl } from './read-cache-control'

/** The Anthropic form of a conversation: a top-level system prompt and alternating turns. */
export interface AnthropicPrompt {
  system: TextBlockParam[]
  messages: MessageParam[]
  warnings: Warning[]
}

type Block = ContentBlockParam

/**
 * Converts a conversation to the Messages API:
 * - the request's `system` and the system messages before the first turn become top-level
 *   `system` blocks; a later system message stays in place as a `system` turn (API 2026-10-21);
 * - tool results go into a user turn as `tool_result` blocks, and consecutive turns of the same
 *   role are merged, as the API requires;
 * - tool-call ids outside `^[a-zA-Z0-9_-]+$` (from another provider's history) are rewritten
 *   deterministically, the same way in the call and in its result;
 * - reasoning goes back as `thinking` (with its signature) or `redacted_thinking` (its `data`);
 *   reasoning without either cannot be verified by Anthropic and is dropped with a warning;
 * - `providerOptions.anthropic.cacheControl` on a message or part sets `cache_control` on that
 *   part, or on the message's last block.
 */
export function convertToAnthropicMessages(system: string | undefined, messages: Message[]): AnthropicPrompt {
  const warnings: Warning[] = []
  const systemBlocks: TextBlockParam[] = []
  if (system !== undefined && system !== '') systemBlocks.push({ type: 'text', text: system })
  const turns: MessageParam[] = []
  let seenTurn = false

  messages.forEach((message, index) => {
    if (message.role === 'system') {
      const block: TextBlockParam = { type: 'text', text: message.content }
      withCache(block, message.providerOptions)
      // leading instructions go to the top-level prompt; later ones stay in place as system turns
      if (seenTurn) turns.push({ role: 'system', content: [block] })
      else systemBlocks.push(block)
      return
    }
    seenTurn = true
    const role = message.role === 'assistant' ? 'assistant' : 'user'
    const blocks = convertContent(message, index, warnings)
    if (blocks.length === 0) return
    const messageCache = readCacheControl(message.providerOptions)
    if (messageCache !== undefined) setCache(blocks, blocks.length - 1, messageCache)
    const last = turns.at(-1)
    if (last !== undefined && last.role === role && Array.isArray(last.content))
      (last.content as Block[]).push(...blocks)
    else turns.push({ role, content: blocks })
  })

  return { system: systemBlocks, messages: turns, warnings }
}

function convertContent(
  message: Exclude<Message, { role: 'system' }>,
  index: number,
  warnings: Warning[],
): Block[] {
  const blocks: Block[] = []
  if (typeof message.content === 'string') {
    if (message.content !== '') blocks.push({ type: 'text', text: message.content })
    return blocks
  }
  message.content.forEach((part, p) => {
    const path = `messages[${index}].content[${p}]`
    let block: Block | undefined
    switch (part.type) {
      case 'text':
        if (part.text !== '') block = { type: 'text', text: part.text }
        break
      case 'image':
        block = convertImage(part, path)
        break
      case 'reasoning':
        block = convertReasoning(part, path, warnings)
        break
      case 'tool-call':
        block = {
          type: 'tool_use',
          id: toSafeToolCallId(part.toolCallId),
          name: part.toolName,
          input: part.input ?? {},
        }
        break
      case 'tool-result':
        block = {
          type: 'tool_result',
          tool_use_id: toSafeToolCallId(part.toolCallId),
          content: typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null),
          ...(part.isError === true ? { is_error: true } : {}),
        }
        break
    }
    if (block === undefined) return
    blocks.push(block)
    const cache = readCacheControl(part.providerOptions)
    if (cache !== undefined) setCache(blocks, blocks.length - 1, cache)
  })
  return blocks
}

function convertReasoning(part: ReasoningPart, path: string, warnings: Warning[]): Block | undefined {
  if (part.data !== undefined) return { type: 'redacted_thinking', data: part.data }
  if (part.signature !== undefined)
    return { type: 'thinking', thinking: part.text, signature: part.signature }
  warnings.push({
    type: 'other',
    message: `${path}: reasoning without an Anthropic signature cannot be sent back to Anthropic and was left out`,
  })
  return undefined
}

const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

function convertImage(part: ImagePart, path: string): ImageBlockParam {
  const { image } = part
  if (typeof image === 'string' && /^https?:\/\//i.test(image))
    return { type: 'image', source: { type: 'url', url: image } }
  let data: string
  let mediaType = part.mediaType
  if (typeof image === 'string') {
    const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(image)
    if (dataUrl !== null) {
      mediaType ??= dataUrl[1]
      data = dataUrl[2] ?? ''
    } else {
      data = image
    }
  } else {
    data = Buffer.from(image).toString('base64')
  }
  if (mediaType === 'image/jpg') mediaType = 'image/jpeg'
  if (mediaType === undefined || !MEDIA_TYPES.has(mediaType)) {
    throw new InvalidRequestError({
      message: `${path}: Anthropic accepts image/jpeg, image/png, image/gif or image/webp images; set mediaType (got ${mediaType ?? 'none'})`,
      issues: [
        { path: `${path}.mediaType`, message: 'expected image/jpeg, image/png, image/gif or image/webp' },
      ],
      provider: 'anthropic',
    })
  }
  return {
    type: 'image',
    source: { type: 'base64', media_type: mediaType as Base64ImageSource['media_type'], data },
  }
}

function withCache(block: TextBlockParam, options: ProviderOptions | undefined): void {
  const cache = readCacheControl(options)
  if (cache !== undefined) block.cache_control = cache
}

function setCache(blocks: Block[], index: number, cache: CacheControlEphemeral): void {
  const block = blocks[index]
  if (block !== undefined && block.type !== 'thinking' && block.type !== 'redacted_thinking') {
    ;(block as { cache_control?: CacheControlEphemeral }).cache_control = cache
  }
}

import type {
  Message as BedrockMessage,
  ContentBlock,
  ImageFormat,
  SystemContentBlock,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime'
import {
  type ImagePart,
  InvalidRequestError,
  type Message,
  type ReasoningPart,
  UnsupportedFeatureError,
  type Warning,
} from '@ql/provider'
import { toSafeToolCallId } from '../shared/to-safe-tool-call-id'
import { readCachePoint } from './read-cache-point'

/** The Converse form of a conversation: `system` blocks and alternating user/assistant turns. */
export interface BedrockPrompt {
  system: SystemContentBlock[]
  messages: BedrockMessage[]
  warnings: Warning[]
}

/**
 * Converts a conversation to Converse:
 * - the request's `system` and every system message become `system` blocks (Converse has no
 *   system turn: a system message after the first turn is moved there, with a warning);
 * - tool results go into a user turn as `toolResult` blocks (an object as `json`, anything
 *   else as `text`), and consecutive turns of the same role are merged, as Converse requires;
 * - tool-call ids outside `^[a-zA-Z0-9_-]+$` are rewritten deterministically;
 * - reasoning goes back as `reasoningContent` (`reasoningText` with its signature, or the
 *   `redactedContent` bytes of its `data`);
 * - `providerOptions.bedrock.cachePoint` on a message or part adds a `cachePoint` block after it.
 */
export function convertToBedrockMessages(system: string | undefined, messages: Message[]): BedrockPrompt {
  const warnings: Warning[] = []
  const systemBlocks: SystemContentBlock[] = []
  if (system !== undefined && system !== '') systemBlocks.push({ text: system })
  const turns: BedrockMessage[] = []

  messages.forEach((message, index) => {
    if (message.role === 'system') {
      if (turns.length > 0) {
        warnings.push({
          type: 'other',
          message: `messages[${index}] is a system message after the conversation began; Converse takes system instructions only in \`system\`, so it was moved there`,
        })
      }
      systemBlocks.push({ text: message.content })
      const cachePoint = readCachePoint(message.providerOptions)
      if (cachePoint !== undefined) systemBlocks.push({ cachePoint })
      return
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user'
    const blocks = convertContent(message, index, warnings)
    if (blocks.length === 0) return
    const cachePoint = readCachePoint(message.providerOptions)
    if (cachePoint !== undefined) blocks.push({ cachePoint })
    const last = turns.at(-1)
    if (last !== undefined && last.role === role) last.content?.push(...blocks)
    else turns.push({ role, content: blocks })
  })

  return { system: systemBlocks, messages: turns, warnings }
}

function convertContent(
  message: Exclude<Message, { role: 'system' }>,
  index: number,
  warnings: Warning[],
): ContentBlock[] {
  const blocks: ContentBlock[] = []
  if (typeof message.content === 'string') {
    if (message.content !== '') blocks.push({ text: message.content })
    return blocks
  }
  message.content.forEach((part, p) => {
    const path = `messages[${index}].content[${p}]`
    let block: ContentBlock | undefined
    switch (part.type) {
      case 'text':
        if (part.text !== '') block = { text: part.text }
        break
      case 'image':
        block = { image: convertImage(part, path) }
        break
      case 'reasoning':
        block = convertReasoning(part, path, warnings)
        break
      case 'tool-call':
        block = {
          toolUse: {
            toolUseId: toSafeToolCallId(part.toolCallId),
            name: part.toolName,
            input: (part.input ?? {}) as NonNullable<ContentBlock.ToolUseMember['toolUse']['input']>,
          },
        }
        break
      case 'tool-result':
        block = {
          toolResult: {
            toolUseId: toSafeToolCallId(part.toolCallId),
            content: [toolResultContent(part.output)],
            ...(part.isError === true ? { status: 'error' as const } : {}),
          },
        }
        break
    }
    if (block === undefined) return
    blocks.push(block)
    const cachePoint = readCachePoint(part.providerOptions)
    if (cachePoint !== undefined) blocks.push({ cachePoint })
  })
  return blocks
}

function toolResultContent(output: unknown): ToolResultContentBlock {
  if (typeof output === 'string') return { text: output }
  if (typeof output === 'object' && output !== null && !Array.isArray(output)) {
    return { json: output as NonNullable<ToolResultContentBlock.JsonMember['json']> }
  }
  return { text: JSON.stringify(output ?? null) }
}

function convertReasoning(part: ReasoningPart, path: string, warnings: Warning[]): ContentBlock | undefined {
  if (part.data !== undefined)
    return { reasoningContent: { redactedContent: Buffer.from(part.data, 'base64') } }
  if (part.text === '') {
    warnings.push({ type: 'other', message: `${path}: empty reasoning without redacted data was left out` })
    return undefined
  }
  return {
    reasoningContent: {
      reasoningText: {
        text: part.text,
        ...(part.signature === undefined ? {} : { signature: part.signature }),
      },
    },
  }
}

const FORMATS: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
}

function convertImage(part: ImagePart, path: string): { format: ImageFormat; source: { bytes: Uint8Array } } {
  const { image } = part
  if (typeof image === 'string' && /^https?:\/\//i.test(image)) {
    throw new UnsupportedFeatureError({
      message: `${path}: Bedrock Converse takes image bytes, not URLs; download the image and pass its bytes (or a data: URL)`,
      provider: 'bedrock',
    })
  }
  let bytes: Uint8Array
  let mediaType = part.mediaType
  if (typeof image === 'string') {
    const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(image)
    if (dataUrl !== null) mediaType ??= dataUrl[1]
    bytes = Buffer.from(dataUrl === null ? image : (dataUrl[2] ?? ''), 'base64')
  } else {
    bytes = image
  }
  const format = mediaType === undefined ? undefined : FORMATS[mediaType]
  if (format === undefined) {
    throw new InvalidRequestError({
      message: `${path}: Bedrock accepts png, jpeg, gif or webp images; set mediaType (got ${mediaType ?? 'none'})`,
      issues: [
        { path: `${path}.mediaType`, message: 'expected image/png, image/jpeg, image/gif or image/webp' },
      ],
      provider: 'bedrock',
    })
  }
  return { format, source: { bytes } }
}

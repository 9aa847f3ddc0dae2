import { type ChatRequest, type ToolDefinition, toJsonSchema } from '@ql/provider'

/**
 * ASCII characters a token: o200k gives English prose 4–5 and code 3.4–4, so 3 errs high. A
 * character beyond ASCII counts as a token of its own (CJK text runs close to that).
 */
const ASCII_CHARS_PER_TOKEN = 3
const NON_ASCII = /[^\t\n\r\u0020-\u007e]/
const MESSAGE_OVERHEAD = 4
const REPLY_PRIMING = 3
const IMAGE_TOKENS = 1_000

const toolChars = new WeakMap<ToolDefinition, { inputSchema: unknown; chars: number }>()

/**
 * A quick upper-leaning estimate of a request's input tokens with no tokenizer: its ASCII
 * characters divided by 3 and one token for any other character, plus a few tokens a message
 * and 1,000 an image. It costs about a microsecond per kilobyte, so it suits rate limiting (a tokens-per-minute budget whose lease is corrected with
 * the real usage afterwards), where `countRequestTokens`' exact BPE would cost more than the
 * rest of the router. For a context-window check use `countRequestTokens`.
 */
export function estimateRequestTokens(request: ChatRequest): number {
  let chars = units(request.system ?? '')
  let overhead = REPLY_PRIMING
  for (const message of request.messages) {
    overhead += MESSAGE_OVERHEAD
    if (typeof message.content === 'string') {
      chars += units(message.content)
      continue
    }
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
        case 'reasoning':
          chars += units(part.text)
          break
        case 'image':
          overhead += IMAGE_TOKENS
          break
        case 'tool-call':
          chars += part.toolName.length + jsonLength(part.input ?? {})
          break
        case 'tool-result':
          chars += typeof part.output === 'string' ? units(part.output) : jsonLength(part.output ?? null)
          overhead += MESSAGE_OVERHEAD
          break
      }
    }
  }
  for (const tool of request.tools ?? []) chars += toolLength(tool)
  return Math.ceil(chars / ASCII_CHARS_PER_TOKEN) + overhead
}

function toolLength(tool: ToolDefinition): number {
  const cached = toolChars.get(tool)
  if (cached !== undefined && cached.inputSchema === tool.inputSchema) return cached.chars
  let schema = 0
  try {
    schema = jsonLength(toJsonSchema(tool.inputSchema))
  } catch {
    schema = 0
  }
  const chars = tool.name.length + (tool.description?.length ?? 0) + schema
  toolChars.set(tool, { inputSchema: tool.inputSchema, chars })
  return chars
}

function jsonLength(value: unknown): number {
  try {
    return units(JSON.stringify(value) ?? '')
  } catch {
    return 0
  }
}

/** Characters in units of a third of a token: an ASCII character is 1, any other one is 3. */
function units(text: string): number {
  if (!NON_ASCII.test(text)) return text.length
  let extra = 0
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) extra += 2
  return text.length + extra
}

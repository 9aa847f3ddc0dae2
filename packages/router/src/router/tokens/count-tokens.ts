import { type ChatRequest, type Message, type ToolDefinition, toJsonSchema } from '@ql/provider'
import { cachedCounter } from './cached-counter'
import { type CountText, loadEncoding } from './load-encoding'
import { type OpenAIEncodingName, openAIEncoding } from './openai-encoding'
import { formatToolsText, isExactlyFormatted } from './tool-definitions-text'

/** A request's input tokens, and whether the number is OpenAI's own count or an estimate. */
export interface TokenCount {
  /** Input tokens: messages, system prompt, tool definitions and the per-message framing. */
  tokens: number
  /**
   * True when the count is the one the provider will bill: an OpenAI chat model, text messages
   * and function tools only. False for other providers (counted with OpenAI's o200k encoding,
   * which lands near but not on their tokenizers) and for parts whose framing OpenAI does not
   * publish (images, tool calls and results in history, structured-output schemas).
   */
  exact: boolean
}

/** The model a request is counted for. */
export interface TokenCountModel {
  provider: string
  modelId: string
}

/** Tokens an image is assumed to take: OpenAI high detail at 1024×1024 (85 + 4 × 170) ... */
const OPENAI_IMAGE_TOKENS = 765
/** ... and OpenAI low detail; Anthropic and others: an image at their ~1.15 megapixel cap. */
const OPENAI_LOW_DETAIL_IMAGE_TOKENS = 85
const OTHER_IMAGE_TOKENS = 1_600

/** Every message is framed as `<|start|>{role}<|message|>{content}<|end|>`: 3 tokens besides the role. */
const MESSAGE_OVERHEAD = 3
/** Every answer is primed with `<|start|>assistant<|message|>`. */
const REPLY_PRIMING = 3
/** Function definitions are wrapped in a hidden system block. */
const TOOLS_OVERHEAD = 9
/** ... which shares its framing with the first system message when there is one. */
const TOOLS_WITH_SYSTEM_DISCOUNT = 4

const counters = new Map<OpenAIEncodingName, CountText>()

/**
 * Counts a request's input tokens before it is sent, for a context-window check.
 *
 * - OpenAI chat models (by model id: `gpt-4o*`, `gpt-4.1*`, `gpt-5*`, the o-series with o200k;
 *   `gpt-4*`, `gpt-3.5-turbo*` with cl100k) are counted with OpenAI's tokenizer
 *   (`gpt-tokenizer`) and the message framing of OpenAI's published counting (3 tokens a message,
 *   3 to prime the answer, function definitions in their hidden TypeScript-like form). For text
 *   messages and function tools the count is the one the API reports (`exact: true`); the tests
 *   check OpenAI's own published examples.
 * - Every other model is estimated with the o200k encoding and the same framing (`exact: false`):
 *   close for ordinary text, but each vendor's tokenizer differs (Claude's counts run higher).
 *   Leave a margin when you compare an estimate with a context window.
 *
 * Images count as a fixed estimate (765 tokens for OpenAI, 85 at `imageDetail: 'low'`; 1,600
 * elsewhere) since their size is not decoded. Never throws: an unknown model is estimated, a
 * tool schema that cannot be rendered counts as its JSON.
 *
 * Long texts are remembered (by content, up to 2 M characters), so re-counting a growing
 * conversation costs only its new messages. The first count of a process loads the encoding;
 * see {@link loadTokenizer}.
 *
 * @example
 * ```ts
 * const { tokens, exact } = countRequestTokens(request, { provider: 'openai', modelId: 'gpt-4o' })
 * if (tokens + (request.maxTokens ?? 0) > 128_000) { ... }
 * ```
 */
export function countRequestTokens(request: ChatRequest, model: TokenCountModel): TokenCount {
  const encoding = openAIEncoding(model.modelId)
  const counting = new RequestCounter(counterFor(encoding ?? 'o200k_base'), encoding !== undefined)
  return counting.count(request)
}

/**
 * Loads the encoding a model is counted with now, rather than on its first count (100–400 ms of
 * blocking work once per process). Call it at startup when you configure context windows.
 */
export function loadTokenizer(model: TokenCountModel): void {
  counterFor(openAIEncoding(model.modelId) ?? 'o200k_base')
}

function counterFor(name: OpenAIEncodingName): CountText {
  let counter = counters.get(name)
  if (counter === undefined) {
    counter = cachedCounter(loadEncoding(name))
    counters.set(name, counter)
  }
  return counter
}

class RequestCounter {
  exact: boolean
  private systemSeen = false
  private padSystem = false

  constructor(
    private readonly text: CountText,
    private readonly openai: boolean,
  ) {
    this.exact = openai
  }

  count(request: ChatRequest): TokenCount {
    const tools = request.tools ?? []
    this.padSystem = tools.length > 0
    let tokens = REPLY_PRIMING
    if (request.system !== undefined) tokens += this.system(request.system)
    for (const message of request.messages) tokens += this.message(message)
    if (tools.length > 0) tokens += this.tools(tools)
    tokens += this.toolChoice(request)
    tokens += this.responseFormat(request)
    return { tokens, exact: this.exact }
  }

  /** The first system message gets a newline when tools follow it (OpenAI's rendering). */
  private system(content: string): number {
    this.systemSeen = true
    let text = content
    if (this.padSystem) {
      this.padSystem = false
      if (text !== '' && !text.endsWith('\n')) text += '\n'
    }
    return MESSAGE_OVERHEAD + this.text('system') + this.text(text)
  }

  private message(message: Message): number {
    switch (message.role) {
      case 'system':
        return this.system(message.content)
      case 'user': {
        let tokens = MESSAGE_OVERHEAD + this.text('user')
        if (typeof message.content === 'string') return tokens + this.text(message.content)
        if (message.content.length !== 1) this.exact = false
        for (const part of message.content) {
          if (part.type === 'text') tokens += this.text(part.text)
          else {
            this.exact = false
            tokens += this.imageTokens(part.providerOptions)
          }
        }
        return tokens
      }
      case 'assistant': {
        let tokens = MESSAGE_OVERHEAD + this.text('assistant')
        if (typeof message.content === 'string') return tokens + this.text(message.content)
        let text = ''
        for (const part of message.content) {
          if (part.type === 'text') text += part.text
          else if (part.type === 'tool-call') {
            // OpenAI does not publish how tool calls are framed: name, arguments, 3 tokens
            this.exact = false
            tokens += this.text(part.toolName) + this.text(toJson(part.input ?? {})) + 3
          } else if (!this.openai) tokens += this.text(part.text)
          // Chat Completions drops reasoning from history, so it costs OpenAI nothing
        }
        return tokens + this.text(text)
      }
      case 'tool': {
        this.exact = false
        let tokens = 0
        for (const part of message.content) {
          const output = typeof part.output === 'string' ? part.output : toJson(part.output ?? null)
          tokens += MESSAGE_OVERHEAD + this.text('tool') + this.text(output)
        }
        return tokens
      }
    }
  }

  private imageTokens(providerOptions: Record<string, Record<string, unknown>> | undefined): number {
    if (!this.openai) return OTHER_IMAGE_TOKENS
    for (const options of Object.values(providerOptions ?? {})) {
      if (options.imageDetail === 'low') return OPENAI_LOW_DETAIL_IMAGE_TOKENS
    }
    return OPENAI_IMAGE_TOKENS
  }

  private tools(tools: readonly ToolDefinition[]): number {
    if (!tools.every(isExactlyFormatted)) this.exact = false
    let tokens = this.text(formatToolsText(tools)) + TOOLS_OVERHEAD
    if (this.systemSeen) tokens -= TOOLS_WITH_SYSTEM_DISCOUNT
    return tokens
  }

  private toolChoice(request: ChatRequest): number {
    const choice = request.toolChoice
    if (choice === undefined || choice === 'auto' || (request.tools?.length ?? 0) === 0) return 0
    if (choice === 'none') return 1
    if (choice === 'required') {
      this.exact = false
      return 0
    }
    return this.text(choice.toolName) + 4
  }

  private responseFormat(request: ChatRequest): number {
    const format = request.responseFormat
    if (format?.type !== 'json' || format.schema === undefined) return 0
    // the schema reaches the model in a form OpenAI does not publish: count its JSON
    this.exact = false
    return this.text(schemaJson(format.schema))
  }
}

const schemaTexts = new WeakMap<object, string>()

/** A response schema (zod or JSON Schema) as JSON text, converted once per schema object. */
function schemaJson(schema: object): string {
  let text = schemaTexts.get(schema)
  if (text === undefined) {
    try {
      text = toJson(toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]))
    } catch {
      text = ''
    }
    schemaTexts.set(schema, text)
  }
  return text
}

function toJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}

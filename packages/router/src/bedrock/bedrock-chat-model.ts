import {
  type BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseResponse,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime'
import {
  AuthenticationError,
  type CallOptions,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  createChatResponse,
  createChatStream,
  InvalidRequestError,
  InvalidResponseError,
  type ReasoningPart,
  runCall,
  type TextPart,
  type ToolCallPart,
  validateChatRequest,
  type Warning,
} from '@ql/provider'
import { redactCause } from '../shared/redact-cause'
import type { BedrockProviderSettings } from './bedrock-provider'
import { bedrockStreamParts } from './bedrock-stream-parts'
import { buildBedrockRequest } from './build-bedrock-request'
import { answerFromJsonTool, streamAnswerFromJsonTool } from './json-tool-answer'
import { mapBedrockError } from './map-bedrock-error'
import { mapBedrockStopReason } from './map-bedrock-stop-reason'
import { mapBedrockUsage } from './map-bedrock-usage'
import type { RecentSecrets } from './recent-secrets'

const PROVIDER = 'bedrock'

/** What a {@link BedrockChatModel} needs from its provider. */
export interface BedrockChatModelConfig {
  client: () => BedrockRuntimeClient
  settings: BedrockProviderSettings
  /** Credential values to redact from errors. */
  secrets: RecentSecrets
}

type Command = ConverseCommand | ConverseStreamCommand
type Handler = (args: { request: unknown }) => Promise<unknown>
/** The part of the SDK's middleware stack used to add per-call headers (before signing). */
interface MiddlewareStack {
  add(middleware: (next: Handler) => Handler, options: { step: 'build'; name: string }): void
}

/** A model on Amazon Bedrock behind the Converse API, as a {@link ChatModel}. */
export class BedrockChatModel implements ChatModel {
  readonly specificationVersion = 'v1'
  readonly provider = PROVIDER
  readonly modelId: string
  readonly #config: BedrockChatModelConfig

  constructor(modelId: string, config: BedrockChatModelConfig) {
    this.modelId = modelId
    this.#config = config
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const { input, warnings, jsonTool } = buildBedrockRequest(validateChatRequest(request), this.modelId)
    return runCall(
      options,
      async (signal) => {
        const client = this.#config.client()
        await this.#prepare(client)
        const command = this.#withHeaders(new ConverseCommand(input), options)
        const output = await client.send(command, { abortSignal: signal })
        return toChatResponse(output, output.$metadata.requestId, this.modelId, warnings, jsonTool)
      },
      (error) => mapBedrockError(error, { modelId: this.modelId, secrets: this.#config.secrets.list() }),
    )
  }

  stream(request: ChatRequest, options?: CallOptions): ChatStream {
    const modelId = this.modelId
    const model = this
    return createChatStream({
      provider: PROVIDER,
      modelId,
      signal: options?.signal,
      timeoutMs: options?.timeoutMs,
      mapError: (error) => mapBedrockError(error, { modelId, secrets: model.#config.secrets.list() }),
      start: async function* (signal) {
        const { input, warnings, jsonTool } = buildBedrockRequest(validateChatRequest(request), modelId)
        for (const warning of warnings) yield { type: 'warning', warning }
        const client = model.#config.client()
        await model.#prepare(client)
        const command = model.#withHeaders(new ConverseStreamCommand(input), options)
        const output = await client.send(command, { abortSignal: signal })
        if (output.$metadata.requestId !== undefined)
          yield { type: 'metadata', id: output.$metadata.requestId }
        if (output.stream === undefined) {
          throw new InvalidResponseError({
            message: 'Bedrock answered ConverseStream without a stream',
            provider: PROVIDER,
            modelId,
          })
        }
        const parts = bedrockStreamParts(output.stream)
        yield* jsonTool === undefined ? parts : streamAnswerFromJsonTool(parts, jsonTool)
      },
    })
  }

  /**
   * Checks that a region is configured, and resolves the credentials the call will be signed
   * with (the SDK caches them), so their secret parts can be redacted from any error.
   */
  async #prepare(client: BedrockRuntimeClient): Promise<void> {
    const { settings, secrets } = this.#config
    try {
      const region = client.config.region
      const value = typeof region === 'function' ? await region() : region
      if (typeof value !== 'string' || value === '') throw new Error('Region is missing')
    } catch (cause) {
      throw new InvalidRequestError({
        message: 'no AWS region for Bedrock: pass `region` in the settings or set AWS_REGION',
        provider: PROVIDER,
        modelId: this.modelId,
        cause,
      })
    }
    if (settings.apiKey !== undefined) return
    try {
      const identity = await client.config.credentials()
      secrets.add(identity.secretAccessKey, identity.sessionToken)
    } catch (cause) {
      throw new AuthenticationError({
        message: `no AWS credentials for Bedrock: pass \`credentials\` or \`apiKey\` in the settings, or configure the default credential chain (${(cause as Error).message})`,
        provider: PROVIDER,
        modelId: this.modelId,
        cause: redactCause(cause, secrets.list()),
      })
    }
  }

  #withHeaders<C extends Command>(command: C, options: CallOptions | undefined): C {
    const headers = { ...this.#config.settings.headers, ...options?.headers }
    if (Object.keys(headers).length === 0) return command
    const stack = command.middlewareStack as unknown as MiddlewareStack
    stack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> }
        if (request.headers !== undefined) Object.assign(request.headers, headers)
        return next(args)
      },
      { step: 'build', name: 'qlCallHeaders' },
    )
    return command
  }
}

function toChatResponse(
  output: ConverseResponse,
  id: string | undefined,
  modelId: string,
  requestWarnings: Warning[],
  jsonTool: string | undefined,
): ChatResponse {
  const warnings = [...requestWarnings]
  const content: (TextPart | ReasoningPart | ToolCallPart)[] = []
  const blocks: ContentBlock[] = output.output?.message?.content ?? []
  for (const block of blocks) {
    if (block.text !== undefined) content.push({ type: 'text', text: block.text })
    else if (block.toolUse !== undefined) {
      content.push({
        type: 'tool-call',
        toolCallId: block.toolUse.toolUseId ?? '',
        toolName: block.toolUse.name ?? '',
        input: block.toolUse.input ?? {},
      })
    } else if (block.reasoningContent?.reasoningText !== undefined) {
      const { text, signature } = block.reasoningContent.reasoningText
      content.push({ type: 'reasoning', text: text ?? '', ...(signature === undefined ? {} : { signature }) })
    } else if (block.reasoningContent?.redactedContent !== undefined) {
      content.push({
        type: 'reasoning',
        text: '',
        data: Buffer.from(block.reasoningContent.redactedContent).toString('base64'),
      })
    } else {
      const kind = Object.keys(block).find((key) => key !== '$unknown') ?? 'unknown'
      warnings.push({
        type: 'other',
        message: `the answer's '${kind}' block has no place in a ChatResponse and was left out`,
      })
    }
  }
  const answer =
    jsonTool === undefined
      ? { content, finishReason: mapBedrockStopReason(output.stopReason) }
      : answerFromJsonTool(content, mapBedrockStopReason(output.stopReason), jsonTool)
  return createChatResponse({
    ...answer,
    rawFinishReason: output.stopReason,
    usage: mapBedrockUsage(output.usage),
    provider: PROVIDER,
    // a prompt router reports the model it chose; otherwise the model is the one asked for
    modelId: output.trace?.promptRouter?.invokedModelId ?? modelId,
    id,
    warnings,
  })
}

import {
  type BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseResponse,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime'
import {
  AuthenticationError,
  type CallOptions,
  type ChatModel,
  type ChatResponse,
  type ChatStreamPart,
  createChatResponse,
  defineChatModel,
  InvalidRequestError,
  InvalidResponseError,
  type ReasoningPart,
  type TextPart,
  type ToolCallPart,
  type Warning,
} from '@ql/provider'
import { readResponseHeaders } from '../shared/read-response-headers'
import { redactCause } from '../shared/redact-cause'
import type { BedrockProviderSettings } from './bedrock-provider'
import { type BedrockHttpResponse, responseOf } from './bedrock-response-headers'
import { BedrockStreamParts, undecodableFrame } from './bedrock-stream-parts'
import { buildBedrockRequest } from './build-bedrock-request'
import { answerFromJsonTool, emitAnswerFromJsonTool } from './json-tool-answer'
import { mapBedrockError } from './map-bedrock-error'
import { mapBedrockStopReason } from './map-bedrock-stop-reason'
import { mapBedrockUsage } from './map-bedrock-usage'
import type { RecentSecrets } from './recent-secrets'

const PROVIDER = 'bedrock'

/** What a Bedrock chat model needs from its provider. */
export interface BedrockChatModelConfig {
  client: () => BedrockRuntimeClient
  settings: BedrockProviderSettings
  /** Credential values to redact from errors. */
  secrets: RecentSecrets
}

type Command = ConverseCommand | ConverseStreamCommand
type Handler = (args: { request: unknown }) => Promise<unknown>
/** The part of the SDK's middleware stack used to add per-call headers. */
interface MiddlewareStack {
  add(middleware: (next: Handler) => Handler, options: { step: 'build'; name: string }): void
}
/** The HTTP response of one call, as the middleware saw it. */
interface Http {
  headers?: Record<string, string>
  requestId?: string
}

/** A model on Amazon Bedrock behind the Converse API, as a {@link ChatModel}. */
export function createBedrockChatModel(modelId: string, config: BedrockChatModelConfig): ChatModel {
  return defineChatModel({
    provider: PROVIDER,
    modelId,
    prepare: (request) => buildBedrockRequest(request, modelId),
    connect: async () => {
      const client = config.client()
      await checkClient(client, config, modelId)
      return client
    },
    generate: async ({ prepared, connection, signal, options }) => {
      const command = withHeaders(new ConverseCommand(prepared.input), config.settings, options)
      const output = await connection.send(command, { abortSignal: signal })
      const http = readResponseHeaders(responseOf(prepared.input)?.headers)
      return toChatResponse(output, http, modelId, prepared.warnings, prepared.jsonTool)
    },
    stream: async ({ prepared, connection, signal, options }) => {
      const command = withHeaders(new ConverseStreamCommand(prepared.input), config.settings, options)
      const output = await connection.send(command, { abortSignal: signal })
      const response = responseOf(prepared.input)
      const http = readResponseHeaders(response?.headers)
      if (output.stream === undefined) {
        throw new InvalidResponseError({
          message: 'Bedrock answered ConverseStream without a stream',
          provider: PROVIDER,
          modelId,
        })
      }
      const parts = new BedrockStreamParts()
      const { jsonTool } = prepared
      const requestId = http.requestId ?? output.$metadata.requestId
      // in JSON-tool mode the forced tool's arguments are the answer's text (one converter per stream)
      let answer: ((part: ChatStreamPart) => void) | undefined
      const through = (emit: (part: ChatStreamPart) => void) => {
        if (jsonTool === undefined) return emit
        answer ??= emitAnswerFromJsonTool(emit, jsonTool)
        return answer
      }
      return {
        // closing the SDK's event stream does not end its HTTP request: destroying the body does
        chunks: endOnClose(output.stream, response),
        toParts: (event: ConverseStreamOutput, emit) => parts.map(event, through(emit)),
        onEnd: (emit) => parts.end(through(emit)),
        ...(http.headers === undefined ? {} : { headers: http.headers }),
        ...(requestId === undefined ? {} : { requestId }),
      }
    },
    mapError: (error) =>
      undecodableFrame(error) ?? mapBedrockError(error, { modelId, secrets: config.secrets.list() }),
  })
}

/** Until when each client's region and credentials are known good (epoch ms). */
const checkedUntil = new WeakMap<BedrockRuntimeClient, number>()

/**
 * Checks that a region is configured, and resolves the credentials the call will be signed with
 * (the SDK caches them), so their secret parts can be redacted from any error.
 */
async function checkClient(client: BedrockRuntimeClient, config: BedrockChatModelConfig, modelId: string) {
  // a client that passed holds until its credentials expire (static ones: for good)
  const until = checkedUntil.get(client)
  if (until !== undefined && until > Date.now()) return
  const { settings, secrets } = config
  try {
    const region = client.config.region
    const value = typeof region === 'function' ? await region() : region
    if (typeof value !== 'string' || value === '') throw new Error('Region is missing')
  } catch (cause) {
    throw new InvalidRequestError({
      message: 'no AWS region for Bedrock: pass `region` in the settings or set AWS_REGION',
      provider: PROVIDER,
      modelId,
      cause,
    })
  }
  if (settings.apiKey !== undefined) {
    checkedUntil.set(client, Number.POSITIVE_INFINITY) // a key function is asked by the SDK itself
    return
  }
  try {
    const identity = await client.config.credentials()
    secrets.add(identity.secretAccessKey, identity.sessionToken)
    checkedUntil.set(client, identity.expiration?.getTime() ?? Number.POSITIVE_INFINITY)
  } catch (cause) {
    throw new AuthenticationError({
      message: `no AWS credentials for Bedrock: pass \`credentials\` or \`apiKey\` in the settings, or configure the default credential chain (${(cause as Error).message})`,
      provider: PROVIDER,
      modelId,
      cause: redactCause(cause, secrets.list()),
    })
  }
}

/** Adds the settings' and the call's extra headers to the request, before it is signed. */
function withHeaders<C extends Command>(
  command: C,
  settings: BedrockProviderSettings,
  options: CallOptions,
): C {
  const headers = { ...settings.headers, ...options.headers }
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

function toChatResponse(
  output: ConverseResponse & { $metadata: { requestId?: string } },
  http: Http,
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
    id: http.requestId ?? output.$metadata.requestId,
    requestId: http.requestId ?? output.$metadata.requestId,
    headers: http.headers,
    warnings,
  })
}

/** The chunks, with `return()` (the consumer left) ending the HTTP request by destroying its body. */
function endOnClose<T>(
  chunks: AsyncIterable<T>,
  response: BedrockHttpResponse | undefined,
): AsyncIterable<T> {
  const destroy = response?.body?.destroy
  if (typeof destroy !== 'function') return chunks
  return {
    [Symbol.asyncIterator]() {
      const iterator = chunks[Symbol.asyncIterator]()
      return {
        next: () => iterator.next(),
        return: (value?: unknown) => {
          destroy.call(response?.body)
          return iterator.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined })
        },
      }
    },
  }
}

import type { CallOptions, ChatModel, ChatStream } from './chat-model'
import { toQlError } from './errors/to-ql-error'
import { relayChatStream } from './relay-chat-stream'
import type { ChatRequest } from './schemas/chat-request'
import type { ChatResponse } from './schemas/chat-response'

/** What every middleware hook is told about the call. */
export interface ChatModelMiddlewareCall {
  /** The request, after `transformRequest`. */
  request: ChatRequest
  /** The caller's options. */
  options: CallOptions
  /** The model being wrapped (the next link inward). */
  model: ChatModel
}

/**
 * A link around a {@link ChatModel}: logging, caching, guardrails, request defaults. Every hook
 * is optional; a middleware with none passes calls through unchanged.
 */
export interface ChatModelMiddleware {
  /**
   * Changes the request before the model (and `wrapGenerate`/`wrapStream`) see it, for both
   * methods. May be async; a stream is still returned at once.
   */
  transformRequest?: (
    call: Omit<ChatModelMiddlewareCall, 'request'> & { request: ChatRequest; method: 'generate' | 'stream' },
  ) => ChatRequest | Promise<ChatRequest>
  /** Wraps `generate`: call `doGenerate()` for the inner answer, or answer yourself (a cache hit). */
  wrapGenerate?: (
    call: ChatModelMiddlewareCall & { doGenerate: () => Promise<ChatResponse> },
  ) => Promise<ChatResponse>
  /**
   * Wraps `stream`: call `doStream()` for the inner stream and return it, or a relay of it
   * (`relayChatStream(doStream(), { map })`) to observe or transform its events.
   */
  wrapStream?: (call: ChatModelMiddlewareCall & { doStream: () => ChatStream }) => ChatStream
  /** The wrapped model's `provider`; defaults to the inner model's. */
  provider?: string
  /** The wrapped model's `modelId`; defaults to the inner model's. */
  modelId?: string
}

/**
 * Wraps a model in middleware, in the spirit of the AI SDK's `wrapLanguageModel`: the result is a
 * {@link ChatModel} that can stand wherever the inner one does. With several middlewares the first
 * is the outermost: it sees the request first and the answer last.
 *
 * Whatever a hook throws reaches the caller as a typed error (`toQlError`), from `generate` and
 * from `stream` alike; `stream` always returns at once, and breaking out of it cancels the inner
 * call.
 *
 * @example
 * ```ts
 * const logged = wrapChatModel(model, {
 *   wrapGenerate: async ({ doGenerate }) => {
 *     const response = await doGenerate()
 *     console.log(response.usage)
 *     return response
 *   },
 * })
 * ```
 */
export function wrapChatModel(
  model: ChatModel,
  middleware: ChatModelMiddleware | ChatModelMiddleware[],
): ChatModel {
  const links = Array.isArray(middleware) ? middleware : [middleware]
  return links.reduceRight<ChatModel>((inner, link) => wrapOnce(inner, link), model)
}

function wrapOnce(model: ChatModel, middleware: ChatModelMiddleware): ChatModel {
  const provider = middleware.provider ?? model.provider
  const modelId = middleware.modelId ?? model.modelId
  const context = { provider, modelId }

  const transform = async (
    request: ChatRequest,
    options: CallOptions,
    method: 'generate' | 'stream',
  ): Promise<ChatRequest> =>
    middleware.transformRequest === undefined
      ? request
      : middleware.transformRequest({ request, options, model, method })

  const streamFrom = (request: ChatRequest, options: CallOptions): ChatStream => {
    const doStream = () => model.stream(request, options)
    return middleware.wrapStream === undefined
      ? doStream()
      : middleware.wrapStream({ request, options, model, doStream })
  }

  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
      try {
        const transformed = await transform(request, options, 'generate')
        const doGenerate = () => model.generate(transformed, options)
        return await (middleware.wrapGenerate === undefined
          ? doGenerate()
          : middleware.wrapGenerate({ request: transformed, options, model, doGenerate }))
      } catch (error) {
        throw toQlError(error, context)
      }
    },
    stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
      if (middleware.transformRequest !== undefined) {
        return relayChatStream(
          async () => streamFrom(await transform(request, options, 'stream'), options),
          context,
        )
      }
      try {
        return streamFrom(request, options)
      } catch (error) {
        const failure = toQlError(error, context)
        return relayChatStream(() => {
          throw failure
        }, context)
      }
    },
  }
}

import {
  type Attributes,
  type Context,
  context,
  createNoopMeter,
  type Histogram,
  type Meter,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
  ValueType,
} from '@opentelemetry/api'
import { type ChatRequest, type ChatResponse, errorType, safeErrorMessage } from '@ql/provider'
import { requestContentAttributes, responseContentAttributes } from './content-attributes'
import {
  DURATION_BUCKETS,
  ERROR_TYPE,
  GEN_AI_OPERATION_NAME,
  GEN_AI_OUTPUT_TYPE,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MAX_TOKENS,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_REQUEST_SEED,
  GEN_AI_REQUEST_STOP_SEQUENCES,
  GEN_AI_REQUEST_STREAM,
  GEN_AI_REQUEST_TEMPERATURE,
  GEN_AI_REQUEST_TOP_P,
  GEN_AI_RESPONSE_FINISH_REASONS,
  GEN_AI_RESPONSE_ID,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  GEN_AI_TOKEN_TYPE,
  GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  genAiProviderName,
  METRIC_OPERATION_DURATION,
  METRIC_TIME_TO_FIRST_CHUNK,
  METRIC_TOKEN_USAGE,
  QL_ROUTER_ATTEMPT,
  QL_ROUTER_ATTEMPTS,
  QL_ROUTER_COST_USD,
  QL_ROUTER_FALLBACKS,
  QL_ROUTER_ID,
  QL_ROUTER_TARGET_ID,
  TOKEN_BUCKETS,
} from './gen-ai-attributes'

/** Where the router's spans and metrics go. */
export interface RouterTelemetryOptions {
  /** Default: `trace.getTracer('@ql/router')`, a no-op until the host registers an OTel SDK. */
  tracer?: Tracer
  /** Default: the global meter provider's `@ql/router` meter, looked up again if the host registers one later. */
  meter?: Meter
  /**
   * Record prompts, answers and tool definitions on the router's span (`gen_ai.input.messages`,
   * `gen_ai.output.messages`, `gen_ai.system_instructions`, `gen_ai.tool.definitions`). Off by
   * default: content may hold personal data. Credentials are redacted either way.
   */
  captureContent?: boolean
}

/** Creates the spans and metrics of router calls. */
export interface RouterTelemetry {
  /** A span `chat {model}` for one router call (model = the router's model id); returns a handle. */
  startCall(
    request: ChatRequest,
    info: {
      routerId: string
      operation: 'chat'
      streaming: boolean
      /** The router's model id, for the span name and `gen_ai.request.model` (default: `routerId`). */
      modelId?: string
    },
  ): CallTelemetry
}

/** One router call: its attempts, and how it ended. Ending twice is ignored. */
export interface CallTelemetry {
  /** A child span for one attempt on one target (`attempt` counts from 1 across the call). */
  startAttempt(target: { id: string; provider: string; modelId: string }, attempt: number): AttemptTelemetry
  /** The call succeeded: records the answer, usage, cost and the router facts, and the metrics. */
  end(response: ChatResponse & { attempts: number; targetId: string; fallbacks: number }): void
  /** The call failed: records `error.type`, a redacted message, and the metrics. */
  fail(error: unknown, attempts: number): void
  /** Runs `fn` with the call's span active, so spans made inside (an adapter's HTTP) nest under it. */
  withActiveSpan<T>(fn: () => T): T
}

/** One attempt on one target. Ending twice is ignored. */
export interface AttemptTelemetry {
  /** The first content event of a stream arrived (time to first chunk). */
  firstToken(): void
  /** The attempt answered. */
  end(response: ChatResponse): void
  /** The attempt failed. */
  fail(error: unknown): void
  /** Runs `fn` with the attempt's span active, so the adapter's own spans nest under it. */
  withActiveSpan<T>(fn: () => T): T
}

interface Instruments {
  duration: Histogram
  tokens: Histogram
  timeToFirstChunk: Histogram
}

const NOOP_HISTOGRAM = createNoopMeter().createHistogram('noop')
const SCOPE = '@ql/router'

/**
 * The router's OpenTelemetry, through `@opentelemetry/api` only, named by the GenAI semantic
 * conventions:
 *
 * - a span `chat {model}` per router call (kind CLIENT): `gen_ai.operation.name`,
 *   `gen_ai.provider.name` and `gen_ai.response.model` of the target that answered,
 *   `gen_ai.request.model` (the router's model id), the request settings
 *   (`gen_ai.request.max_tokens`, `temperature`, `top_p`, `seed`, `stop_sequences`, `stream`),
 *   `gen_ai.usage.input_tokens` / `output_tokens` / `cache_read.input_tokens` /
 *   `cache_creation.input_tokens` / `reasoning.output_tokens`, `gen_ai.response.finish_reasons`,
 *   `error.type`; and the router's facts under `ql.router.*` (`id`, `target.id`, `attempts`,
 *   `fallbacks`, `cost.usd`);
 * - a child span `chat {target model}` per attempt (kind INTERNAL): the target's provider and
 *   model, `ql.router.target.id`, `ql.router.attempt`, its finish reason or `error.type`. Usage
 *   is on the call's span only, so a backend that sums token usage over spans counts each
 *   answer once;
 * - metrics per call: `gen_ai.client.operation.duration` (s), `gen_ai.client.token.usage`
 *   (`gen_ai.token.type` input / output) and, for streams,
 *   `gen_ai.client.operation.time_to_first_chunk`, with the conventions' bucket advice.
 *
 * No prompt or answer text unless `captureContent`; error text is redacted
 * (`redactSecrets`) and never carries a stack. When no SDK is registered, the global API hands
 * out no-op spans and meters: nothing is built then (spans are checked with `isRecording()`,
 * instruments against the API's no-op histogram).
 */
export function createRouterTelemetry(options: RouterTelemetryOptions = {}): RouterTelemetry {
  const tracer = options.tracer ?? trace.getTracer(SCOPE)
  const captureContent = options.captureContent === true
  let instruments: Instruments | undefined
  let instrumentsFrom: unknown

  /** The histograms, or undefined when metrics are off (no SDK): made again if the provider changes. */
  const currentInstruments = (): Instruments | undefined => {
    const source = options.meter ?? metrics.getMeterProvider()
    if (source !== instrumentsFrom) {
      instrumentsFrom = source
      instruments = createInstruments(options.meter ?? metrics.getMeter(SCOPE))
    }
    return instruments
  }

  return {
    startCall(request, info) {
      return new RouterCall(tracer, currentInstruments, captureContent, request, info)
    },
  }
}

function createInstruments(meter: Meter): Instruments | undefined {
  const duration = meter.createHistogram(METRIC_OPERATION_DURATION, {
    description: 'GenAI operation duration.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  })
  if (duration === NOOP_HISTOGRAM) return undefined
  return {
    duration,
    tokens: meter.createHistogram(METRIC_TOKEN_USAGE, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      valueType: ValueType.INT,
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    timeToFirstChunk: meter.createHistogram(METRIC_TIME_TO_FIRST_CHUNK, {
      description: 'Time to receive the first chunk of a streaming response.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
  }
}

class RouterCall implements CallTelemetry {
  private readonly span: Span
  private spanContext: Context | undefined
  private readonly startedAt = performance.now()
  private readonly model: string
  private ended = false
  private firstChunkSeen = false
  private lastTarget: { id: string; provider: string } | undefined

  constructor(
    private readonly tracer: Tracer,
    private readonly instruments: () => Instruments | undefined,
    private readonly captureContent: boolean,
    request: ChatRequest,
    private readonly info: { routerId: string; operation: 'chat'; streaming: boolean; modelId?: string },
  ) {
    this.model = info.modelId ?? info.routerId
    this.span = tracer.startSpan(`${info.operation} ${this.model}`, { kind: SpanKind.CLIENT })
    if (this.span.isRecording()) {
      this.span.setAttributes(this.requestAttributes(request))
      if (captureContent) this.span.setAttributes(requestContentAttributes(request))
    }
  }

  startAttempt(target: { id: string; provider: string; modelId: string }, attempt: number): AttemptTelemetry {
    this.lastTarget = target
    // a call span that does not record (no SDK, or sampled out) would get attempt spans that do
    // not either: skip making them
    if (!this.span.isRecording()) return new UnrecordedAttempt(this)
    return new RouterAttempt(this, this.tracer, this.context(), target, attempt, this.info.operation)
  }

  /** The caller's context with the call's span in it, made when first needed. */
  context(): Context {
    this.spanContext ??= trace.setSpan(context.active(), this.span)
    return this.spanContext
  }

  /** The first chunk of the call: recorded once, measured from the start of the call. */
  firstChunk(): void {
    if (this.firstChunkSeen || this.ended) return
    this.firstChunkSeen = true
    const seconds = (performance.now() - this.startedAt) / 1000
    if (this.span.isRecording()) this.span.setAttribute(GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, seconds)
    const instruments = this.instruments()
    if (instruments !== undefined) {
      instruments.timeToFirstChunk.record(
        seconds,
        this.metricAttributes(this.lastTarget?.provider, undefined),
      )
    }
  }

  end(response: ChatResponse & { attempts: number; targetId: string; fallbacks: number }): void {
    if (this.ended) return
    this.ended = true
    const seconds = (performance.now() - this.startedAt) / 1000
    if (this.span.isRecording()) {
      const usage = response.usage
      const attributes: Attributes = {
        [GEN_AI_PROVIDER_NAME]: genAiProviderName(response.provider),
        [GEN_AI_RESPONSE_MODEL]: response.modelId,
        [GEN_AI_RESPONSE_FINISH_REASONS]: [response.finishReason],
        [GEN_AI_USAGE_INPUT_TOKENS]: usage.inputTokens,
        [GEN_AI_USAGE_OUTPUT_TOKENS]: usage.outputTokens,
        [QL_ROUTER_TARGET_ID]: response.targetId,
        [QL_ROUTER_ATTEMPTS]: response.attempts,
        [QL_ROUTER_FALLBACKS]: response.fallbacks,
      }
      if (response.id !== undefined) attributes[GEN_AI_RESPONSE_ID] = response.id
      if (usage.cachedInputTokens !== undefined)
        attributes[GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = usage.cachedInputTokens
      if (usage.cacheCreationInputTokens !== undefined) {
        attributes[GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = usage.cacheCreationInputTokens
      }
      if (usage.reasoningTokens !== undefined)
        attributes[GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = usage.reasoningTokens
      if (response.cost !== undefined) attributes[QL_ROUTER_COST_USD] = response.cost.totalCost
      this.span.setAttributes(attributes)
      if (this.captureContent) this.span.setAttributes(responseContentAttributes(response))
    }
    this.span.end()
    const instruments = this.instruments()
    if (instruments === undefined) return
    const attributes = this.metricAttributes(response.provider, response.modelId)
    attributes[QL_ROUTER_TARGET_ID] = response.targetId
    instruments.duration.record(seconds, attributes)
    instruments.tokens.record(response.usage.inputTokens, { ...attributes, [GEN_AI_TOKEN_TYPE]: 'input' })
    instruments.tokens.record(response.usage.outputTokens, { ...attributes, [GEN_AI_TOKEN_TYPE]: 'output' })
  }

  fail(error: unknown, attempts: number): void {
    if (this.ended) return
    this.ended = true
    const seconds = (performance.now() - this.startedAt) / 1000
    const type = errorType(error)
    if (this.span.isRecording()) {
      const attributes: Attributes = { [ERROR_TYPE]: type, [QL_ROUTER_ATTEMPTS]: attempts }
      if (this.lastTarget !== undefined) {
        attributes[GEN_AI_PROVIDER_NAME] = genAiProviderName(this.lastTarget.provider)
        attributes[QL_ROUTER_TARGET_ID] = this.lastTarget.id
      }
      this.span.setAttributes(attributes)
      recordFailure(this.span, type, error)
    }
    this.span.end()
    const instruments = this.instruments()
    if (instruments === undefined) return
    const attributes = this.metricAttributes(this.lastTarget?.provider, undefined)
    attributes[ERROR_TYPE] = type
    instruments.duration.record(seconds, attributes)
  }

  withActiveSpan<T>(fn: () => T): T {
    return context.with(this.context(), fn)
  }

  private requestAttributes(request: ChatRequest): Attributes {
    const attributes: Attributes = {
      [GEN_AI_OPERATION_NAME]: this.info.operation,
      [GEN_AI_REQUEST_MODEL]: this.model,
      [GEN_AI_REQUEST_STREAM]: this.info.streaming,
      [GEN_AI_OUTPUT_TYPE]: request.responseFormat?.type === 'json' ? 'json' : 'text',
      [QL_ROUTER_ID]: this.info.routerId,
    }
    if (request.maxTokens !== undefined) attributes[GEN_AI_REQUEST_MAX_TOKENS] = request.maxTokens
    if (request.temperature !== undefined) attributes[GEN_AI_REQUEST_TEMPERATURE] = request.temperature
    if (request.topP !== undefined) attributes[GEN_AI_REQUEST_TOP_P] = request.topP
    if (request.seed !== undefined) attributes[GEN_AI_REQUEST_SEED] = request.seed
    if (request.stop !== undefined) {
      attributes[GEN_AI_REQUEST_STOP_SEQUENCES] =
        typeof request.stop === 'string' ? [request.stop] : request.stop
    }
    return attributes
  }

  private metricAttributes(provider: string | undefined, responseModel: string | undefined): Attributes {
    const attributes: Attributes = {
      [GEN_AI_OPERATION_NAME]: this.info.operation,
      [GEN_AI_REQUEST_MODEL]: this.model,
    }
    if (provider !== undefined) attributes[GEN_AI_PROVIDER_NAME] = genAiProviderName(provider)
    if (responseModel !== undefined) attributes[GEN_AI_RESPONSE_MODEL] = responseModel
    return attributes
  }
}

class RouterAttempt implements AttemptTelemetry {
  private readonly span: Span
  private readonly context: Context
  private readonly startedAt = performance.now()
  private ended = false
  private firstChunkSeen = false

  constructor(
    private readonly call: RouterCall,
    tracer: Tracer,
    parent: Context,
    target: { id: string; provider: string; modelId: string },
    attempt: number,
    operation: string,
  ) {
    this.span = tracer.startSpan(`${operation} ${target.modelId}`, { kind: SpanKind.INTERNAL }, parent)
    this.context = trace.setSpan(parent, this.span)
    if (this.span.isRecording()) {
      this.span.setAttributes({
        [GEN_AI_OPERATION_NAME]: operation,
        [GEN_AI_PROVIDER_NAME]: genAiProviderName(target.provider),
        [GEN_AI_REQUEST_MODEL]: target.modelId,
        [QL_ROUTER_TARGET_ID]: target.id,
        [QL_ROUTER_ATTEMPT]: attempt,
      })
    }
  }

  firstToken(): void {
    if (this.firstChunkSeen || this.ended) return
    this.firstChunkSeen = true
    if (this.span.isRecording()) {
      this.span.setAttribute(GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, (performance.now() - this.startedAt) / 1000)
    }
    this.call.firstChunk()
  }

  end(response: ChatResponse): void {
    if (this.ended) return
    this.ended = true
    if (this.span.isRecording()) {
      const attributes: Attributes = {
        [GEN_AI_RESPONSE_MODEL]: response.modelId,
        [GEN_AI_RESPONSE_FINISH_REASONS]: [response.finishReason],
      }
      if (response.id !== undefined) attributes[GEN_AI_RESPONSE_ID] = response.id
      this.span.setAttributes(attributes)
    }
    this.span.end()
  }

  fail(error: unknown): void {
    if (this.ended) return
    this.ended = true
    if (this.span.isRecording()) {
      const type = errorType(error)
      this.span.setAttribute(ERROR_TYPE, type)
      recordFailure(this.span, type, error)
    }
    this.span.end()
  }

  withActiveSpan<T>(fn: () => T): T {
    return context.with(this.context, fn)
  }
}

/** An attempt of a call that is not recorded: only time to first chunk reaches the call's metrics. */
class UnrecordedAttempt implements AttemptTelemetry {
  constructor(private readonly call: RouterCall) {}
  firstToken(): void {
    this.call.firstChunk()
  }
  end(): void {}
  fail(): void {}
  withActiveSpan<T>(fn: () => T): T {
    return this.call.withActiveSpan(fn)
  }
}

/** Status ERROR with a redacted message, and an `exception` event without a stack. */
function recordFailure(span: Span, type: string, error: unknown): void {
  const message = safeErrorMessage(error)
  span.setStatus({ code: SpanStatusCode.ERROR, message: message === '' ? type : `${type}: ${message}` })
  span.addEvent('exception', {
    'exception.type': error instanceof Error ? error.name : type,
    'exception.message': message,
  })
}

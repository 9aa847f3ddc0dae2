import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import { errorType, safeErrorMessage } from '@ql/provider'
import { isNodeInterrupt } from '../run/interrupt'

/** The tracer @ql/agents uses when `compile({ tracer })` names none: the global one (a no-op without an SDK). */
export function defaultTracer(): Tracer {
  return trace.getTracer('@ql/agents')
}

/** Marks a span failed: `error.type` and a redacted, shortened message; never a stack or a cause. @internal */
export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return
  span.setAttribute('error.type', errorType(error))
  span.setStatus({ code: SpanStatusCode.ERROR, message: safeErrorMessage(error) })
}

/**
 * Runs `work` inside a span (the active one while it runs, so model calls and tools nest under
 * it), ending it with the outcome. With no SDK installed the span does not record and `work`
 * runs without any context switch. @internal
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  const span = tracer.startSpan(name, { kind, attributes })
  if (!span.isRecording()) {
    span.end()
    return work(span)
  }
  try {
    return await context.with(trace.setSpan(context.active(), span), () => work(span))
  } catch (error) {
    // an interrupt pauses the run; it is not a failure
    if (isNodeInterrupt(error)) span.setAttribute('ql.agents.interrupted', true)
    else failSpan(span, error)
    throw error
  } finally {
    span.end()
  }
}

import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import { isQlError, redactSecrets } from '@ql/provider'
import { isNodeInterrupt } from '../run/interrupt'

const MAX_MESSAGE_LENGTH = 500

/** The tracer @ql/agents uses when `compile({ tracer })` names none: the global one (a no-op without an SDK). */
export function defaultTracer(): Tracer {
  return trace.getTracer('@ql/agents')
}

/** `error.type`: a `QlError`'s code, else the error's own class name, else `_OTHER`. Never message text. @internal */
export function errorType(error: unknown): string {
  if (isQlError(error)) return error.code
  if (error instanceof Error && error.name !== '' && error.name !== 'Error') return error.name
  return '_OTHER'
}

/** Marks a span failed: `error.type` and a redacted, shortened message; never a stack or a cause. @internal */
export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return
  const message = redactSecrets(error instanceof Error ? error.message : String(error))
  span.setAttribute('error.type', errorType(error))
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message,
  })
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

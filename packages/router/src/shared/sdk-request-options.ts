import type { CallOptions } from '@ql/provider'

/**
 * The per-request options the `openai` and `@anthropic-ai/sdk` clients take for one call: the
 * frame's combined signal, and the caller's extra headers when there are any.
 */
export function sdkRequestOptions(
  signal: AbortSignal | undefined,
  options: CallOptions,
): { signal?: AbortSignal; headers?: Record<string, string> } {
  return {
    ...(signal === undefined ? {} : { signal }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  }
}

import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'

type Handler = (args: { input: object; request: unknown }) => Promise<{ response?: unknown }>

/** The HTTP response headers of each call, keyed by the call's command input (one object per call). */
const RESPONSE_HEADERS = new WeakMap<object, Record<string, string | undefined>>()

/**
 * Adds, once per client, a middleware that keeps each call's HTTP response headers, keyed by the
 * command's input: the SDK's output has the request id but not the headers. One middleware on the
 * client costs less than one per command.
 */
export function keepResponseHeaders(client: BedrockRuntimeClient): BedrockRuntimeClient {
  const stack = client.middlewareStack as unknown as {
    add(middleware: (next: Handler) => Handler, options: { step: 'deserialize'; name: string }): void
  }
  stack.add(
    (next) => async (args) => {
      const result = await next(args)
      const headers = (result.response as { headers?: Record<string, string | undefined> } | undefined)
        ?.headers
      if (headers !== undefined) RESPONSE_HEADERS.set(args.input, headers)
      return result
    },
    { step: 'deserialize', name: 'qlResponseHeaders' },
  )
  return client
}

/** The response headers kept for the call made with `input`, if the client keeps them. */
export function responseHeadersOf(input: object): Record<string, string | undefined> | undefined {
  return RESPONSE_HEADERS.get(input)
}

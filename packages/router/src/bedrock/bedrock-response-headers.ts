import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'

type Handler = (args: { input: object; request: unknown }) => Promise<{ response?: unknown }>

/** What a call's HTTP response was: its headers, and its body (to end the request early). */
export interface BedrockHttpResponse {
  headers?: Record<string, string | undefined>
  body?: { destroy?: () => void }
}

/** The HTTP response of each call, keyed by the call's command input (one object per call). */
const RESPONSES = new WeakMap<object, BedrockHttpResponse>()

/**
 * Adds, once per client, a middleware that keeps each call's HTTP response (headers and body),
 * keyed by the command's input: the SDK's output has the request id but not the headers, and
 * closing its event stream does not end the HTTP request (destroying the body does). One
 * middleware on the client costs less than one per command.
 */
export function keepResponseHeaders(client: BedrockRuntimeClient): BedrockRuntimeClient {
  const stack = client.middlewareStack as unknown as {
    add(middleware: (next: Handler) => Handler, options: { step: 'deserialize'; name: string }): void
  }
  stack.add(
    (next) => async (args) => {
      const result = await next(args)
      const response = result.response as BedrockHttpResponse | undefined
      if (response !== undefined) RESPONSES.set(args.input, response)
      return result
    },
    { step: 'deserialize', name: 'qlResponseHeaders' },
  )
  return client
}

/** The HTTP response kept for the call made with `input`, if the client keeps them. */
export function responseOf(input: object): BedrockHttpResponse | undefined {
  return RESPONSES.get(input)
}

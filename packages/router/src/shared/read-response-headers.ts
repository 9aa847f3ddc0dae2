import { redactHeaders } from '@ql/provider'

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-amzn-requestid', 'x-amz-request-id'] as const

/**
 * The HTTP response headers of a call as a response carries them (names lower-cased, credential
 * headers removed) and the provider's request id among them.
 */
export function readResponseHeaders(headers: Headers | Record<string, string | undefined> | undefined): {
  headers?: Record<string, string>
  requestId?: string
} {
  const clean = redactHeaders(headers)
  if (clean === undefined) return {}
  for (const name of REQUEST_ID_HEADERS) {
    const requestId = clean[name]
    if (requestId !== undefined && requestId !== '') return { headers: clean, requestId }
  }
  return { headers: clean }
}

/**
 * Patterns of credentials that must never reach an error message, a log line, a span or an
 * event, whoever wrote the text (us, an SDK, or a provider echoing a request back).
 */
const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) keys
  [/\bsk-[A-Za-z0-9_-]{8,}/g, '[REDACTED]'],
  // Authorization headers and bearer tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  // AWS access key ids
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '[REDACTED]'],
  // key=value and "key": "value" forms of well-known secret names
  [
    /((?:api[_-]?key|x-api-key|secret[_-]?access[_-]?key|session[_-]?token|access[_-]?token|password)["']?\s*[:=]\s*["']?)[^\s"',;&}]{4,}/gi,
    '$1[REDACTED]',
  ],
]

/** The text that stands where a secret was. */
export const REDACTED = '[REDACTED]'

/**
 * Replaces credentials in `text` with `[REDACTED]`: the exact `secrets` given (an adapter passes
 * the key it was configured with), and anything shaped like an API key, bearer token or AWS key.
 *
 * @param text - Any text that may end up in an error, log, span or event.
 * @param secrets - Exact values to remove; values shorter than 4 characters are ignored.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) result = result.split(secret).join(REDACTED)
  }
  if (!MAYBE_SECRET.test(result)) return result
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement)
  return result
}

/**
 * A cheap test that every text a pattern above could match passes (each pattern needs one of
 * these words): most texts (response headers, ordinary messages) skip the replacements.
 */
const MAYBE_SECRET = /sk-|bearer|basic|AKIA|ASIA|key|secret|token|password/i

/** Header names whose values are credentials or session state. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'cookie',
  'set-cookie',
  'x-amz-security-token',
  'x-goog-api-key',
])

/**
 * Copies headers without the ones that carry credentials, and with secrets redacted from the
 * values of the rest. Header names are lower-cased.
 */
export function redactHeaders(
  headers: Record<string, string | undefined> | Headers | undefined,
  secrets: readonly (string | undefined)[] = [],
): Record<string, string> | undefined {
  if (headers === undefined) return undefined
  const entries: [string, string | undefined][] =
    typeof Headers !== 'undefined' && headers instanceof Headers
      ? [...headers.entries()]
      : Object.entries(headers as Record<string, string | undefined>)
  const result: Record<string, string> = {}
  for (const [name, value] of entries) {
    const key = name.toLowerCase()
    if (value === undefined || SECRET_HEADERS.has(key)) continue
    result[key] = redactSecrets(String(value), secrets)
  }
  return result
}

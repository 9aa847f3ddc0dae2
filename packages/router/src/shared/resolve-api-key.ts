import { AuthenticationError } from '@ql/provider'

/**
 * An API key: the key itself, or a function that returns the current key (for rotation; it is
 * called before every request).
 */
export type ApiKeySource = string | (() => string | Promise<string>)

/**
 * The API key for one request: from the adapter's settings (a string or a function), else from
 * the provider's usual environment variable.
 *
 * @throws AuthenticationError when no key is found, naming the setting and the variable.
 */
export async function resolveApiKey(options: {
  apiKey: ApiKeySource | undefined
  environmentVariable: string
  provider: string
}): Promise<string> {
  const { apiKey, environmentVariable, provider } = options
  const value = typeof apiKey === 'function' ? await apiKey() : (apiKey ?? process.env[environmentVariable])
  if (typeof value !== 'string' || value.trim() === '') {
    throw new AuthenticationError({
      message: `no API key for ${provider}: pass \`apiKey\` in the settings or set ${environmentVariable}`,
      provider,
    })
  }
  return value
}

import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime'
import type { ChatModel } from '@ql/provider'
import type { ApiKeySource } from '../shared/resolve-api-key'
import { createBedrockChatModel } from './bedrock-chat-model'
import { keepResponseHeaders } from './bedrock-response-headers'
import { RecentSecrets } from './recent-secrets'

/** AWS credentials: the keys themselves, or a function that returns them (for rotation). */
export type BedrockCredentials = NonNullable<BedrockRuntimeClientConfig['credentials']>

/** Settings of {@link createBedrock}. */
export interface BedrockProviderSettings {
  /** The AWS region (default: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the SDK's profile lookup). */
  region?: string
  /** The endpoint to call instead of `https://bedrock-runtime.{region}.amazonaws.com` (a VPC endpoint, a fake). */
  baseURL?: string
  /**
   * AWS credentials; defaults to the SDK's default provider chain (environment, profile, SSO,
   * web identity, container and instance metadata).
   */
  credentials?: BedrockCredentials
  /**
   * A Bedrock API key (bearer token), or a function that returns the current one, instead of
   * SigV4 credentials. The SDK also reads `AWS_BEARER_TOKEN_BEDROCK` itself.
   */
  apiKey?: ApiKeySource
  /** Headers sent with every request (signed with it). */
  headers?: Record<string, string>
  /** The SDK's HTTP handler (default: its HTTP/2-capable Node handler). */
  requestHandler?: BedrockRuntimeClientConfig['requestHandler']
}

/** Makes Bedrock chat models. */
export interface BedrockProvider {
  /** A model by its Bedrock model id or inference profile (for example `anthropic.claude-sonnet-4-5-v1:0`). */
  chat(modelId: string): ChatModel
}

/**
 * An Amazon Bedrock provider on the official `@aws-sdk/client-bedrock-runtime` (Converse and
 * ConverseStream), with the SDK's own retries turned off (`maxAttempts: 1`): retries belong to
 * the router. The client is made on first use, so a default instance costs nothing until called.
 *
 * @example
 * ```ts
 * const model = createBedrock({ region: 'eu-west-1' }).chat('anthropic.claude-sonnet-4-5-v1:0')
 * ```
 */
export function createBedrock(settings: BedrockProviderSettings = {}): BedrockProvider {
  let client: BedrockRuntimeClient | undefined
  const secrets = new RecentSecrets()
  const getClient = () => {
    client ??= keepResponseHeaders(new BedrockRuntimeClient(clientConfig(settings, secrets)))
    return client
  }
  return {
    chat: (modelId) => createBedrockChatModel(modelId, { client: getClient, settings, secrets }),
  }
}

function clientConfig(settings: BedrockProviderSettings, secrets: RecentSecrets): BedrockRuntimeClientConfig {
  const region = settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  const config: BedrockRuntimeClientConfig = { maxAttempts: 1 }
  if (region !== undefined && region !== '') config.region = region
  if (settings.baseURL !== undefined) config.endpoint = settings.baseURL
  if (settings.credentials !== undefined) config.credentials = settings.credentials
  if (settings.requestHandler !== undefined) config.requestHandler = settings.requestHandler
  const { apiKey } = settings
  if (typeof apiKey === 'string') {
    secrets.add(apiKey)
    config.token = { token: apiKey }
    config.authSchemePreference = ['httpBearerAuth']
  } else if (apiKey !== undefined) {
    // already expired, so the SDK asks the function again before every request (rotation)
    config.token = async () => {
      const token = await apiKey()
      secrets.add(token)
      return { token, expiration: new Date(0) }
    }
    config.authSchemePreference = ['httpBearerAuth']
  }
  return config
}

/** The default provider: region and credentials from the environment and the SDK's default chain. */
export const bedrock: BedrockProvider = createBedrock()

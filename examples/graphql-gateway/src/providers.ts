// Adapted from examples/codegen-agent/src/providers.ts (examples are standalone: copied, not imported).
import type { ChatModel } from '@ql/provider'
import { createRouter, type Router, type RouterConfig } from '@ql/router'
import type { FakeProvider } from '@ql/router/testing'
import { createNodeHttpFetch } from './node-http-fetch'
import { OFFLINE_ANSWERS } from './offline-answers'

/** A router target, as the startup banner shows it. */
export interface TargetInfo {
  id: string
  provider: string
  modelId: string
  /** Where it came from: an environment variable, or the fake it talks to. */
  source: string
}

/** The router the gateway calls, and what to shut down at the end. */
export interface Providers {
  router: Router
  offline: boolean
  /** Why it runs offline, when it does. */
  offlineReason?: string
  targets: TargetInfo[]
  close(): Promise<void>
}

type Environment = Record<string, string | undefined>
type Target = RouterConfig['targets'][number]

/** Router settings for a server: one retry per target, short backoffs, bounded streams. */
const ROUTING: Omit<RouterConfig, 'targets'> = {
  retry: { maxRetriesPerTarget: 1, initialDelayMs: 100, maxDelayMs: 2_000 },
  timeouts: { totalMs: 120_000, firstTokenMs: 30_000, stallMs: 30_000 },
}

/**
 * A router over every provider that has credentials in `env`, in this order: OpenAI, Anthropic,
 * Bedrock, an OpenAI-compatible server. Each adapter (and its SDK) is loaded only when used.
 * With none, or with `offline`, the router runs over loopback fake providers instead.
 *
 * The OpenAI and Anthropic SDKs get {@link createNodeHttpFetch} as their `fetch` (a third less
 * CPU per call than Node's built-in fetch); `GATEWAY_FETCH=builtin` in `env` keeps the built-in one.
 */
export async function createProviders(
  env: Environment,
  options: { offline?: boolean } = {},
): Promise<Providers> {
  const fetch = env.GATEWAY_FETCH === 'builtin' ? undefined : createNodeHttpFetch()
  const online = options.offline ? [] : await onlineTargets(env, fetch)
  if (online.length === 0) {
    return offlineProviders(
      `OFFLINE: answering from bundled fake providers with canned answers, ${
        options.offline
          ? 'as --offline asks'
          : 'since no provider credentials are set (OPENAI_API_KEY, ANTHROPIC_API_KEY, AWS credentials, OPENAI_COMPATIBLE_BASE_URL)'
      }`,
      fetch,
    )
  }
  const router = createRouter({ ...ROUTING, targets: online.map(({ target }) => target) })
  return {
    router,
    offline: false,
    targets: online.map(({ info }) => info),
    close: async () => router.close(),
  }
}

async function onlineTargets(
  env: Environment,
  fetch: typeof globalThis.fetch | undefined,
): Promise<{ target: Target; info: TargetInfo }[]> {
  const withFetch = fetch ? { fetch } : {}
  const found: { target: Target; info: TargetInfo }[] = []
  const add = (id: string, model: ChatModel, source: string) =>
    found.push({
      target: { id, model },
      info: { id, provider: model.provider, modelId: model.modelId, source },
    })

  const apiKey = env.OPENAI_API_KEY
  if (apiKey) {
    const { createOpenAI } = await import('@ql/router/openai')
    const openai = createOpenAI({
      apiKey,
      ...withFetch,
      ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    })
    add('openai', openai.chat(env.GATEWAY_OPENAI_MODEL ?? 'gpt-4.1-mini'), 'OPENAI_API_KEY')
  }
  const anthropicKey = env.ANTHROPIC_API_KEY
  if (anthropicKey) {
    const { createAnthropic } = await import('@ql/router/anthropic')
    const anthropic = createAnthropic({
      apiKey: anthropicKey,
      ...withFetch,
      ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
    })
    add('anthropic', anthropic.chat(env.GATEWAY_ANTHROPIC_MODEL ?? 'claude-haiku-4-5'), 'ANTHROPIC_API_KEY')
  }
  const keyPair = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
  if (keyPair || env.AWS_PROFILE || env.AWS_BEARER_TOKEN_BEDROCK || env.AWS_WEB_IDENTITY_TOKEN_FILE) {
    const { createBedrock } = await import('@ql/router/bedrock')
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1'
    const bedrock = createBedrock({
      region,
      ...(env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ? { baseURL: env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME } : {}),
      ...(env.AWS_BEARER_TOKEN_BEDROCK ? { apiKey: env.AWS_BEARER_TOKEN_BEDROCK } : {}),
      ...(keyPair
        ? {
            credentials: {
              accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
              ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
            },
          }
        : {}),
    })
    const model = bedrock.chat(env.GATEWAY_BEDROCK_MODEL ?? 'us.anthropic.claude-haiku-4-5-20251001-v1:0')
    add('bedrock', model, `AWS credentials (${region})`)
  }
  if (env.OPENAI_COMPATIBLE_BASE_URL) {
    const { createOpenAICompatible } = await import('@ql/router/openai-compatible')
    const local = createOpenAICompatible({
      name: 'openai-compatible',
      baseURL: env.OPENAI_COMPATIBLE_BASE_URL,
      ...withFetch,
      ...(env.OPENAI_COMPATIBLE_API_KEY ? { apiKey: env.OPENAI_COMPATIBLE_API_KEY } : {}),
    })
    add('local', local.chat(env.OPENAI_COMPATIBLE_MODEL ?? 'llama3.2'), 'OPENAI_COMPATIBLE_BASE_URL')
  }
  return found
}

/**
 * Offline: loopback fakes from `@ql/router/testing`, reached through the real OpenAI and
 * Anthropic SDKs over HTTP. Each fake serves one kind of call and answers every request with the
 * same answer (`respond`), so concurrent requests can never get each other's answers, and keeps
 * none of them (`record: false`), so a gateway that runs for days holds no more memory for them
 * than at its start. The router sends `runGraph`'s calls to the fake for their phase
 * (`when: { metadata: { phase } }`) and everything else to the chat fake.
 */
async function offlineProviders(
  reason: string,
  fetch: typeof globalThis.fetch | undefined,
): Promise<Providers> {
  const withFetch = fetch ? { fetch } : {}
  const [{ startFakeProvider }, { createOpenAI }, { createAnthropic }] = await Promise.all([
    import('@ql/router/testing'),
    import('@ql/router/openai'),
    import('@ql/router/anthropic'),
  ])
  const [chat, write, repair] = await Promise.all([
    startFakeProvider({ protocol: 'openai', respond: () => OFFLINE_ANSWERS.chat, record: false }),
    startFakeProvider({ protocol: 'anthropic', respond: () => OFFLINE_ANSWERS.write, record: false }),
    startFakeProvider({ protocol: 'anthropic', respond: () => OFFLINE_ANSWERS.repair, record: false }),
  ])
  const fakes = [chat, write, repair]
  const chatModel = createOpenAI({ apiKey: 'offline', baseURL: chat.baseURL, ...withFetch }).chat(
    'gpt-4.1-mini',
  )
  const anthropic = (fake: FakeProvider) =>
    createAnthropic({ apiKey: 'offline', baseURL: fake.baseURL, ...withFetch }).chat('claude-haiku-4-5')
  const router = createRouter({
    ...ROUTING,
    targets: [
      { id: 'offline-write', model: anthropic(write), when: phase('write'), priority: -1 },
      { id: 'offline-repair', model: anthropic(repair), when: phase('repair'), priority: -1 },
      { id: 'offline-chat', model: chatModel },
    ],
  })
  return {
    router,
    offline: true,
    offlineReason: reason,
    targets: [
      {
        id: 'offline-chat',
        provider: 'openai',
        modelId: chatModel.modelId,
        source: `fake OpenAI at ${chat.url}`,
      },
      {
        id: 'offline-write',
        provider: 'anthropic',
        modelId: 'claude-haiku-4-5',
        source: `fake Anthropic at ${write.url}`,
      },
      {
        id: 'offline-repair',
        provider: 'anthropic',
        modelId: 'claude-haiku-4-5',
        source: `fake Anthropic at ${repair.url}`,
      },
    ],
    close: async () => {
      router.close()
      await Promise.all(fakes.map((fake) => fake.close()))
    },
  }
}

const phase = (name: string) => ({ metadata: { phase: name } })

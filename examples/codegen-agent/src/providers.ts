import type { ChatModel } from '@ql/provider'
import { wrapChatModel } from '@ql/provider'
import { createRouter, type Router, type RouterConfig } from '@ql/router'
import type { Phase } from './codegen-graph'

/** A router target as the terminal shows it. */
export interface TargetInfo {
  id: string
  provider: string
  modelId: string
  /** Where it came from: an environment variable, or "fake … (scripted to fail)". */
  source: string
}

/** The model the agent calls, the router under it, and what to shut down at the end. */
export interface Providers {
  /** What the graph calls: the router (offline: the router behind the fakes' script director). */
  model: ChatModel
  router: Router
  offline: boolean
  /** Why it runs offline, when it does. */
  offlineReason?: string
  targets: TargetInfo[]
  close(): Promise<void>
}

type Environment = Record<string, string | undefined>
type Target = RouterConfig['targets'][number]

/** Router settings for an interactive CLI: one retry per target, then the next one; short backoffs. */
const ROUTING: Omit<RouterConfig, 'targets'> = {
  retry: { maxRetriesPerTarget: 1, initialDelayMs: 200, maxDelayMs: 2_000 },
  timeouts: { firstTokenMs: 60_000, stallMs: 60_000 },
}

/**
 * A router over every provider that has credentials in `env`, in this order: OpenAI, Anthropic,
 * Bedrock, an OpenAI-compatible server. Each adapter (and its SDK) is loaded only when used.
 * With none, or with `offline`, the router runs over loopback fake providers instead.
 */
export async function createProviders(
  env: Environment,
  options: { offline: boolean; offlineDelayMs: number },
): Promise<Providers> {
  const online = options.offline ? [] : await onlineTargets(env)
  if (online.length === 0) {
    return offlineProviders(
      `OFFLINE: running against bundled fake providers with scripted answers, ${
        options.offline
          ? 'as --offline asks'
          : 'since no provider credentials are set (OPENAI_API_KEY, ANTHROPIC_API_KEY, AWS credentials, OPENAI_COMPATIBLE_BASE_URL)'
      }`,
      options.offlineDelayMs,
    )
  }
  const router = createRouter({ ...ROUTING, targets: online.map(({ target }) => target) })
  return {
    model: router,
    router,
    offline: false,
    targets: online.map(({ info }) => info),
    close: async () => router.close(),
  }
}

async function onlineTargets(env: Environment): Promise<{ target: Target; info: TargetInfo }[]> {
  const found: { target: Target; info: TargetInfo }[] = []
  const add = (id: string, model: ChatModel, source: string) =>
    found.push({
      target: { id, model },
      info: { id, provider: model.provider, modelId: model.modelId, source },
    })

  // everything comes from `env` (process.env in the CLI): keys, endpoints, models
  const apiKey = env.OPENAI_API_KEY
  if (apiKey) {
    const { createOpenAI } = await import('@ql/router/openai')
    const openai = createOpenAI({ apiKey, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) })
    add('openai', openai.chat(env.CODEGEN_OPENAI_MODEL ?? 'gpt-4.1-mini'), 'OPENAI_API_KEY')
  }
  const anthropicKey = env.ANTHROPIC_API_KEY
  if (anthropicKey) {
    const { createAnthropic } = await import('@ql/router/anthropic')
    const anthropic = createAnthropic({
      apiKey: anthropicKey,
      ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
    })
    add('anthropic', anthropic.chat(env.CODEGEN_ANTHROPIC_MODEL ?? 'claude-haiku-4-5'), 'ANTHROPIC_API_KEY')
  }
  const keyPair = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
  if (keyPair || env.AWS_PROFILE || env.AWS_BEARER_TOKEN_BEDROCK || env.AWS_WEB_IDENTITY_TOKEN_FILE) {
    const { createBedrock } = await import('@ql/router/bedrock')
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1'
    const bedrock = createBedrock({
      region,
      ...(env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ? { baseURL: env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME } : {}),
      ...(env.AWS_BEARER_TOKEN_BEDROCK ? { apiKey: env.AWS_BEARER_TOKEN_BEDROCK } : {}),
      // a key pair from `env`; otherwise the SDK's default chain (profile, SSO, web identity, …)
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
    const model = bedrock.chat(env.CODEGEN_BEDROCK_MODEL ?? 'us.anthropic.claude-haiku-4-5-20251001-v1:0')
    add('bedrock', model, `AWS credentials (${region})`)
  }
  if (env.OPENAI_COMPATIBLE_BASE_URL) {
    const { createOpenAICompatible } = await import('@ql/router/openai-compatible')
    const local = createOpenAICompatible({
      name: 'openai-compatible',
      baseURL: env.OPENAI_COMPATIBLE_BASE_URL,
      ...(env.OPENAI_COMPATIBLE_API_KEY ? { apiKey: env.OPENAI_COMPATIBLE_API_KEY } : {}),
    })
    add('local', local.chat(env.OPENAI_COMPATIBLE_MODEL ?? 'llama3.2'), 'OPENAI_COMPATIBLE_BASE_URL')
  }
  return found
}

/**
 * Offline: two loopback fakes from `@ql/router/testing`, reached through the real SDKs. The
 * first (OpenAI protocol) answers every request with HTTP 503, so the router retries it, fails
 * over, and after enough failures opens its circuit breaker; the second (Anthropic protocol)
 * answers the demo's script. The script is handed to the fake call by call, by the phase the
 * graph passes as call metadata, so a resumed run gets the answer for the step it resumes at.
 */
async function offlineProviders(reason: string, chunkDelayMs: number): Promise<Providers> {
  const [{ startFakeProvider }, { createOpenAI }, { createAnthropic }, { scriptedAnswer }] =
    await Promise.all([
      import('@ql/router/testing'),
      import('@ql/router/openai'),
      import('@ql/router/anthropic'),
      import('./offline-script'),
    ])
  const overloaded = {
    type: 'http',
    status: 503,
    message: 'The server is overloaded, try again later.',
  } as const
  const failing = await startFakeProvider({
    protocol: 'openai',
    respond: () => ({ fault: overloaded }),
    record: false,
  })
  const healthy = await startFakeProvider({ protocol: 'anthropic' })
  const primary = createOpenAI({ apiKey: 'offline-demo', baseURL: failing.baseURL }).chat('gpt-4.1-mini')
  const secondary = createAnthropic({ apiKey: 'offline-demo', baseURL: healthy.baseURL }).chat(
    'claude-haiku-4-5',
  )
  const router = createRouter({
    ...ROUTING,
    targets: [
      { id: 'openai', model: primary },
      { id: 'anthropic', model: secondary },
    ],
  })
  const model = wrapChatModel(router, {
    transformRequest: ({ request, options }) => {
      const phase = options.metadata?.phase as Phase | undefined
      if (phase !== undefined) healthy.enqueue(scriptedAnswer(phase, chunkDelayMs))
      return request
    },
  })
  return {
    model,
    router,
    offline: true,
    offlineReason: reason,
    targets: [
      {
        id: 'openai',
        provider: primary.provider,
        modelId: primary.modelId,
        source: `fake OpenAI at ${failing.url}, scripted to fail with 503`,
      },
      {
        id: 'anthropic',
        provider: secondary.provider,
        modelId: secondary.modelId,
        source: `fake Anthropic at ${healthy.url}, scripted answers`,
      },
    ],
    close: async () => {
      router.close()
      await Promise.all([failing.close(), healthy.close()])
    },
  }
}

import { inspect } from 'node:util'
import { AllTargetsFailedError, type QlError } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { createRouter, InvalidRouterConfigError, type RouterConfig } from '../src/index'
import {
  ANTHROPIC_KEY,
  AWS_SECRET,
  closeAll,
  collect,
  failure,
  fakeTarget,
  http,
  OPENAI_KEY,
  recordEvents,
  request,
} from './router-fixtures'

const model = {
  specificationVersion: 'v1' as const,
  provider: 'test',
  modelId: 'test-model',
  generate: () => Promise.reject(new Error('not called')),
  stream: () => {
    throw new Error('not called')
  },
}

function configError(config: unknown): InvalidRouterConfigError {
  try {
    createRouter(config as RouterConfig)
  } catch (error) {
    expect(InvalidRouterConfigError.isInstance(error)).toBe(true)
    return error as InvalidRouterConfigError
  }
  throw new Error('expected createRouter to throw')
}

describe('createRouter: config validation', () => {
  it.each([
    [{ targets: [] }, 'targets', 'at least one target'],
    [{ targets: [{ id: 'a', model: {} }] }, 'targets[0].model', 'ChatModel'],
    [{ targets: [{ id: '', model }] }, 'targets[0].id', 'non-empty'],
    [{ targets: [{ id: 'a', model, weight: -1 }] }, 'targets[0].weight', ''],
    [{ targets: [{ id: 'a', model, limits: { rpm: 0 } }] }, 'targets[0].limits.rpm', ''],
    [{ targets: [{ id: 'a', model, limits: { rpm: 1.5 } }] }, 'targets[0].limits.rpm', ''],
    [
      { targets: [{ id: 'a', model, pricing: { inputPerMTokens: 1 } }] },
      'targets[0].pricing.outputPerMTokens',
      '',
    ],
    [{ targets: [{ id: 'a', model }], strategy: 'fastest' }, 'strategy', "'priority'"],
    [{ targets: [{ id: 'a', model }], retry: { maxAttempts: 0 } }, 'retry.maxAttempts', ''],
    [{ targets: [{ id: 'a', model }], retry: { budget: { ratio: -1 } } }, 'retry.budget', ''],
    [
      { targets: [{ id: 'a', model }], breaker: { errorThresholdPercentage: 150 } },
      'breaker.errorThresholdPercentage',
      '',
    ],
    [{ targets: [{ id: 'a', model }], timeouts: { totalMs: -5 } }, 'timeouts.totalMs', ''],
    [{ targets: [{ id: 'a', model }], retries: 3 }, '', 'retries'],
    [
      {
        targets: [
          { id: 'a', model },
          { id: 'a', model },
        ],
      },
      'targets[1].id',
      "duplicate target id 'a'",
    ],
    [
      { targets: [{ id: 'a', model }], fallbacks: { contextWindow: ['b'] } },
      'fallbacks.contextWindow[0]',
      "no target has the id 'b'",
    ],
  ])('%j fails at createRouter, naming %s', (config, path, text) => {
    const error = configError(config)
    expect(error.code).toBe('invalid_router_config')
    expect(error.retryable).toBe(false)
    expect(error.path.startsWith(path)).toBe(true)
    expect(error.message).toContain(path)
    expect(error.message).toContain(text)
  })

  it('accepts a minimal config and reports the router as a ChatModel', () => {
    const router = createRouter({ targets: [{ id: 'a', model }] })
    expect(router.specificationVersion).toBe('v1')
    expect(router.provider).toBe('router')
    expect(router.modelId).toBe('router')
    expect(createRouter({ id: 'chat', targets: [{ id: 'a', model }] }).modelId).toBe('chat')
    router.close()
  })
})

describe('createRouter: secrets', () => {
  it('never puts an API key in errors or events, across all three providers', async () => {
    const fakes = await Promise.all([
      fakeTarget('openai', [http(401), http(500)]),
      fakeTarget('anthropic', [http(429, { 'retry-after': '0' }), http(529)]),
      fakeTarget('bedrock', [http(503), http(500)]),
    ])
    try {
      const router = createRouter({
        targets: fakes.map((fake, index) => ({ id: `t${index}`, model: fake.model })),
        retry: { maxAttempts: 6 },
        random: () => 0,
      })
      const events = recordEvents(router)
      const error = (await failure(router.generate(request))) as AllTargetsFailedError
      expect(error).toBeInstanceOf(AllTargetsFailedError)
      const streamError = await failure(collect(router.stream(request)))
      const text = [
        JSON.stringify(error),
        inspect(error, { depth: 10 }),
        JSON.stringify(streamError),
        inspect(streamError, { depth: 10 }),
        inspect(events, { depth: 10 }),
        ...events.map(([, event]) => JSON.stringify((event as { error?: QlError }).error ?? {})),
      ].join('\n')
      for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, AWS_SECRET]) expect(text).not.toContain(secret)
      // the requests did carry the keys
      expect(fakes[0]?.requests[0]?.headers.authorization).toContain(OPENAI_KEY)
      router.close()
    } finally {
      await closeAll(...fakes)
    }
  })
})

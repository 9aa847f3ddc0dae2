import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeProvider } from '@ql/router/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { createCodegenGraph } from '../src/codegen-graph'
import { createProviders } from '../src/providers'

// Loading the AWS SDK and the grammars the first time is slow on a loaded machine.
const TIMEOUT_MS = 90_000
const scratch = mkdtempSync(join(tmpdir(), 'codegen-providers-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('createProviders', () => {
  it(
    'routes over every provider with credentials in the environment, in order, and the graph runs on it',
    async () => {
      await using anthropic = await startFakeProvider({
        protocol: 'anthropic',
        script: Array.from({ length: 4 }, () => ({ fault: { type: 'http' as const, status: 529 } })),
      })
      await using bedrock = await startFakeProvider({
        protocol: 'bedrock',
        script: [
          { text: '1. src/a.ts', usage: { inputTokens: 10, outputTokens: 5 } },
          { text: '```ts src/a.ts\nexport const a = 1\n```', usage: { inputTokens: 20, outputTokens: 9 } },
        ],
      })
      await using local = await startFakeProvider({ protocol: 'openai' })
      const providers = await createProviders(
        {
          ANTHROPIC_API_KEY: 'sk-ant-test',
          ANTHROPIC_BASE_URL: anthropic.baseURL,
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-example',
          AWS_REGION: 'eu-west-1',
          AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.baseURL,
          OPENAI_COMPATIBLE_BASE_URL: local.baseURL,
          OPENAI_COMPATIBLE_MODEL: 'qwen2.5-coder',
        },
        { offline: false, offlineDelayMs: 0 },
      )
      try {
        expect(providers.offline).toBe(false)
        expect(providers.targets.map((target) => `${target.id}:${target.modelId}`)).toEqual([
          'anthropic:claude-haiku-4-5',
          'bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0',
          'local:qwen2.5-coder',
        ])
        const outDir = join(scratch, 'out')
        const graph = createCodegenGraph({ model: providers.model, router: providers.router })
        const { state } = await graph.run({ task: 'a constant', outDir })
        // Anthropic is overloaded (529): the router falls over to Bedrock, which answers both calls
        expect(state).toMatchObject({ status: 'clean', calls: 2, inputTokens: 30, outputTokens: 14 })
        expect(state.fallbacks).toBeGreaterThanOrEqual(1)
        expect(anthropic.requests.length).toBeGreaterThanOrEqual(1)
        expect(state.answeredBy).toEqual([
          'bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
          'bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
        ])
        expect(readFileSync(join(outDir, 'src/a.ts'), 'utf8')).toBe('export const a = 1\n')
        expect(
          anthropic.requests[0]?.headers['x-api-key'] ?? anthropic.requests[0]?.headers.authorization,
        ).toMatch(/sk-ant-test/)
        expect(bedrock.requests[0]?.headers.authorization).toMatch(
          /Credential=AKIDEXAMPLE\/\d+\/eu-west-1\/bedrock/,
        )
        expect(local.requests).toHaveLength(0)
      } finally {
        await providers.close()
      }
    },
    TIMEOUT_MS,
  )

  it('runs offline with no credentials, or when asked to, and says why', async () => {
    const none = await createProviders({}, { offline: false, offlineDelayMs: 0 })
    try {
      expect(none.offline).toBe(true)
      expect(none.offlineReason).toMatch(/^OFFLINE: .*no provider credentials are set/)
      expect(none.targets.map((target) => target.id)).toEqual(['openai', 'anthropic'])
    } finally {
      await none.close()
    }
    const forced = await createProviders({ OPENAI_API_KEY: 'sk-test' }, { offline: true, offlineDelayMs: 0 })
    try {
      expect(forced.offlineReason).toMatch(/as --offline asks/)
    } finally {
      await forced.close()
    }
  })
})

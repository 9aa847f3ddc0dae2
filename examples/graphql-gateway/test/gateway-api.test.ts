import { describe, expect, it } from 'vitest'
import { ApiKeyStore, generateApiKey } from '../src/api-keys'
import { createGateway } from '../src/create-gateway'
import { createProviders } from '../src/providers'
import { startGateway } from '../src/start-gateway'
import { collect, post, startTestGateway, subscribe } from './gateway-client'

// The first parse loads a grammar, and the first request loads yoga and the SDK: slow on a
// loaded machine. Nothing here waits on a clock; these bound a hung test.
const FIRST_USE_MS = 60_000
const TEST_MS = 20_000

const GENERATE = /* GraphQL */ `
  mutation ($input: GenerateInput!) {
    generate(input: $input) { text finishReason provider model usage { inputTokens outputTokens costUsd } }
  }
`
const GENERATE_STREAM = /* GraphQL */ `
  subscription ($input: GenerateInput!) {
    generate(input: $input) {
      __typename
      ... on TokenDelta { delta }
      ... on GenerationDone { generation { text usage { outputTokens } } }
    }
  }
`

describe('the gateway over HTTP', () => {
  it(
    'answers generate through the router and accounts its tokens and cost to the key',
    async () => {
      await using gw = await startTestGateway([
        { text: 'Oslo.', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 } },
      ])
      const result = await post(gw.endpoint, gw.key, GENERATE, {
        input: { prompt: 'Capital of Norway?', maxTokens: 16 },
      })
      expect(result.status).toBe(200)
      expect(result.body.data?.generate).toMatchObject({
        text: 'Oslo.',
        finishReason: 'stop',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
      })
      const cost = result.body.data?.generate.usage.costUsd
      expect(cost).toBeGreaterThan(0) // gpt-4.1-mini is in the router's pricing table
      // what went upstream: the prompt and the token limit, with the gateway's provider key
      expect(gw.fake.requests[0]?.body).toMatchObject({
        model: 'gpt-4.1-mini',
        messages: [{ role: 'user', content: 'Capital of Norway?' }],
      })

      const usage = await post(
        gw.endpoint,
        gw.key,
        '{ usage { clientId requests modelCalls inputTokens outputTokens costUsd keys { keyId requests } } }',
      )
      expect(usage.body.data?.usage).toEqual({
        clientId: 'acme',
        requests: 2, // the generate and this query
        modelCalls: 1,
        inputTokens: 1_000_000,
        outputTokens: 1_000_000,
        costUsd: cost,
        keys: [{ keyId: gw.keyId, requests: 2 }],
      })
    },
    FIRST_USE_MS,
  )

  it(
    'streams generate as server-sent events: token deltas, then the finished generation',
    async () => {
      await using gw = await startTestGateway([{ text: 'Stockholm is the capital.', chunkSize: 5 }])
      const events = await collect(
        subscribe(gw.endpoint, gw.key, GENERATE_STREAM, { input: { prompt: 'Sweden?' } }),
      )
      expect(events.at(-1)?.event).toBe('complete')
      const payloads = events.filter((e) => e.event === 'next').map((e) => e.data.data.generate)
      const deltas = payloads.filter((p) => p.__typename === 'TokenDelta').map((p) => p.delta)
      expect(deltas).toEqual(['Stock', 'holm ', 'is th', 'e cap', 'ital.'])
      expect(payloads.at(-1)).toEqual({
        __typename: 'GenerationDone',
        generation: { text: 'Stockholm is the capital.', usage: { outputTokens: expect.any(Number) } },
      })
      expect(gw.fake.requests[0]?.stream).toBe(true)
    },
    TEST_MS,
  )

  it(
    'validates and parses code with @ql/parser, and builds a repository map',
    async () => {
      await using gw = await startTestGateway()
      const invalid = await post(
        gw.endpoint,
        gw.key,
        '{ validate(code: "export const x = (1", filename: "a.ts") { language valid diagnostics { line column message } } }',
      )
      expect(invalid.body.data?.validate).toMatchObject({ language: 'typescript', valid: false })
      expect(invalid.body.data?.validate.diagnostics[0]).toMatchObject({
        line: 1,
        message: expect.stringMatching(/\(/),
      })

      const parsed = await post(
        gw.endpoint,
        gw.key,
        `query ($code: String!) { parse(code: $code, language: "python") { valid definitions { name kind line } imports { source names } } }`,
        { code: 'import os\n\ndef main():\n    return os.getcwd()\n' },
      )
      expect(parsed.body.data?.parse).toMatchObject({
        valid: true,
        definitions: [{ name: 'main', kind: 'function', line: 3 }],
        imports: [{ source: 'os' }],
      })

      const map = await post(
        gw.endpoint,
        gw.key,
        'query ($files: [SourceFileInput!]!) { repoMap(files: $files, maxTokens: 256) { text files { path } skipped { path reason } } }',
        {
          files: [
            {
              path: 'src/money.ts',
              content: 'export function formatPrice(cents: number) {\n  return cents / 100\n}\n',
            },
            {
              path: 'src/cart.ts',
              content: "import { formatPrice } from './money'\nexport const label = formatPrice(5)\n",
            },
          ],
        },
      )
      expect(map.body.data?.repoMap.text).toContain('formatPrice')
      expect(map.body.data?.repoMap.files.map((f: { path: string }) => f.path)).toContain('src/money.ts')
    },
    FIRST_USE_MS,
  )

  it(
    'runs the write-validate-repair graph offline and streams its events',
    async () => {
      // the default offline setup: the router over the bundled fakes (a draft with a syntax error, then its repair)
      const providers = await createProviders({}, { offline: true })
      const { key, hash } = generateApiKey('graph')
      const gateway = createGateway({
        model: providers.router,
        keys: new ApiKeyStore([{ keyId: 'graph', clientId: 'acme', hash }]),
      })
      await using running = await startGateway(gateway, { port: 0 })
      try {
        const events = await collect(
          subscribe(
            running.endpoint,
            key,
            `subscription { runGraph(input: { task: "slugify a title", language: "typescript" }) {
              __typename
              ... on NodeStarted { node }
              ... on CodeValidated { valid problems }
              ... on GraphToken { node delta }
              ... on GraphDone { run { status valid attempts code modelCalls diagnostics { line } usage { inputTokens outputTokens } } }
            } }`,
          ),
        )
        const payloads = events.filter((e) => e.event === 'next').map((e) => e.data.data.runGraph)
        expect(payloads.filter((p) => p.__typename === 'NodeStarted').map((p) => p.node)).toEqual([
          'write',
          'validate',
          'repair',
          'validate',
        ])
        expect(payloads.filter((p) => p.__typename === 'CodeValidated')).toEqual([
          { __typename: 'CodeValidated', valid: false, problems: 1 },
          { __typename: 'CodeValidated', valid: true, problems: 0 },
        ])
        expect(payloads.some((p) => p.__typename === 'GraphToken' && p.node === 'repair')).toBe(true)
        const done = payloads.at(-1)
        expect(done.run).toMatchObject({
          status: 'done',
          valid: true,
          attempts: 2,
          modelCalls: 2,
          diagnostics: [],
        })
        expect(done.run.code).toContain('.replace(/[^a-z0-9]+/g, "-")')
        expect(done.run.usage).toEqual({ inputTokens: 160, outputTokens: 112 })

        // the same graph as a mutation
        const mutation = await post(
          running.endpoint,
          key,
          'mutation { runGraph(input: { task: "slugify", maxAttempts: 1 }) { valid attempts diagnostics { message } } }',
        )
        expect(mutation.body.data?.runGraph).toMatchObject({ valid: false, attempts: 1 })
      } finally {
        await providers.close()
      }
    },
    FIRST_USE_MS,
  )
})

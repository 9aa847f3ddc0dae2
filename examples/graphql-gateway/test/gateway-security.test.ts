import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { ApiKeyStore, generateApiKey, hashApiKey } from '../src/api-keys'
import { keysFromConfig } from '../src/keys-file'
import { RateLimiter } from '../src/rate-limiter'
import { PROVIDER_KEY, post, startTestGateway } from './gateway-client'

const TEST_MS = 30_000
const USAGE = '{ usage { requests } }'

describe('API keys', () => {
  it(
    'rejects a request without a key, or with an unknown one, before any GraphQL work',
    async () => {
      await using gw = await startTestGateway()
      const none = await post(gw.endpoint, undefined, USAGE)
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(none.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' })
      const unknown = await post(gw.endpoint, generateApiKey().key, USAGE)
      expect(unknown.status).toBe(401)
      // an invalid query from an unknown key learns nothing about the schema
      const probing = await post(gw.endpoint, 'qlgw_x_guess', '{ notAField }')
      expect(probing.status).toBe(401)
      expect(probing.raw).not.toMatch(/notAField|Cannot query/)
      // x-api-key works as well as the Authorization header
      const viaHeader = await fetch(gw.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': gw.key },
        body: JSON.stringify({ query: USAGE }),
      })
      expect(viaHeader.status).toBe(200)
    },
    TEST_MS,
  )

  it(
    'rotates without downtime: a new key works beside the old one until the old one is revoked',
    async () => {
      await using gw = await startTestGateway()
      const made = await post(gw.endpoint, gw.key, 'mutation { createApiKey { key keyId expiresAt } }')
      const created: { key: string; keyId: string } = made.body.data?.createApiKey
      const { key: newKey, keyId: newKeyId } = created
      expect(newKey).toMatch(/^qlgw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
      // the store keeps hashes only
      expect(JSON.stringify(gw.gateway.keys.keysOf('acme'))).not.toContain(newKey)
      expect(gw.gateway.keys.keysOf('acme').map((k) => k.hash)).toContain(hashApiKey(newKey))

      expect((await post(gw.endpoint, gw.key, USAGE)).status).toBe(200)
      expect((await post(gw.endpoint, newKey, USAGE)).status).toBe(200)
      const revoked = await post(gw.endpoint, newKey, `mutation { revokeApiKey(keyId: "${gw.keyId}") }`)
      expect(revoked.body.data?.revokeApiKey).toBe(true)
      expect((await post(gw.endpoint, gw.key, USAGE)).status).toBe(401)
      const usage = await post(gw.endpoint, newKey, '{ usage { requests keys { keyId requests } } }')
      expect(usage.body.data?.usage.keys).toContainEqual({ keyId: newKeyId, requests: 3 })
      // a client cannot revoke another client's key
      const other = generateApiKey()
      gw.gateway.keys.add({ keyId: other.keyId, hash: other.hash, clientId: 'globex' })
      const refused = await post(gw.endpoint, newKey, `mutation { revokeApiKey(keyId: "${other.keyId}") }`)
      expect(refused.body.data?.revokeApiKey).toBe(false)
      expect((await post(gw.endpoint, other.key, USAGE)).status).toBe(200)
    },
    TEST_MS,
  )

  it('expires keys, refuses malformed records and reads a keys file with several keys per client', () => {
    const old = generateApiKey('acme-2025')
    const current = generateApiKey('acme-2026')
    const { keys, rateLimits } = keysFromConfig({
      clients: [
        {
          id: 'acme',
          rateLimit: { requestsPerSecond: 5, burst: 10 },
          keys: [
            { id: old.keyId, hash: old.hash, expiresAt: '2030-01-01T00:00:00Z' },
            { id: current.keyId, hash: current.hash },
          ],
        },
      ],
    })
    expect(rateLimits).toEqual({ acme: { requestsPerSecond: 5, burst: 10 } })
    expect(keys.authenticate(old.key, Date.parse('2029-12-31T23:59:59Z'))?.clientId).toBe('acme')
    expect(keys.authenticate(old.key, Date.parse('2030-01-01T00:00:00Z'))).toBeUndefined()
    expect(keys.authenticate(current.key, Date.parse('2031-01-01T00:00:00Z'))?.keyId).toBe('acme-2026')
    expect(() => keysFromConfig({ clients: [{ id: 'a', keys: [{ id: 'k', hash: 'md5:abc' }] }] })).toThrow(
      /clients\.0\.keys\.0\.hash: expected "sha256:"/,
    )
    expect(() =>
      new ApiKeyStore([{ keyId: 'k', clientId: 'a', hash: old.hash }]).add({
        keyId: 'k',
        clientId: 'a',
        hash: current.hash,
      }),
    ).toThrow(/already in use/)
    expect(() => generateApiKey('no spaces')).toThrow(/letters, digits or dashes/)
  })
})

describe('rate limits', () => {
  it(
    "answers 429 RATE_LIMITED with retry-after past a key's burst, and counts only what got through",
    async () => {
      await using gw = await startTestGateway([], {
        rateLimits: { acme: { requestsPerSecond: 0.01, burst: 2 } },
      })
      expect((await post(gw.endpoint, gw.key, USAGE)).status).toBe(200)
      expect((await post(gw.endpoint, gw.key, USAGE)).status).toBe(200)
      const limited = await post(gw.endpoint, gw.key, USAGE)
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('100')
      expect(limited.body.errors?.[0]?.extensions).toEqual({
        code: 'RATE_LIMITED',
        retryAfterMs: expect.any(Number),
      })
      expect(limited.body.errors?.[0]?.extensions?.retryAfterMs).toBeGreaterThan(90_000)
      expect(gw.gateway.ledger.usageOf('acme').requests).toBe(2)
    },
    TEST_MS,
  )

  it('refills a bucket at its rate', () => {
    const limiter = new RateLimiter()
    const limit = { requestsPerSecond: 10, burst: 1 }
    expect(limiter.take('k', limit, 0)).toEqual({ allowed: true })
    expect(limiter.take('k', limit, 50)).toEqual({ allowed: false, retryAfterMs: 50 })
    expect(limiter.take('k', limit, 100)).toEqual({ allowed: true })
    expect(limiter.take('other', limit, 100)).toEqual({ allowed: true })
  })
})

describe('errors', () => {
  it(
    "maps provider failures to UPSTREAM_UNAVAILABLE without the provider's key, body, URL or stack",
    async () => {
      const leaky = `invalid key ${PROVIDER_KEY} for org-secret at internal-host.example`
      await using gw = await startTestGateway([
        {
          fault: {
            type: 'http',
            status: 500,
            headers: { 'x-debug-token': PROVIDER_KEY },
            body: { error: { message: leaky, type: 'server_error', key: PROVIDER_KEY } },
          },
        },
        { fault: { type: 'http', status: 401, message: leaky } },
      ])
      for (let i = 0; i < 2; i++) {
        const result = await post(
          gw.endpoint,
          gw.key,
          'mutation { generate(input: { prompt: "hi" }) { text } }',
        )
        expect(result.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE')
        expect(result.body.errors?.[0]?.message).toBe(
          'The model providers could not answer; try again later.',
        )
        for (const secret of [
          PROVIDER_KEY,
          'TESTSECRET',
          'org-secret',
          'internal-host',
          gw.fake.url,
          '127.0.0.1',
          '    at ',
        ]) {
          expect(result.raw).not.toContain(secret)
        }
      }
      // the provider was really called with the key, and the gateway's log has the failure, redacted
      expect(gw.fake.requests[0]?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`)
      expect(gw.logs.length).toBeGreaterThanOrEqual(2)
      expect(gw.logs.join('\n')).not.toContain('TESTSECRET')
    },
    TEST_MS,
  )

  it(
    'turns bad arguments and oversized bodies into coded errors',
    async () => {
      await using gw = await startTestGateway()
      const tooMany = await post(
        gw.endpoint,
        gw.key,
        'mutation { generate(input: { prompt: "hi", maxTokens: 100000 }) { text } }',
      )
      expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
      const language = await post(
        gw.endpoint,
        gw.key,
        '{ validate(code: "x", language: "klingon") { valid } }',
      )
      expect(language.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
      const graph = await post(
        gw.endpoint,
        gw.key,
        'mutation { runGraph(input: { task: "t", maxAttempts: 9 }) { valid } }',
      )
      expect(graph.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
      expect(gw.fake.requests).toHaveLength(0)

      const huge = await fetch(gw.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.key}` },
        body: JSON.stringify({
          query: `{ validate(code: "${'x'.repeat(2 * 1024 * 1024)}", language: "python") { valid } }`,
        }),
      })
      expect(huge.status).toBe(413)
      expect(await huge.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] })

      // a chunked body (no Content-Length) is refused before it is read
      const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(gw.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.key}` },
        })
        req.on('response', (res) => {
          let body = ''
          res.on('data', (chunk: Buffer) => {
            body += chunk
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        })
        req.on('error', reject)
        req.write('{"query":')
        req.end('"{ usage { requests } }"}')
      })
      expect(chunked.status).toBe(411)
      expect(JSON.parse(chunked.body)).toMatchObject({
        errors: [{ extensions: { code: 'LENGTH_REQUIRED' } }],
      })
    },
    TEST_MS,
  )
})

describe('hostile queries', () => {
  it(
    'refuses deep, costly, aliased, long or multi-model operations with QUERY_TOO_COMPLEX before running them',
    async () => {
      await using gw = await startTestGateway([{ text: 'never sent' }])
      const ofType = (depth: number): string => (depth === 0 ? 'name' : `ofType { ${ofType(depth - 1)} }`)
      const hostile = {
        deep: `{ __type(name: "Query") { fields { type { ${ofType(10)} } } } }`,
        aliases: `{ ${Array.from({ length: 11 }, (_, i) => `a${i}: languages { id }`).join(' ')} }`,
        tokens: `{ languages { ${'id '.repeat(2_100)} } }`,
        models:
          'mutation { a: generate(input: { prompt: "1" }) { text } b: generate(input: { prompt: "2" }) { text } }',
        mixed: `mutation { generate(input: { prompt: "1" }) { text } runGraph(input: { task: "t" }) { valid } }`,
      }
      for (const [name, query] of Object.entries(hostile)) {
        const result = await post(gw.endpoint, gw.key, query)
        expect(result.body.errors?.[0]?.extensions?.code, name).toBe('QUERY_TOO_COMPLEX')
        expect(result.body.data ?? undefined, name).toBeUndefined()
      }
      expect(gw.fake.requests).toHaveLength(0)
      // ordinary introspection still works
      const introspection = await post(gw.endpoint, gw.key, '{ __schema { queryType { name } } }')
      expect(introspection.body.data?.__schema.queryType.name).toBe('Query')
    },
    TEST_MS,
  )
})

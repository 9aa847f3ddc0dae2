import { parseArgs } from 'node:util'
import { ApiKeyStore, generateApiKey } from './api-keys'
import { createGateway } from './create-gateway'
import { loadKeysFile } from './keys-file'
import { createProviders } from './providers'
import { startGateway } from './start-gateway'

const HELP = `graphql-gateway: a GraphQL API over the @ql packages

Usage:
  graphql-gateway [--port 4000] [--host 127.0.0.1] [--keys keys.json] [--offline]
  graphql-gateway new-key --client <id> [--key-id <id>]

Serves POST /graphql (queries, mutations; subscriptions as server-sent events with
Accept: text/event-stream). Every request needs "Authorization: Bearer <key>".

Options:
  --port      port to listen on (default: $PORT or 4000)
  --host      address to listen on (default 127.0.0.1)
  --keys      the API keys file (default: $GATEWAY_KEYS_FILE); without one a development key
              is made and printed
  --offline   use the bundled fake providers even when provider credentials are set
  --grace     seconds in-flight requests get to finish on SIGTERM/SIGINT (default 10)
  -h, --help  this text

new-key prints a new key (give it to the client; it is not stored) and the record to add to
the keys file (its hash). Rotation: add the new record beside the old one, move the client,
then give the old record an "expiresAt" or a "revokedAt".

Providers: OPENAI_API_KEY, ANTHROPIC_API_KEY, AWS credentials (Bedrock), OPENAI_COMPATIBLE_BASE_URL.
`

/** Runs the command line; resolves with the exit code once the server has stopped. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let parsed: ReturnType<typeof parseCli>
  try {
    parsed = parseCli(argv)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  if (positionals[0] === 'new-key') {
    if (!values.client) {
      process.stderr.write('new-key needs --client <id>\n')
      return 2
    }
    const made = generateApiKey(values['key-id'])
    process.stdout.write(
      `key (give it to ${values.client}; it is shown only now): ${made.key}\n` +
        `record for the keys file, under client "${values.client}":\n${JSON.stringify({ id: made.keyId, hash: made.hash })}\n`,
    )
    return 0
  }

  const keysPath = values.keys ?? env.GATEWAY_KEYS_FILE
  let keys: ApiKeyStore
  let rateLimits = {}
  let devKey: string | undefined
  if (keysPath) {
    ;({ keys, rateLimits } = await loadKeysFile(keysPath))
  } else {
    const made = generateApiKey('dev')
    keys = new ApiKeyStore([{ keyId: made.keyId, clientId: 'dev', hash: made.hash }])
    devKey = made.key
  }
  const providers = await createProviders(env, { offline: values.offline ?? false })
  const gateway = createGateway({ model: providers.router, keys, rateLimits })
  const port = Number(values.port ?? env.PORT ?? 4000)
  const running = await startGateway(gateway, { port, host: values.host ?? '127.0.0.1' })

  if (providers.offlineReason) process.stdout.write(`${providers.offlineReason}\n`)
  for (const target of providers.targets) {
    process.stdout.write(`  ${target.id}: ${target.provider} ${target.modelId} (${target.source})\n`)
  }
  process.stdout.write(`graphql-gateway listening on ${running.endpoint}\n`)
  if (devKey) {
    process.stdout.write(
      `no keys file (--keys or GATEWAY_KEYS_FILE): a development key for client "dev": ${devKey}\n`,
    )
    process.stdout.write(
      `try: curl -s ${running.endpoint} -H 'authorization: Bearer ${devKey}' -H 'content-type: application/json' -d '{"query":"mutation { generate(input: { prompt: \\"Hello\\" }) { text usage { outputTokens } } }"}'\n`,
    )
  }

  const graceMs = Number(values.grace ?? 10) * 1000
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(
        `${signal}: finishing ${running.requestsInFlight} request(s) in flight, then stopping\n`,
      )
      resolve()
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
  await running.close({ graceMs })
  await providers.close()
  process.stdout.write('stopped\n')
  return 0
}

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      keys: { type: 'string' },
      offline: { type: 'boolean' },
      grace: { type: 'string' },
      client: { type: 'string' },
      'key-id': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

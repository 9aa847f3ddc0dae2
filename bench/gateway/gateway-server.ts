// The gateway under load, as its own process (forked by run.ts), built as a user would run it:
// `createProviders` over the offline fakes in this process (BENCH_BACKEND=in-process), or over a
// fake OpenAI-compatible server in another process (BENCH_BACKEND=separate, through
// OPENAI_COMPATIBLE_BASE_URL). One API key, whose hash comes from the parent; a rate limit far
// above the load. BENCH_WORKERS > 1 runs that many gateway processes on one port (node:cluster).
import cluster from 'node:cluster'
import {
  ApiKeyStore,
  createGateway,
  createProviders,
  startGateway,
} from '../../examples/graphql-gateway/src/index'

const workers = Number(process.env.BENCH_WORKERS ?? 1)
const port = Number(process.env.BENCH_PORT ?? 0)

if (workers > 1 && cluster.isPrimary) {
  const pids: number[] = []
  let endpoint = ''
  for (let i = 0; i < workers; i++) {
    const worker = cluster.fork()
    worker.on('message', (message: { type: string; endpoint: string }) => {
      if (message.type !== 'ready') return
      pids.push(worker.process.pid as number)
      endpoint = message.endpoint
      if (pids.length === workers) process.send?.({ type: 'ready', endpoint, pids })
    })
  }
  process.on('message', (message: { type: string }) => {
    if (message.type !== 'stop') return
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send({ type: 'stop' })
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
    })
  })
} else {
  const hash = process.env.BENCH_KEY_HASH
  if (!hash) throw new Error('BENCH_KEY_HASH is not set')
  const separate = process.env.BENCH_FAKE_URL
  const fetch = { GATEWAY_FETCH: process.env.GATEWAY_FETCH }
  const providers = await createProviders(
    separate
      ? { ...fetch, OPENAI_COMPATIBLE_BASE_URL: separate, OPENAI_COMPATIBLE_MODEL: 'gpt-4.1-mini' }
      : fetch,
    { offline: !separate },
  )
  const gateway = createGateway({
    model: providers.router,
    keys: new ApiKeyStore([{ keyId: 'bench', clientId: 'bench', hash }]),
    rateLimits: { bench: { requestsPerSecond: 1_000_000, burst: 1_000_000 } },
    log: () => {}, // the requests autocannon abandons at the end of a round are cancelled: not news
  })
  // workers > 1: every worker asks for the same port; port 0 gives them one shared random port
  const running = await startGateway(gateway, { port })
  process.send?.({ type: 'ready', endpoint: running.endpoint, pids: [process.pid] })
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'stop') {
      await running.close({ graceMs: 5_000 })
      await providers.close()
      process.exit(0)
    }
  })
}

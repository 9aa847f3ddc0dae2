import type { ChatModel } from '@ql/provider'
import { GraphQLError } from 'graphql'
import { createSchema, createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga'
import { type ApiKeyRecord, ApiKeyStore } from './api-keys'
import { createCodeGraph } from './code-graph'
import { type GatewayErrorCode, toGatewayError } from './gateway-errors'
import { type QueryLimits, queryLimitPlugins } from './query-limits'
import { type RateLimit, RateLimiter } from './rate-limiter'
import { createResolvers } from './resolvers'
import { typeDefs } from './schema'
import { UsageLedger } from './usage-ledger'

/** What `createGateway` takes. */
export interface GatewayOptions {
  /** The model every operation calls: a `@ql/router` router in practice. */
  model: ChatModel
  /** The API keys (hashes only). Default: an empty store, so nothing gets in until keys are added. */
  keys?: ApiKeyStore
  /** Per-client request rate, applied to each of the client's keys (default: `defaultRateLimit`). */
  rateLimits?: Record<string, RateLimit>
  /** The rate of clients not in `rateLimits` (default 20 requests/s, bursts of 40). */
  defaultRateLimit?: RateLimit
  /** Limits on the shape of queries (depth, cost, aliases, …). */
  limits?: QueryLimits
  /** Files per `repoMap` (default 500). */
  maxRepoMapFiles?: number
  /** Where errors that are the gateway's or the providers' fault are logged (default: stderr). */
  log?: (line: string) => void
  /** The GraphQL endpoint's path (default `/graphql`). */
  graphqlEndpoint?: string
}

/**
 * A gateway: a fetch-style handler (yoga) and its parts. Serve it with `startGateway`, which
 * limits request bodies before yoga reads them (behind another server, limit them there).
 */
export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, { principal: ApiKeyRecord }>
  keys: ApiKeyStore
  ledger: UsageLedger
  /** Operations (model calls, graph runs, map builds) running now. */
  readonly operationsInFlight: number
  /** Aborts every operation in flight (the end of a shutdown's grace period): they fail with `SHUTTING_DOWN`. */
  abortInFlight(): void
}

/**
 * Builds the GraphQL gateway: graphql-yoga with the schema of `schema.ts`, API-key authentication
 * and per-key rate limits before any GraphQL work (`onRequest`), query-shape limits, usage
 * accounting, and errors masked to coded GraphQL errors that never carry a provider's message.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const keys = options.keys ?? new ApiKeyStore()
  const ledger = new UsageLedger()
  const rateLimiter = new RateLimiter()
  const defaultRate = options.defaultRateLimit ?? { requestsPerSecond: 20, burst: 40 }
  const endpoint = options.graphqlEndpoint ?? '/graphql'
  const writeLog = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const logError = (error: unknown) => writeLog(`graphql-gateway: ${describe(error)}`)
  const principals = new WeakMap<Request, ApiKeyRecord>()
  const inFlight = new Set<AbortController>()
  let stopping = false

  const operationSignal = (request: Request) => {
    const controller = new AbortController()
    const clientSignal = request.signal
    const onClientGone = () => controller.abort(clientSignal.reason)
    if (clientSignal?.aborted) controller.abort(clientSignal.reason)
    else clientSignal?.addEventListener('abort', onClientGone, { once: true })
    if (stopping) controller.abort()
    inFlight.add(controller)
    return {
      signal: controller.signal,
      release: () => {
        inFlight.delete(controller)
        clientSignal?.removeEventListener('abort', onClientGone)
      },
    }
  }

  const authPlugin: Plugin = {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint || request.method === 'OPTIONS') return
      const presented = presentedKey(request.headers)
      const principal = presented === undefined ? undefined : keys.authenticate(presented)
      if (principal === undefined) {
        return endResponse(
          errorResponse(
            fetchAPI,
            401,
            'UNAUTHENTICATED',
            'Send a valid API key: Authorization: Bearer <key>.',
            {
              'www-authenticate': 'Bearer realm="graphql-gateway"',
            },
          ),
        )
      }
      const decision = rateLimiter.take(
        principal.keyId,
        options.rateLimits?.[principal.clientId] ?? defaultRate,
      )
      if (!decision.allowed) {
        return endResponse(
          errorResponse(
            fetchAPI,
            429,
            'RATE_LIMITED',
            'Too many requests for this API key; slow down.',
            { 'retry-after': String(Math.ceil(decision.retryAfterMs / 1000)) },
            decision.retryAfterMs,
          ),
        )
      }
      ledger.countRequest(principal.clientId, principal.keyId)
      principals.set(request, principal)
    },
  }

  const resolvers = createResolvers({
    model: options.model,
    graph: createCodeGraph(options.model),
    keys,
    ledger,
    operationSignal,
    stopping: () => stopping,
    log: logError,
    maxFiles: options.maxRepoMapFiles ?? 500,
  })

  const yoga = createYoga<Record<string, unknown>, { principal: ApiKeyRecord }>({
    schema: createSchema<Record<string, unknown> & { principal: ApiKeyRecord }>({
      typeDefs,
      resolvers: resolvers as never,
    }),
    graphqlEndpoint: endpoint,
    graphiql: false,
    // startGateway limits bodies by Content-Length before reading them; yoga's own limit pipes
    // every body through a TransformStream (~5% of the CPU of a generate call) to do it again
    maxRequestBodySize: false,
    landingPage: false,
    context: ({ request }) => ({ principal: principals.get(request) as ApiKeyRecord }),
    plugins: [authPlugin, ...queryLimitPlugins(options.limits)],
    maskedErrors: { maskError: (error) => toGatewayError(error, logError), isDev: false },
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...args: unknown[]) => writeLog(`graphql-gateway: ${args.map(describe).join(' ')}`),
      // GraphQL errors are the coded answers the client gets (the failures behind them were
      // logged by toGatewayError already): only other errors are news
      error: (...args: unknown[]) => {
        if (args.some((arg) => !(arg instanceof GraphQLError))) {
          writeLog(`graphql-gateway: ${args.map(describe).join(' ')}`)
        }
      },
    },
  })

  return {
    yoga,
    keys,
    ledger,
    get operationsInFlight() {
      return inFlight.size
    },
    abortInFlight: () => {
      stopping = true
      for (const controller of inFlight) controller.abort()
    },
  }
}

/** The key from `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function presentedKey(headers: Headers): string | undefined {
  const authorization = headers.get('authorization')
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    return match?.[1]
  }
  return headers.get('x-api-key') ?? undefined
}

/** A request-level error in the GraphQL-over-HTTP shape. */
export function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  code: GatewayErrorCode,
  message: string,
  headers: Record<string, string> = {},
  retryAfterMs?: number,
): Response {
  const extensions = { code, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}

/** A log line for an error: its name, code and (already redacted, for `QlError`s) message. */
function describe(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return `${value.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${value.message}`
  }
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
}

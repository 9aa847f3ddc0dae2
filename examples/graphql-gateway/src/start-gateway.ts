import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Gateway } from './create-gateway'

/** Where and how to serve a gateway. */
export interface ServeOptions {
  /** Default 4000; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. Put a TLS-terminating proxy in front for anything beyond loopback. */
  host?: string
  /**
   * Request bodies over this many bytes get 413 (default 1 MiB), checked on `Content-Length`
   * before anything is read; bodies without a length (chunked) get 411.
   */
  maxBodyBytes?: number
}

/** A running gateway. */
export interface RunningGateway extends AsyncDisposable {
  /** `http://host:port`. */
  readonly url: string
  /** The GraphQL endpoint: `${url}/graphql`. */
  readonly endpoint: string
  /** Requests whose responses are still open (streams included). */
  readonly requestsInFlight: number
  /**
   * Graceful shutdown: stops accepting connections, answers new requests on open connections
   * with 503 `SHUTTING_DOWN`, lets the requests in flight (subscription streams included)
   * finish, and resolves once they have. Past `graceMs` (default 10 s) it aborts what is left
   * (those operations end with `SHUTTING_DOWN`) and closes every connection.
   */
  close(options?: { graceMs?: number }): Promise<void>
}

/** Serves a gateway over HTTP/1.1 on node:http. */
export async function startGateway(gateway: Gateway, options: ServeOptions = {}): Promise<RunningGateway> {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const open = new Set<ServerResponse>()
  let draining = false
  let drained: (() => void) | undefined

  const reject = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      connection: 'close',
      ...(status === 503 ? { 'retry-after': '1' } : {}),
    })
    res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }))
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (draining)
      return reject(res, 503, 'SHUTTING_DOWN', 'The gateway is shutting down; retry on another replica.')
    const length = Number(req.headers['content-length'] ?? 0)
    if (length > maxBodyBytes) {
      return reject(res, 413, 'PAYLOAD_TOO_LARGE', `Request bodies are limited to ${maxBodyBytes} bytes.`)
    }
    if (req.headers['transfer-encoding'] !== undefined) {
      // a body without a length could only be limited while it streams in: refuse it up front
      return reject(res, 411, 'LENGTH_REQUIRED', 'Send the request body with a Content-Length header.')
    }
    open.add(res)
    res.on('close', () => {
      open.delete(res)
      if (draining) {
        server.closeIdleConnections()
        if (open.size === 0) drained?.()
      }
    })
    if (draining) res.setHeader('connection', 'close')
    gateway.yoga(req, res)
  })
  // slow clients cannot hold connections forever; streams are kept alive by yoga's pings
  server.headersTimeout = 10_000
  server.requestTimeout = 0
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => resolve())
  })
  const { address, port } = server.address() as AddressInfo
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  let closing: Promise<void> | undefined

  const close = ({ graceMs = 10_000 }: { graceMs?: number } = {}) => {
    closing ??= (async () => {
      draining = true
      for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close')
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const allDone =
        open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve))
      let timer: NodeJS.Timeout | undefined
      const timedOut = await Promise.race([
        allDone.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
      ])
      clearTimeout(timer)
      if (timedOut) {
        // the grace period is over: end the operations (streams get a SHUTTING_DOWN error), then cut
        gateway.abortInFlight()
        await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, 1_000).unref())])
        server.closeAllConnections()
      }
      await closed
      await gateway.yoga.dispose()
    })()
    return closing
  }

  return {
    url,
    endpoint: `${url}${gateway.yoga.graphqlEndpoint}`,
    get requestsInFlight() {
      return open.size
    },
    close,
    [Symbol.asyncDispose]: () => close({ graceMs: 0 }),
  }
}

import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2'
import type { AddressInfo, Socket } from 'node:net'
import type { FakeProtocol, FakeRequestContext } from './fake-protocol'
import type { FakeStep, RecordedRequest } from './fake-script'

/** A running fake provider on 127.0.0.1. Dispose it with `await using` or `close()`. */
export interface FakeProvider extends AsyncDisposable {
  /** The protocol it speaks. */
  readonly protocol: FakeProtocol['name']
  /** The server origin, `http://127.0.0.1:PORT`. */
  readonly url: string
  /** What to pass as the SDK's base URL or endpoint (OpenAI: `${url}/v1`). */
  readonly baseURL: string
  /**
   * The requests received, in order, as they came over the wire: every one by default, the
   * newest `max` with `record: { max }`, none with `record: false`.
   */
  readonly requests: RecordedRequest[]
  /** How many requests the fake received, recorded or not. */
  readonly received: number
  /** Adds steps to the script; each request consumes the next one. */
  enqueue(...steps: FakeStep[]): void
  /** How many scripted steps are still waiting for a request. */
  readonly pending: number
  /** Stops the server and cuts every open connection (stalled streams included). */
  close(): Promise<void>
}

/**
 * Answers a request that no scripted step is left for: gets the request as it came over the wire
 * and its 0-based index among every request the fake received, returns the step to play.
 */
export type FakeRespond = (request: RecordedRequest, index: number) => FakeStep

/** What a fake server answers with, and what it keeps (see `StartFakeProviderOptions`). */
interface FakeServerOptions {
  script?: FakeStep[] | undefined
  respond?: FakeRespond | undefined
  record?: boolean | { max: number } | undefined
}

type AnyRequest = IncomingMessage | Http2ServerRequest
type AnyResponse = ServerResponse | Http2ServerResponse

/**
 * Starts a loopback server that speaks `protocol`, answering each request with the next scripted
 * step, or, with none left, with `options.respond`'s step. With neither it answers HTTP 500 with a
 * body that says the script ran out, so a test that makes more calls than it scripted fails loudly.
 *
 * @throws `TypeError` (the promise rejects) when `record` or `respond` has the wrong shape.
 */
export async function startFakeServer(
  protocol: FakeProtocol,
  options: FakeServerOptions = {},
): Promise<FakeProvider> {
  const { respond } = options
  if (respond !== undefined && typeof respond !== 'function') {
    throw new TypeError(`respond must be a function (request, index) => FakeStep; got ${typeof respond}`)
  }
  const keep = recordLimit(options.record)
  const queue: FakeStep[] = [...(options.script ?? [])]
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let sequence = 0
  let closed = false

  const handle = (req: AnyRequest, res: AnyResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = raw === '' ? undefined : JSON.parse(raw)
      } catch {
        body = raw
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !name.startsWith(':')) headers[name.toLowerCase()] = String(value)
      }
      const { model, stream } = protocol.describe(req.method ?? 'GET', path, body)
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers, body, stream }
      if (keep > 0) {
        if (requests.length >= keep) requests.shift()
        requests.push(recorded)
      }
      const index = sequence
      sequence += 1
      let step = queue.shift()
      if (step === undefined && respond !== undefined) {
        let problem: string | undefined
        try {
          step = respond(recorded, index)
          if (step === null || typeof step !== 'object')
            problem = `respond returned ${String(step)}, not a step`
        } catch (error) {
          problem = `respond threw: ${error instanceof Error ? error.message : String(error)}`
        }
        if (problem !== undefined) {
          send(res, { status: 500, body: { error: { message: `fake ${protocol.name} ${problem}` } } })
          return
        }
      }
      if (step === undefined) {
        send(res, {
          status: 500,
          body: {
            error: { message: `fake ${protocol.name} script exhausted at request ${index + 1}` },
          },
        })
        return
      }
      // HTTP/1.1: the response closes before it finished; HTTP/2: the stream is reset by the client
      const left = () => {
        if (!res.writableEnded) recorded.clientLeftEarly = true
      }
      res.on('close', left)
      if ('stream' in res) res.stream.on('close', left)
      play(step, res, { request: recorded, model, sequence })
    })
  }

  const send = (
    res: AnyResponse,
    response: { status: number; headers?: Record<string, string>; body: unknown },
  ) => {
    const payload =
      typeof response.body === 'string' || response.body instanceof Uint8Array
        ? response.body
        : JSON.stringify(response.body)
    ;(res as ServerResponse).writeHead(response.status, {
      'content-type': 'application/json',
      ...response.headers,
    })
    ;(res as ServerResponse).end(payload)
  }

  const destroy = (res: AnyResponse) => {
    const stream = (res as Http2ServerResponse).stream
    if (stream !== undefined && typeof stream.close === 'function')
      stream.close(2) // NGHTTP2_INTERNAL_ERROR
    else (res as ServerResponse).socket?.destroy()
  }

  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn()
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, ms)
    timers.add(timer)
  }

  const play = (step: FakeStep, res: AnyResponse, context: FakeRequestContext) => {
    if ((step.delayMs ?? 0) > 0) return later(step.delayMs ?? 0, () => playNow(step, res, context))
    playNow(step, res, context)
  }

  const playNow = (step: FakeStep, res: AnyResponse, context: FakeRequestContext) => {
    if (closed) return
    const fault = step.fault
    if (fault?.type === 'http') return send(res, protocol.renderHttpError(fault, context))
    const afterChunks = fault !== undefined && 'afterChunks' in fault ? (fault.afterChunks ?? 0) : 0
    if (!context.request.stream) {
      if (fault === undefined) return send(res, protocol.renderAnswer(step, context))
      if (fault.type === 'reset') return destroy(res)
      if (fault.type === 'stall') return // never answer; close() cuts the connection
      const full = protocol.renderAnswer(step, context)
      const text = typeof full.body === 'string' ? full.body : JSON.stringify(full.body)
      if (fault.type === 'malformed') return send(res, { ...full, body: `${text.slice(0, -1)},}` })
      if (fault.type === 'truncate')
        return send(res, { ...full, body: text.slice(0, Math.floor(text.length / 2)) })
      return send(
        res,
        protocol.renderHttpError({ type: 'http', status: 500, message: fault.message ?? 'error' }, context),
      )
    }
    if (fault?.type === 'reset' && afterChunks === 0) return destroy(res)
    const frames = protocol.renderStream(step, context)
    // a fault scripted past the last frame fires in place of the end of the stream
    const faultAt = Math.min(afterChunks, frames.length)
    ;(res as ServerResponse).writeHead(200, {
      'content-type': protocol.streamContentType,
      ...protocol.streamHeaders(context),
      ...step.headers,
    })
    const delay = step.chunkDelayMs ?? 0
    // a reset waits until the frames before it are flushed to the socket, else destroying the
    // socket discards them and the client never sees the deltas that preceded the reset
    let flushed: Promise<void> = Promise.resolve()
    const next = (index: number) => {
      if (closed) return
      if (fault !== undefined && index === faultAt) {
        switch (fault.type) {
          case 'reset':
            return void flushed.then(() => destroy(res))
          case 'stall':
            return
          case 'malformed':
            ;(res as ServerResponse).write(protocol.renderMalformedFrame(context))
            return (res as ServerResponse).end()
          case 'truncate':
            return (res as ServerResponse).end()
          case 'error-event':
            ;(res as ServerResponse).write(protocol.renderErrorEvent(fault, context))
            return (res as ServerResponse).end()
        }
      }
      const frame = frames[index]
      if (frame === undefined) return (res as ServerResponse).end()
      flushed = new Promise((resolve) => (res as ServerResponse).write(frame, () => resolve()))
      later(delay, () => next(index + 1))
    }
    next(0)
  }

  const server = protocol.http2 ? createHttp2Server(handle) : createHttpServer(handle)
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`

  const close = async () => {
    if (closed) return
    closed = true
    for (const timer of timers) clearTimeout(timer)
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  return {
    protocol: protocol.name,
    url,
    baseURL: protocol.baseURL(url),
    requests,
    get received() {
      return sequence
    },
    enqueue: (...steps) => {
      queue.push(...steps)
    },
    get pending() {
      return queue.length
    },
    close,
    [Symbol.asyncDispose]: close,
  }
}

/** How many requests to keep: all (`true`, the default), none (`false`), or the newest `max`. */
function recordLimit(record: FakeServerOptions['record']): number {
  if (record === undefined || record === true) return Number.POSITIVE_INFINITY
  if (record === false) return 0
  const max = typeof record === 'object' && record !== null ? record.max : undefined
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) {
    throw new TypeError(
      `record must be true, false or { max } with max a non-negative integer; got ${JSON.stringify(record)}`,
    )
  }
  return max
}

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { discovery, toTable } from './discovery'
import { FakeJobController, type PropagationPolicy } from './fake-job-controller'
import {
  type FakeObject,
  type FakeResource,
  FakeStore,
  notFound,
  RESOURCES,
  StatusError,
  type StoreEvent,
} from './fake-store'
import { parseFieldSelector, parseLabelSelector } from './selectors'

/** Options of {@link startFakeCluster}. */
export interface FakeClusterOptions {
  /** The bearer token clients must send (default `fake-token`). */
  token?: string
  /**
   * Also accept requests without credentials (a wrong token is still refused). kubectl sends no
   * bearer token over plain HTTP, so a kubectl test needs this (default false).
   */
  anonymous?: boolean
  /** How many changes the cluster remembers for watches to resume from (default 10,000). */
  historyLimit?: number
  /** How often a watch that asked for bookmarks gets one, in ms (default 1,000; 0: never on a timer). */
  bookmarkIntervalMs?: number
  /** Images whose pull fails, so their pods end in ImagePullBackOff (default: none). */
  imagePullFails?: (image: string) => boolean
  /** Environment added to every pod process (the image's own environment, in a real cluster). */
  podEnv?: Record<string, string>
  /**
   * Serve HTTPS, as a real API server does, with a self-signed certificate for 127.0.0.1 made at
   * start by the `openssl` command (which must be on the PATH); `kubeConfig()` then trusts it as
   * the cluster's CA instead of skipping verification (default false: plain HTTP).
   */
  https?: boolean
}

/** Connections the fake cluster accepted, for tests that check how clients reuse them. */
export interface FakeConnectionStats {
  /** TCP connections accepted. */
  accepted: number
  /** TLS handshakes completed (HTTPS mode only). */
  handshakes: number
  /** Connections open now. */
  open: number
}

/** One API request the fake cluster served. */
export interface FakeRequest {
  method: string
  path: string
  /** `create`, `get`, `list`, `watch`, `delete`, `log`, `discovery` or `other`. */
  verb: string
  resource?: FakeResource
  status: number
}

/** A running fake cluster. Dispose it (`await using`, or `close()`) to stop every pod process. */
export interface FakeCluster {
  /** `http://127.0.0.1:PORT` (`https://` in HTTPS mode). */
  readonly url: string
  /** The PEM certificate the cluster serves in HTTPS mode (its own CA), else undefined. */
  readonly certificate: string | undefined
  /** The bearer token the cluster accepts. */
  readonly token: string
  /** A `KubeConfig` for `@kubernetes/client-node` that points at this cluster. */
  kubeConfig(namespace?: string): KubeConfig
  /** Writes a kubeconfig file for `kubectl --kubeconfig FILE`; returns its path. */
  writeKubeconfig(file: string, namespace?: string): string
  /** The stored objects of a resource (all namespaces unless one is given). */
  list(resource: FakeResource, namespace?: string): FakeObject[]
  get(resource: FakeResource, namespace: string, name: string): FakeObject | undefined
  /** Stores an object directly, as `kubectl create` would (for Secrets a test needs). */
  create(resource: FakeResource, namespace: string, object: FakeObject): FakeObject
  /** Every request served, in order. */
  readonly requests: readonly FakeRequest[]
  /** Forgets the requests served so far (and the connection counts, but not the open ones). */
  resetRequests(): void
  /** Connections accepted and TLS handshakes completed since the start or the last reset. */
  readonly connections: FakeConnectionStats
  /** How many times a pod process was started for each Job, by job name. */
  readonly processStarts: ReadonlyMap<string, number>
  /** The log of a pod (all it wrote), or undefined if it never ran. */
  podLog(namespace: string, pod: string): string | undefined
  /** Kills a running pod the way the OOM killer does (reason OOMKilled). */
  oomKill(namespace: string, pod: string): boolean
  /** Evicts a pod (phase Failed, reason Evicted). */
  evict(namespace: string, pod: string): boolean
  /** Forgets the change history: a watch resumed from an older resource version gets 410 Gone. */
  expireWatchHistory(): void
  /** Ends every open watch stream, as an API server restart would. */
  dropWatches(): void
  /** Sends a bookmark on every open watch that asked for them. */
  sendBookmarks(): void
  /** How many watch streams are open. */
  readonly openWatches: number
  /**
   * Resolves once `predicate` holds, checking now, after every change to the cluster's objects and
   * after every request served;
   * rejects after `timeoutMs` (default 60,000) with `message`.
   */
  waitFor(predicate: () => boolean, options?: { timeoutMs?: number; message?: string }): Promise<void>
  /** Resolves when no pod start, exit or garbage collection is in flight. */
  settled(): Promise<void>
  close(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

interface OpenWatch {
  response: ServerResponse
  bookmarks: boolean
  resource: FakeResource
  send(event: StoreEvent): void
  bookmark(): void
  end(): void
}

/**
 * Starts a loopback HTTP server that speaks the Kubernetes REST API the `@ql/k8s-runner`
 * executor and `kubectl get/logs/describe/delete` use — batch/v1 jobs; v1 pods, pods/log (with
 * follow), configmaps, secrets and events; lists with label and field selectors; watches with
 * resourceVersion, bookmarks and 410 Gone; `Status` bodies for 404/409/422; deletion with
 * propagation policies — and a fake job controller that runs each pod's command as a local
 * process (the image is ignored) through Pending, Running, Succeeded or Failed, honouring
 * `backoffLimit`, `activeDeadlineSeconds` and `ttlSecondsAfterFinished`.
 *
 * ```ts
 * await using cluster = await startFakeCluster()
 * const executor = createKubernetesExecutor({ kubeConfig: cluster.kubeConfig(), image: 'any', command: [...] })
 * ```
 */
export async function startFakeCluster(options: FakeClusterOptions = {}): Promise<FakeCluster> {
  const token = options.token ?? 'fake-token'
  const store = new FakeStore(options.historyLimit ?? 10_000)
  const sandboxRoot = mkdtempSync(join(tmpdir(), 'ql-fake-cluster-'))
  const controller = new FakeJobController({
    store,
    sandboxRoot,
    imagePullFails: options.imagePullFails ?? (() => false),
    podEnv: options.podEnv ?? {},
  })
  const requests: FakeRequest[] = []
  const watches = new Set<OpenWatch>()
  const waiters = new Set<() => void>()
  store.subscribe((event) => {
    for (const watch of watches) if (watch.resource === event.resource) watch.send(event)
    for (const check of [...waiters]) check()
  })
  const bookmarkInterval = options.bookmarkIntervalMs ?? 1000
  const bookmarkTimer =
    bookmarkInterval > 0
      ? setInterval(() => {
          for (const watch of watches) watch.bookmark()
        }, bookmarkInterval)
      : undefined
  bookmarkTimer?.unref()

  const tls = options.https === true ? selfSignedCertificate() : undefined
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      const status =
        error instanceof StatusError
          ? error
          : new StatusError(500, 'InternalError', String((error as Error)?.message))
      if (!response.headersSent) sendJSON(response, status.code, status.toStatus())
      else response.end()
    })
  }
  const server = tls === undefined ? createServer(onRequest) : createTlsServer(tls, onRequest)
  const connections: FakeConnectionStats = { accepted: 0, handshakes: 0, open: 0 }
  server.on('connection', (socket: Socket) => {
    connections.accepted++
    connections.open++
    socket.on('close', () => {
      connections.open--
      for (const check of [...waiters]) check()
    })
  })
  server.on('secureConnection', () => {
    connections.handshakes++
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = new URL(request.url ?? '/', url)
    const path = target.pathname.replace(/\/$/, '') || '/'
    const query = target.searchParams
    const method = request.method ?? 'GET'
    const entry: FakeRequest = { method, path: request.url ?? '', verb: 'other', status: 0 }
    requests.push(entry)
    response.on('finish', () => {
      entry.status = response.statusCode
      for (const check of [...waiters]) check()
    })
    const authorization = request.headers.authorization
    if (authorization !== `Bearer ${token}` && !(options.anonymous && authorization === undefined)) {
      throw new StatusError(401, 'Unauthorized', 'Unauthorized')
    }
    const document = discovery(path, `127.0.0.1:${port}`)
    if (document !== undefined && method === 'GET') {
      entry.verb = 'discovery'
      sendJSON(response, 200, document)
      return
    }
    if (path.startsWith('/openapi') || path === '/apis/apidiscovery.k8s.io') {
      entry.verb = 'discovery'
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
    }
    const match =
      /^\/(?:api\/v1|apis\/batch\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?(?:\/(log|status))?$/.exec(
        path,
      )
    const resource = match?.[2] as FakeResource | undefined
    if (match === null || resource === undefined || !Object.hasOwn(RESOURCES, resource)) {
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
    }
    const expectedPrefix = RESOURCES[resource].apiVersion === 'v1' ? '/api/v1' : '/apis/batch/v1'
    if (!path.startsWith(expectedPrefix))
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
    entry.resource = resource
    const namespace = match[1] === undefined ? undefined : decodeURIComponent(match[1])
    const name = match[3] === undefined ? undefined : decodeURIComponent(match[3])
    const sub = match[4]

    if (method === 'GET' && name === undefined) {
      const labels = parseLabelSelector(query.get('labelSelector'))
      const fields = parseFieldSelector(query.get('fieldSelector'))
      const matches = (object: FakeObject) =>
        (namespace === undefined || object.metadata.namespace === namespace) &&
        labels(object.metadata.labels) &&
        fields(object)
      if (query.get('watch') === 'true' || query.get('watch') === '1') {
        entry.verb = 'watch'
        openWatch(request, response, resource, matches, query)
        return
      }
      entry.verb = 'list'
      const items = store.list(resource, namespace).filter(matches)
      const version = String(store.resourceVersion)
      if (wantsTable(request)) {
        sendJSON(response, 200, toTable(resource, items, version, query.get('includeObject') === 'Object'))
        return
      }
      const { apiVersion, kind } = RESOURCES[resource]
      sendJSON(response, 200, {
        kind: `${kind}List`,
        apiVersion,
        metadata: { resourceVersion: version },
        items,
      })
      return
    }
    if (namespace === undefined)
      throw new StatusError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      )

    if (method === 'GET' && name !== undefined && sub === 'log') {
      entry.verb = 'log'
      const pod = store.require('pods', namespace, name)
      const log = controller.logOf(namespace, name)
      if (log === undefined) {
        const container = (pod.spec as { containers: { name: string }[] }).containers[0]?.name ?? ''
        const waiting = (
          pod.status as { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] }
        )?.containerStatuses?.[0]?.state?.waiting?.reason
        throw new StatusError(
          400,
          'BadRequest',
          `container "${container}" in pod "${name}" is waiting to start: ${waiting ?? 'ContainerCreating'}`,
        )
      }
      const tail = query.get('tailLines')
      const limit = query.get('limitBytes')
      const text = log.read({
        ...(tail === null ? {} : { tailLines: Number(tail) }),
        ...(limit === null ? {} : { limitBytes: Number(limit) }),
      })
      response.writeHead(200, { 'content-type': 'text/plain' })
      if (query.get('follow') !== 'true') {
        response.end(text)
        return
      }
      response.write(text)
      response.flushHeaders()
      const stop = log.follow({ write: (chunk) => response.write(chunk), end: () => response.end() })
      response.on('close', stop)
      return
    }
    if (method === 'GET' && name !== undefined) {
      entry.verb = 'get'
      const object = store.require(resource, namespace, name)
      if (wantsTable(request)) {
        sendJSON(
          response,
          200,
          toTable(resource, [object], String(store.resourceVersion), query.get('includeObject') === 'Object'),
        )
        return
      }
      sendJSON(response, 200, object)
      return
    }
    if (method === 'POST' && name === undefined) {
      entry.verb = 'create'
      const body = (await readJSON(request)) as FakeObject
      if (query.get('dryRun') === 'All') {
        sendJSON(response, 201, body)
        return
      }
      sendJSON(response, 201, store.create(resource, namespace, body))
      return
    }
    if (method === 'DELETE' && name !== undefined) {
      entry.verb = 'delete'
      const body = ((await readJSON(request)) ?? {}) as {
        propagationPolicy?: string
        gracePeriodSeconds?: number
      }
      const policy = (query.get('propagationPolicy') ?? body.propagationPolicy) as
        | PropagationPolicy
        | undefined
      if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
        throw new StatusError(422, 'Invalid', `propagationPolicy: Unsupported value: "${policy}"`)
      }
      const grace = query.get('gracePeriodSeconds') ?? body.gracePeriodSeconds
      const object = store.get(resource, namespace, name)
      if (object === undefined) throw notFound(resource, name)
      const deletion = controller.delete(
        resource,
        namespace,
        name,
        policy,
        grace === undefined ? undefined : Number(grace),
      )
      if (policy === 'Foreground' || resource === 'pods') {
        // the object is returned as it is while its deletion goes on
        await Promise.resolve()
        sendJSON(response, 200, store.get(resource, namespace, name) ?? object)
        deletion.catch(() => {})
        return
      }
      await deletion
      sendJSON(response, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {
          name,
          group: RESOURCES[resource].apiVersion.split('/').slice(0, -1).join(''),
          kind: resource,
          uid: object.metadata.uid,
        },
      })
      return
    }
    throw new StatusError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    )
  }

  function openWatch(
    request: IncomingMessage,
    response: ServerResponse,
    resource: FakeResource,
    matches: (object: FakeObject) => boolean,
    query: URLSearchParams,
  ): void {
    const raw = query.get('resourceVersion')
    const from = raw === null || raw === '' || raw === '0' ? undefined : Number(raw)
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })
    response.flushHeaders() // the client waits for the headers before it reads events
    const write = (type: string, object: unknown) => response.write(`${JSON.stringify({ type, object })}\n`)
    if (from !== undefined && (Number.isNaN(from) || from < store.oldestResumable)) {
      write('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${raw} (${store.oldestResumable})`,
        reason: 'Expired',
        code: 410,
      })
      response.end()
      return
    }
    const { apiVersion, kind } = RESOURCES[resource]
    const watch: OpenWatch = {
      response,
      resource,
      bookmarks: query.get('allowWatchBookmarks') === 'true',
      send(event) {
        if (matches(event.object)) write(event.type, event.object)
      },
      bookmark() {
        if (this.bookmarks)
          write('BOOKMARK', {
            kind,
            apiVersion,
            metadata: { resourceVersion: String(store.resourceVersion) },
          })
      },
      end() {
        watches.delete(watch)
        response.end()
      },
    }
    if (from === undefined) {
      for (const object of store.list(resource)) if (matches(object)) write('ADDED', object)
    } else {
      for (const event of store.changesSince(from)) if (event.resource === resource) watch.send(event)
    }
    watches.add(watch)
    const timeout = Number(query.get('timeoutSeconds') ?? 0)
    const timer = timeout > 0 ? setTimeout(() => watch.end(), timeout * 1000) : undefined
    request.on('close', () => {
      clearTimeout(timer)
      watches.delete(watch)
    })
  }

  const kubeConfig = (namespace = 'default') => {
    const kc = new KubeConfig()
    kc.loadFromOptions({
      clusters: [
        tls === undefined
          ? { name: 'fake', server: url, skipTLSVerify: true }
          : { name: 'fake', server: url, caData: Buffer.from(tls.cert).toString('base64') },
      ],
      users: [{ name: 'fake', token }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake', namespace }],
      currentContext: 'fake',
    })
    return kc
  }

  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= (async () => {
      clearInterval(bookmarkTimer)
      for (const watch of [...watches]) watch.end()
      for (const check of [...waiters]) check()
      await controller.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(sandboxRoot, { recursive: true, force: true })
    })()
    return closed
  }

  return {
    url,
    token,
    certificate: tls?.cert,
    kubeConfig,
    writeKubeconfig(file, namespace = 'default') {
      writeFileSync(file, kubeConfig(namespace).exportConfig())
      return file
    },
    list: (resource, namespace) => store.list(resource, namespace),
    get: (resource, namespace, name) => store.get(resource, namespace, name),
    create: (resource, namespace, object) => store.create(resource, namespace, object),
    requests,
    resetRequests() {
      requests.length = 0
      connections.accepted = 0
      connections.handshakes = 0
    },
    get connections() {
      return { ...connections }
    },
    processStarts: controller.starts,
    podLog: (namespace, pod) => controller.logOf(namespace, pod)?.read(),
    oomKill: (namespace, pod) => controller.oomKill(namespace, pod),
    evict: (namespace, pod) => controller.evict(namespace, pod),
    expireWatchHistory: () => store.compact(),
    dropWatches() {
      for (const watch of [...watches]) watch.end()
    },
    sendBookmarks() {
      for (const watch of watches) watch.bookmark()
    },
    get openWatches() {
      return watches.size
    },
    waitFor(predicate, waitOptions = {}) {
      return new Promise<void>((resolve, reject) => {
        const timeoutMs = waitOptions.timeoutMs ?? 60_000
        const check = () => {
          let done = false
          try {
            done = predicate()
          } catch (error) {
            waiters.delete(check)
            clearTimeout(timer)
            reject(error)
            return
          }
          if (done) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve()
          } else if (closed !== undefined) {
            waiters.delete(check)
            clearTimeout(timer)
            reject(
              new Error(`the fake cluster closed before: ${waitOptions.message ?? 'the condition held'}`),
            )
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(
              `waitFor timed out after ${timeoutMs} ms: ${waitOptions.message ?? 'condition never held'}`,
            ),
          )
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    settled: () => controller.settled(),
    close,
    [Symbol.asyncDispose]: close,
  }
}

/** A self-signed certificate for 127.0.0.1 (P-256, one day), made by the openssl command. */
function selfSignedCertificate(): { cert: string; key: string } {
  const directory = mkdtempSync(join(tmpdir(), 'ql-fake-cluster-tls-'))
  const keyFile = join(directory, 'tls.key')
  const certFile = join(directory, 'tls.crt')
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
  } catch (error) {
    rmSync(directory, { recursive: true, force: true })
    throw new Error(
      `startFakeCluster({ https: true }) needs the openssl command to make its certificate: ${(error as Error).message}`,
      { cause: error },
    )
  }
  try {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') }
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}

function wantsTable(request: IncomingMessage): boolean {
  return (request.headers.accept ?? '').includes('as=Table')
}

function sendJSON(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

async function readJSON(request: IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of request) text += chunk
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new StatusError(400, 'BadRequest', 'the request body is not valid JSON')
  }
}

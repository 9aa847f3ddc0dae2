import { createHash } from 'node:crypto'
import * as http from 'node:http'
import * as https from 'node:https'
import {
  BatchV1Api,
  CoreV1Api,
  createConfiguration,
  type KubeConfig,
  type RequestContext,
  type SecurityAuthentication,
  ServerConfiguration,
} from '@kubernetes/client-node'

/** How long an idle pooled connection stays open, in ms (API servers close theirs after 60–90 s). */
const IDLE_SOCKET_MS = 15_000

/** API clients whose requests share keep-alive connections. @internal */
export interface KeepAliveApiClients {
  batch: BatchV1Api
  core: CoreV1Api
  /** Closes every pooled connection; later requests get the library's own agent again. */
  destroy(): void
}

/**
 * `kubeConfig.makeApiClient(...)` for the executor's API clients, except that requests reuse
 * connections: `@kubernetes/client-node` 1.4 gives every request a new `Agent` without keep-alive
 * (a TCP connection and a TLS handshake per request). The clients' auth method delegates to
 * `kubeConfig.applySecurityAuthentication` for every request, so tokens, exec plugins, client
 * certificates and their refresh work as before; it then swaps the fresh agent for a keep-alive
 * one made once per TLS identity (the fresh agent's options: CA, client certificate and key,
 * server name, verification). A cluster reached through `proxyUrl`, or an agent this code does not
 * recognise, keeps the library's per-request agent. @internal
 */
export function createKeepAliveApiClients(kubeConfig: KubeConfig): KeepAliveApiClients {
  const cluster = kubeConfig.getCurrentCluster()
  if (!cluster) throw new Error('No active cluster!')
  const agents = new Map<string, http.Agent>()
  let destroyed = false

  function pooled(fresh: unknown): http.Agent | undefined {
    if (destroyed || cluster?.proxyUrl) return undefined
    let key: string | undefined
    let make: () => http.Agent
    if (fresh instanceof https.Agent && fresh.constructor === https.Agent) {
      key = identityOf(fresh.options)
      const options = fresh.options
      make = () => new https.Agent({ ...options, keepAlive: true, timeout: IDLE_SOCKET_MS })
    } else if (fresh instanceof http.Agent && fresh.constructor === http.Agent) {
      key = 'http'
      make = () => new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS })
    } else {
      return undefined
    }
    if (key === undefined) return undefined
    let agent = agents.get(key)
    if (agent === undefined) {
      // a new identity (a rotated client certificate): agents with nothing in flight can go
      for (const [other, old] of agents) {
        if (isIdle(old)) {
          old.destroy()
          agents.delete(other)
        }
      }
      agent = make()
      agents.set(key, agent)
    }
    return agent
  }

  const auth: SecurityAuthentication = {
    getName: () => 'default',
    async applySecurityAuthentication(context: RequestContext) {
      await kubeConfig.applySecurityAuthentication(context)
      const agent = pooled(context.getAgent())
      if (agent !== undefined) context.setAgent(agent)
    },
  }
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: auth },
  })
  return {
    batch: new BatchV1Api(configuration),
    core: new CoreV1Api(configuration),
    destroy() {
      destroyed = true
      for (const agent of agents.values()) agent.destroy()
      agents.clear()
    },
  }
}

function isIdle(agent: http.Agent): boolean {
  const busy = (sockets: NodeJS.ReadOnlyDict<unknown[]>) =>
    Object.values(sockets).some((list) => (list?.length ?? 0) > 0)
  return !busy(agent.sockets) && !busy(agent.requests)
}

/**
 * A key for the TLS options of an agent, or undefined when one of them is something this code
 * cannot compare (a function, say): then the request keeps its own agent.
 */
function identityOf(options: https.AgentOptions): string | undefined {
  const hash = createHash('sha256')
  for (const name of Object.keys(options).sort()) {
    const value = (options as Record<string, unknown>)[name]
    const text = textOf(value)
    if (text === undefined) return undefined
    hash.update(`${name}\0${text}\0`)
  }
  return hash.digest('hex')
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return `${typeof value}:${value}`
  if (Buffer.isBuffer(value)) return `buffer:${value.toString('base64')}`
  if (Array.isArray(value)) {
    const parts = value.map(textOf)
    return parts.includes(undefined) ? undefined : `[${parts.join(',')}]`
  }
  return undefined
}

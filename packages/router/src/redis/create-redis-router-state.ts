import { randomBytes } from 'node:crypto'
import { createClient } from '@redis/client'
import { InvalidRouterConfigError } from '../router/state/invalid-router-config-error'
import { checkAlpha } from '../router/state/latency-tracker'
import type {
  BreakerSnapshot,
  BreakerState,
  CapacityRequest,
  CapacityReservation,
  LatencyKind,
  LatencySampleOptions,
  RouterStateStore,
  TargetStateSnapshot,
} from '../router/state/router-state-store'
import {
  EXTEND_COOLDOWN,
  READ_TARGETS,
  READ_TARGETS_FIELDS,
  RECORD_LATENCY,
  RESERVE_CAPACITY,
  type RedisScript,
  SET_BREAKER,
  SETTLE_CAPACITY,
} from './redis-scripts'
import { RouterStateUnavailableError } from './router-state-unavailable-error'

/**
 * The part of a Redis client the store uses: a node-redis (`@redis/client` / `redis` 5) client
 * fits. `isReady`, when the client has it, lets the store fail at once while the client is
 * reconnecting instead of waiting for its timeout.
 */
export interface RedisCommandClient {
  sendCommand(args: readonly string[]): Promise<unknown>
  readonly isReady?: boolean
}

/** Where the store's Redis is: a URL (the store makes and owns the client) or your own client. */
export type RedisRouterStateConnection =
  | {
      /** `redis[s]://[[user][:password]@]host[:port][/db]`. The store connects in the background. */
      url: string
      client?: undefined
    }
  | {
      /**
       * A connected node-redis client you own: the store never connects, closes or configures it.
       * Create it with `disableOfflineQueue: true` so that calls fail at once while it reconnects.
       */
      client: RedisCommandClient
      url?: undefined
    }

/** Options of {@link createRedisRouterState}. */
export interface RedisRouterStateOptions {
  /**
   * Put before every key (default `ql:router:`). Give each router that shares a Redis its own
   * prefix unless they route to the same targets and should share their state.
   */
  prefix?: string | undefined
  /** The clock, epoch ms (default `Date.now`); every replica should use the wall clock. */
  now?: (() => number) | undefined
  /** The weight of each new latency sample in the shared EWMAs, in (0, 1] (default 0.3). */
  latencyAlpha?: number | undefined
  /**
   * The longest a store operation may take before it fails with a `RouterStateUnavailableError`
   * and the router goes on with its local state (default 1000 ms).
   */
  timeoutMs?: number | undefined
  /** How long breaker snapshots and latencies live after their last update (default one day). */
  stateTtlMs?: number | undefined
  /** With `url`: the connect timeout of each connection attempt (default 2000 ms). */
  connectTimeoutMs?: number | undefined
}

/** A {@link RouterStateStore} in Redis, shared by every router (every replica) that points at it. */
export interface RedisRouterState extends RouterStateStore {
  readonly kind: 'redis'
  /** The key prefix in use. */
  readonly prefix: string
  readTargets(targetIds: readonly string[]): Promise<TargetStateSnapshot[]>
  getCooldown(targetId: string): Promise<number | undefined>
  extendCooldown(targetId: string, until: number): Promise<number | undefined>
  clearCooldown(targetId: string): Promise<void>
  getBreaker(targetId: string): Promise<BreakerSnapshot | undefined>
  setBreaker(targetId: string, snapshot: BreakerSnapshot): Promise<BreakerSnapshot>
  getLatency(targetId: string, kind: LatencyKind): Promise<number | undefined>
  recordLatency(
    targetId: string,
    kind: LatencyKind,
    ms: number,
    options?: LatencySampleOptions,
  ): Promise<number | undefined>
  reserveCapacity(targetId: string, request: CapacityRequest): Promise<CapacityReservation>
  settleCapacity(targetId: string, reservationId: string, actualTokens: number): Promise<void>
  /**
   * Resolves once the store's own connection is up, at first or after an outage (at once for a
   * client you passed in); rejects with a `RouterStateUnavailableError` when it is not up within
   * `timeoutMs` (default 5000). Routing never needs this: until Redis answers, the router routes
   * on local state.
   */
  ready(timeoutMs?: number): Promise<void>
  /** Deletes every key under the prefix (SCAN + UNLINK); returns how many. For tests and resets. */
  clear(): Promise<number>
  /** Closes the connection the store made (a client you passed in stays open). Idempotent. */
  close(): Promise<void>
}

/** What the store needs of a client it made itself. */
interface OwnedClient {
  readonly isReady: boolean
  close(): Promise<void>
  destroy(): void
  once(event: 'ready', listener: () => void): unknown
  off(event: 'ready', listener: () => void): unknown
}

const WINDOW_MS = 60_000
const DEFAULT_PREFIX = 'ql:router:'
const BREAKER_STATES: ReadonlySet<string> = new Set<BreakerState>(['closed', 'open', 'half-open'])

/**
 * Creates a {@link RouterStateStore} in Redis, so that every replica of a host sees the same
 * cooldowns, circuit breakers, latency averages and rpm/tpm windows per target. Each method is
 * one Lua script (atomic, one round trip); `readTargets` reads every target in one script. Keys
 * (`<prefix>s:<target>` state hash, `<prefix>w:<target>` / `<prefix>k:<target>` rate window)
 * expire: windows a second after their last entry leaves them, state after `stateTtlMs` unused
 * (or when a longer cooldown ends), so the store never grows without bound.
 *
 * When Redis is down every method rejects at once (or after `timeoutMs`) with a
 * `RouterStateUnavailableError`; the router then routes on its local state and says so in a
 * `state-store` event. A store made from a `url` reconnects by itself (backoff up to 2 s).
 *
 * Needs the optional peer dependency `@redis/client` 5 (also installed by `redis` 5).
 *
 * @example
 * ```ts
 * import { createRouter } from '@ql/router'
 * import { createRedisRouterState } from '@ql/router/redis'
 *
 * const state = createRedisRouterState({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
 * const router = createRouter({ targets, state })
 * ```
 *
 * @throws `InvalidRouterConfigError` for an option of the wrong type or range, or neither a
 * `url` nor a `client`.
 */
export function createRedisRouterState(
  connection: RedisRouterStateConnection,
  options: RedisRouterStateOptions = {},
): RedisRouterState {
  return new RedisStore(connection, options)
}

class RedisStore implements RedisRouterState {
  readonly kind = 'redis' as const
  readonly prefix: string
  readonly #client: RedisCommandClient
  readonly #owned: OwnedClient | undefined
  readonly #now: () => number
  readonly #alpha: string
  readonly #timeoutMs: number
  readonly #stateTtl: string
  readonly #secrets: string[]
  readonly #idPrefix = randomBytes(6).toString('hex')
  #ids = 0
  #closed = false

  constructor(connection: RedisRouterStateConnection, options: RedisRouterStateOptions) {
    if (connection === null || typeof connection !== 'object') {
      throw configError('connection', 'createRedisRouterState needs { url } or { client }')
    }
    this.prefix = readPrefix(options.prefix)
    this.#now = options.now ?? Date.now
    this.#alpha = String(checkAlpha(options.latencyAlpha, 'latencyAlpha'))
    this.#timeoutMs = readPositive(options.timeoutMs, 'timeoutMs', 1_000)
    this.#stateTtl = String(Math.ceil(readPositive(options.stateTtlMs, 'stateTtlMs', 86_400_000)))
    const connectTimeout = readPositive(options.connectTimeoutMs, 'connectTimeoutMs', 2_000)
    if (typeof connection.url === 'string') {
      this.#secrets = secretsOf(connection.url)
      const client = createClient({
        url: connection.url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: connectTimeout,
          // backoff with jitter, at most 2 s apart, for ever: the store heals by itself
          reconnectStrategy: (retries) =>
            Math.min(50 * 2 ** retries, 2_000) + Math.floor(Math.random() * 100),
        },
      })
      // without a listener an 'error' event would crash the process; failures surface per call
      client.on('error', () => {})
      this.#owned = client
      this.#client = client as unknown as RedisCommandClient
      client.connect().catch(() => {})
    } else if (connection.client !== undefined && typeof connection.client.sendCommand === 'function') {
      this.#secrets = []
      this.#owned = undefined
      this.#client = connection.client
    } else {
      throw configError('connection', 'createRedisRouterState needs { url: "redis://..." } or { client }')
    }
  }

  async readTargets(targetIds: readonly string[]): Promise<TargetStateSnapshot[]> {
    if (targetIds.length === 0) return []
    const keys = targetIds.map((id) => this.#stateKey(id))
    const reply = (await this.#eval('readTargets', READ_TARGETS, keys, [])) as unknown[]
    const now = this.#now()
    const fields = READ_TARGETS_FIELDS
    return targetIds.map((targetId, i) => ({
      targetId,
      cooldownUntil: readCooldown(reply[i * fields], now),
      breaker: readBreaker(reply[i * fields + 1]),
      ttftMs: readNumber(reply[i * fields + 2]),
      totalMs: readNumber(reply[i * fields + 3]),
      ttftAt: readNumber(reply[i * fields + 4]),
      totalAt: readNumber(reply[i * fields + 5]),
    }))
  }

  async getCooldown(targetId: string): Promise<number | undefined> {
    const reply = await this.#command('getCooldown', ['HGET', this.#stateKey(targetId), 'cooldown'])
    return readCooldown(reply, this.#now())
  }

  async extendCooldown(targetId: string, until: number): Promise<number | undefined> {
    if (typeof until !== 'number' || !Number.isFinite(until)) return this.getCooldown(targetId)
    const reply = await this.#eval(
      'extendCooldown',
      EXTEND_COOLDOWN,
      [this.#stateKey(targetId)],
      [String(this.#now()), String(until), this.#stateTtl],
    )
    return readNumber(reply)
  }

  async clearCooldown(targetId: string): Promise<void> {
    await this.#command('clearCooldown', ['HDEL', this.#stateKey(targetId), 'cooldown'])
  }

  async getBreaker(targetId: string): Promise<BreakerSnapshot | undefined> {
    return readBreaker(await this.#command('getBreaker', ['HGET', this.#stateKey(targetId), 'breaker']))
  }

  async setBreaker(targetId: string, snapshot: BreakerSnapshot): Promise<BreakerSnapshot> {
    if (!BREAKER_STATES.has(snapshot?.state) || !Number.isFinite(snapshot.since)) {
      throw configError(
        'snapshot',
        `a breaker snapshot needs a state and a finite since; got ${String(snapshot?.state)}`,
      )
    }
    const stored: BreakerSnapshot = { state: snapshot.state, since: snapshot.since }
    if (snapshot.retryAt !== undefined) stored.retryAt = snapshot.retryAt
    if (snapshot.failures !== undefined) stored.failures = snapshot.failures
    const reply = await this.#eval(
      'setBreaker',
      SET_BREAKER,
      [this.#stateKey(targetId)],
      [String(snapshot.since), JSON.stringify(stored), this.#stateTtl],
    )
    return readBreaker(reply) ?? stored
  }

  async getLatency(targetId: string, kind: LatencyKind): Promise<number | undefined> {
    return readNumber(
      await this.#command('getLatency', ['HGET', this.#stateKey(targetId), latencyField(kind)]),
    )
  }

  async recordLatency(
    targetId: string,
    kind: LatencyKind,
    ms: number,
    options?: LatencySampleOptions,
  ): Promise<number | undefined> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return this.getLatency(targetId, kind)
    const maxAgeMs = options?.maxAgeMs
    const reply = await this.#eval(
      'recordLatency',
      RECORD_LATENCY,
      [this.#stateKey(targetId)],
      [
        latencyField(kind),
        String(ms),
        this.#alpha,
        this.#stateTtl,
        String(this.#now()),
        typeof maxAgeMs === 'number' && maxAgeMs >= 0 && Number.isFinite(maxAgeMs) ? String(maxAgeMs) : '',
      ],
    )
    return readNumber(reply)
  }

  async reserveCapacity(targetId: string, request: CapacityRequest): Promise<CapacityReservation> {
    const rpm = readLimit(request.rpm)
    const tpm = readLimit(request.tpm)
    const reservationId = `${this.#idPrefix}-${++this.#ids}`
    if (rpm === '' && tpm === '') return { ok: true, reservationId }
    const tokens = Number.isFinite(request.tokens) && request.tokens > 0 ? Math.ceil(request.tokens) : 0
    const reply = (await this.#eval(
      'reserveCapacity',
      RESERVE_CAPACITY,
      [this.#windowKey(targetId), this.#tokensKey(targetId)],
      [String(this.#now()), String(WINDOW_MS), rpm, tpm, String(tokens), reservationId],
    )) as unknown[]
    if (Number(reply[0]) === 1) return { ok: true, reservationId }
    const retryAt = Number(reply[2])
    return {
      ok: false,
      reason: reply[1] === 'tpm' ? 'tpm' : 'rpm',
      retryAt: retryAt < 0 || !Number.isFinite(retryAt) ? Number.POSITIVE_INFINITY : retryAt,
    }
  }

  async settleCapacity(targetId: string, reservationId: string, actualTokens: number): Promise<void> {
    if (typeof reservationId !== 'string' || !Number.isFinite(actualTokens) || actualTokens < 0) return
    await this.#eval(
      'settleCapacity',
      SETTLE_CAPACITY,
      [this.#tokensKey(targetId)],
      [reservationId, String(Math.ceil(actualTokens))],
    )
  }

  async ready(timeoutMs = 5_000): Promise<void> {
    const client = this.#owned
    if (client === undefined || client.isReady) return
    let onReady: (() => void) | undefined
    try {
      await this.#withTimeout(
        'ready',
        new Promise<void>((resolve) => {
          onReady = resolve
          client.once('ready', resolve)
        }),
        timeoutMs,
      )
    } finally {
      if (onReady !== undefined) client.off('ready', onReady)
    }
  }

  async clear(): Promise<number> {
    const pattern = `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`
    let cursor = '0'
    let deleted = 0
    do {
      const [next, keys] = (await this.#command('clear', [
        'SCAN',
        cursor,
        'MATCH',
        pattern,
        'COUNT',
        '500',
      ])) as [string, string[]]
      cursor = String(next)
      if (keys.length > 0) deleted += Number(await this.#command('clear', ['UNLINK', ...keys]))
    } while (cursor !== '0')
    return deleted
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const client = this.#owned
    if (client === undefined) return
    if (client.isReady) {
      await client.close().catch(() => client.destroy())
    } else {
      client.destroy()
    }
  }

  // ---- keys and commands -----------------------------------------------------------------------

  #stateKey(targetId: string): string {
    return `${this.prefix}s:${targetId}`
  }

  #windowKey(targetId: string): string {
    return `${this.prefix}w:${targetId}`
  }

  #tokensKey(targetId: string): string {
    return `${this.prefix}k:${targetId}`
  }

  /** Runs a script by its SHA-1, loading it with EVAL the first time the server lacks it. */
  #eval(operation: string, script: RedisScript, keys: readonly string[], args: readonly string[]) {
    const tail = [String(keys.length), ...keys, ...args]
    return this.#run(operation, async () => {
      try {
        return await this.#client.sendCommand(['EVALSHA', script.sha, ...tail])
      } catch (error) {
        if (!isNoScript(error)) throw error
        return await this.#client.sendCommand(['EVAL', script.source, ...tail])
      }
    })
  }

  #command(operation: string, args: readonly string[]): Promise<unknown> {
    return this.#run(operation, () => this.#client.sendCommand(args))
  }

  #run<T>(operation: string, send: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new RouterStateUnavailableError({
          operation,
          message: `redis router state: ${operation}: the store is closed`,
        }),
      )
    }
    if (this.#client.isReady === false) {
      return Promise.reject(
        new RouterStateUnavailableError({
          operation,
          message: `redis router state: ${operation}: not connected to Redis (reconnecting)`,
        }),
      )
    }
    let promise: Promise<T>
    try {
      promise = send()
    } catch (error) {
      promise = Promise.reject(error)
    }
    return this.#withTimeout(operation, promise, this.#timeoutMs)
  }

  async #withTimeout<T>(operation: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RouterStateUnavailableError({
              operation,
              message: `redis router state: ${operation}: Redis did not answer within ${timeoutMs} ms`,
            }),
          ),
        timeoutMs,
      )
      timer.unref?.()
    })
    try {
      return await Promise.race([promise, timeout])
    } catch (error) {
      if (RouterStateUnavailableError.isInstance(error)) throw error
      const reason = error instanceof Error ? error.message || error.name : String(error)
      throw new RouterStateUnavailableError({
        operation,
        message: `redis router state: ${operation} failed: ${reason}`,
        cause: error,
        secrets: this.#secrets,
      })
    } finally {
      clearTimeout(timer)
    }
  }
}

// ---- reading replies -------------------------------------------------------------------------------

function readNumber(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined
  const number = Number(value)
  return Number.isFinite(number) ? number : undefined
}

function readCooldown(value: unknown, now: number): number | undefined {
  const until = readNumber(value)
  return until !== undefined && until > now ? until : undefined
}

function readBreaker(value: unknown): BreakerSnapshot | undefined {
  if (typeof value !== 'string') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object') return undefined
  const { state, since, retryAt, failures } = parsed as Record<string, unknown>
  if (typeof state !== 'string' || !BREAKER_STATES.has(state) || typeof since !== 'number') return undefined
  const snapshot: BreakerSnapshot = { state: state as BreakerState, since }
  if (typeof retryAt === 'number') snapshot.retryAt = retryAt
  if (typeof failures === 'number') snapshot.failures = failures
  return snapshot
}

function isNoScript(error: unknown): boolean {
  // the reply's error code, the protocol's way to say it (not a message to interpret)
  return error instanceof Error && error.message.startsWith('NOSCRIPT')
}

function latencyField(kind: LatencyKind): string {
  if (kind !== 'ttft' && kind !== 'total')
    throw configError('kind', `latency kind must be 'ttft' or 'total'; got ${String(kind)}`)
  return kind
}

/** A limit as a script argument: '' for none (undefined, Infinity). */
function readLimit(limit: number | undefined): string {
  if (limit === undefined || limit === Number.POSITIVE_INFINITY) return ''
  if (typeof limit !== 'number' || !(limit >= 1)) {
    throw configError('limits', `a capacity limit must be a number ≥ 1 or undefined; got ${String(limit)}`)
  }
  return String(Math.floor(limit))
}

// ---- options -------------------------------------------------------------------------------------------

function configError(path: string, message: string): InvalidRouterConfigError {
  return new InvalidRouterConfigError({ path, message })
}

function readPrefix(prefix: string | undefined): string {
  if (prefix === undefined) return DEFAULT_PREFIX
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw configError(
      'prefix',
      `prefix must be a non-empty string such as 'myapp:router:'; got ${JSON.stringify(prefix)}`,
    )
  }
  return prefix
}

function readPositive(value: number | undefined, path: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw configError(path, `${path} must be a positive number of milliseconds; got ${String(value)}`)
  }
  return value
}

/** The password in a Redis URL, to keep out of error messages. */
function secretsOf(url: string): string[] {
  try {
    const parsed = new URL(url)
    const secrets = [parsed.password, decodeURIComponent(parsed.password)].filter((secret) => secret !== '')
    return secrets
  } catch {
    throw configError('url', 'url must be a Redis URL such as redis://127.0.0.1:6379')
  }
}

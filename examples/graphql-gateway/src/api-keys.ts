import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** One API key as the gateway stores it: never the key itself, only its SHA-256. */
export interface ApiKeyRecord {
  /** Names the key in usage reports and in `revokeApiKey` (not secret). */
  keyId: string
  /** The client (tenant) the key belongs to; a client may have several active keys. */
  clientId: string
  /** `sha256:` and the hex SHA-256 of the key. */
  hash: string
  /** ISO time after which the key stops working (a rotation's grace period); none: no expiry. */
  expiresAt?: string
  /** ISO time the key was revoked; a revoked key never works again. */
  revokedAt?: string
}

/** A newly made key: `key` is shown once and then only its `hash` is kept. */
export interface NewApiKey {
  key: string
  keyId: string
  hash: string
}

const KEY_PREFIX = 'qlgw_'

/**
 * The stored form of an API key: `sha256:<hex>`. Keys are 256 random bits, so a fast hash is
 * enough (a slow, salted password hash protects guessable secrets, which these are not), and it
 * keeps authentication at a few microseconds per request.
 */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`
}

/**
 * Makes a key: `qlgw_<keyId>_<43 characters of base64url>` (256 random bits). The prefix lets
 * secret scanners recognise a leaked key; the key id is only a label.
 */
export function generateApiKey(keyId = randomBytes(6).toString('hex')): NewApiKey {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(keyId)) {
    throw new TypeError(`key id ${JSON.stringify(keyId)}: use 1-64 letters, digits or dashes`)
  }
  const key = `${KEY_PREFIX}${keyId}_${randomBytes(32).toString('base64url')}`
  return { key, keyId, hash: hashApiKey(key) }
}

/**
 * The gateway's API keys, in memory. Authentication hashes the presented key and looks the hash
 * up, so the store never holds a usable key. Rotation without downtime: `add` a client's new key
 * while the old one still works, move the client over, then `revoke` the old one (or give it an
 * `expiresAt`). For several replicas, keep the records in a shared database and load them here.
 */
export class ApiKeyStore {
  readonly #byHash = new Map<string, ApiKeyRecord>()
  readonly #byId = new Map<string, ApiKeyRecord>()

  constructor(records: readonly ApiKeyRecord[] = []) {
    for (const record of records) this.add(record)
  }

  /** Adds a key record. Throws when its id or hash is already present or its hash is malformed. */
  add(record: ApiKeyRecord): void {
    if (!/^sha256:[0-9a-f]{64}$/.test(record.hash)) {
      throw new TypeError(`key ${record.keyId}: hash must be "sha256:" and 64 lower-case hex digits`)
    }
    if (this.#byId.has(record.keyId)) throw new TypeError(`key id ${record.keyId} is already in use`)
    if (this.#byHash.has(record.hash)) throw new TypeError(`key ${record.keyId}: that key is already stored`)
    const copy = { ...record }
    this.#byHash.set(copy.hash, copy)
    this.#byId.set(copy.keyId, copy)
  }

  /**
   * The active record of a presented key, or `undefined` (unknown, revoked or expired). The hash
   * lookup compares digests of the attacker's input, never the secret itself, and the final
   * comparison is constant-time.
   */
  authenticate(presented: string, now = Date.now()): ApiKeyRecord | undefined {
    if (!presented.startsWith(KEY_PREFIX) || presented.length > 256) return undefined
    const hash = hashApiKey(presented)
    const record = this.#byHash.get(hash)
    if (record === undefined) return undefined
    if (!timingSafeEqual(Buffer.from(record.hash), Buffer.from(hash))) return undefined
    if (record.revokedAt !== undefined) return undefined
    if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now) return undefined
    return record
  }

  /** Revokes a key of `clientId`; false when the client has no such key. */
  revoke(clientId: string, keyId: string, now = Date.now()): boolean {
    const record = this.#byId.get(keyId)
    if (record === undefined || record.clientId !== clientId) return false
    record.revokedAt ??= new Date(now).toISOString()
    return true
  }

  /** The keys of one client (hashes included, keys never), active or not. */
  keysOf(clientId: string): ApiKeyRecord[] {
    return [...this.#byId.values()].filter((record) => record.clientId === clientId).map((r) => ({ ...r }))
  }
}

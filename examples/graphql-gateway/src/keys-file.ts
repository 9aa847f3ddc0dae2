import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { type ApiKeyRecord, ApiKeyStore } from './api-keys'
import type { RateLimit } from './rate-limiter'

const keysFileSchema = z.object({
  clients: z.array(
    z.object({
      id: z.string().min(1),
      rateLimit: z
        .object({ requestsPerSecond: z.number().positive(), burst: z.number().int().positive() })
        .optional(),
      keys: z.array(
        z.object({
          id: z.string().min(1),
          hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected "sha256:" and 64 lower-case hex digits'),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
          revokedAt: z.iso.datetime({ offset: true }).optional(),
        }),
      ),
    }),
  ),
})

/** The keys file's shape: clients, each with its rate limit and its key hashes (several during a rotation). */
export type KeysFile = z.infer<typeof keysFileSchema>

/** The key store and rate limits a keys file describes. */
export interface LoadedKeys {
  keys: ApiKeyStore
  rateLimits: Record<string, RateLimit>
}

/**
 * Reads a keys file (JSON). Example, a client in the middle of a rotation (both keys work until
 * the old one expires):
 *
 * ```json
 * { "clients": [ { "id": "acme", "rateLimit": { "requestsPerSecond": 10, "burst": 20 },
 *     "keys": [ { "id": "acme-2025", "hash": "sha256:…", "expiresAt": "2026-01-31T00:00:00Z" },
 *               { "id": "acme-2026", "hash": "sha256:…" } ] } ] }
 * ```
 *
 * @throws Error naming the file and the first field that is wrong.
 */
export async function loadKeysFile(path: string): Promise<LoadedKeys> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new Error(`keys file ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return keysFromConfig(raw, path)
}

/** The key store and rate limits of a parsed keys file. */
export function keysFromConfig(raw: unknown, source = 'keys file'): LoadedKeys {
  const parsed = keysFileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
  }
  const records: ApiKeyRecord[] = []
  const rateLimits: Record<string, RateLimit> = {}
  for (const client of parsed.data.clients) {
    if (client.rateLimit) rateLimits[client.id] = client.rateLimit
    for (const key of client.keys) {
      records.push({
        keyId: key.id,
        clientId: client.id,
        hash: key.hash,
        ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
        ...(key.revokedAt ? { revokedAt: key.revokedAt } : {}),
      })
    }
  }
  try {
    return { keys: new ApiKeyStore(records), rateLimits }
  } catch (error) {
    throw new Error(`${source}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

import { z } from 'zod/v4'

const FIX =
  'pass a URL (https: or data:), a base64 string with mediaType, or a Uint8Array (validation turns bytes into base64)'

/**
 * The `image` of an image part. Accepts a URL (`https:`, `data:`), a base64 string or bytes
 * (`Uint8Array`, `Buffer`), and hands back a string: bytes become base64, so a validated request
 * is JSON as it is and can be checkpointed. Bytes that already went through JSON — a
 * `Uint8Array` becomes `{"0":137,"1":80,…}` and a `Buffer` `{"type":"Buffer","data":[…]}` — are
 * recognised and turned into the same base64, so an unvalidated message read back from a
 * checkpoint validates to what the original did. Any other value is rejected with what to pass.
 */
export const imageDataSchema = z.unknown().transform((value, ctx) => {
  if (typeof value === 'string') {
    if (value.length > 0) return value
    ctx.issues.push({ code: 'custom', input: value, message: `the image is an empty string; ${FIX}` })
    return z.NEVER
  }
  const bytes = value instanceof Uint8Array ? value : bytesFromJson(value)
  if (bytes === undefined) {
    const got =
      value === null
        ? 'null'
        : Array.isArray(value)
          ? 'an array'
          : typeof value === 'object'
            ? 'an object that is not bytes read back from JSON ({"0":137,…} with a byte at every index)'
            : typeof value
    ctx.issues.push({ code: 'custom', input: value, message: `expected image data, got ${got}; ${FIX}` })
    return z.NEVER
  }
  if (bytes.length === 0) {
    ctx.issues.push({ code: 'custom', input: value, message: 'the image has no bytes' })
    return z.NEVER
  }
  return toBase64(bytes)
}) as unknown as z.ZodType<string | Uint8Array, string | Uint8Array>

/** Bytes from the JSON form of a `Uint8Array` (`{"0":n,…}`) or a `Buffer` (`{type, data}`). */
function bytesFromJson(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) return undefined
  const record = value as Record<string, unknown>
  if (record.type === 'Buffer' && Array.isArray(record.data) && Object.keys(record).length === 2)
    return toBytes(record.data)
  const keys = Object.keys(record)
  const values: unknown[] = new Array(keys.length)
  for (let i = 0; i < keys.length; i++) {
    // JSON.parse gives integer-like keys in ascending order, so key i must be "i"
    if (keys[i] !== String(i)) return undefined
    values[i] = record[keys[i] as string]
  }
  return keys.length === 0 ? undefined : toBytes(values)
}

function toBytes(values: unknown[]): Uint8Array | undefined {
  const bytes = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const byte = values[i]
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < 0 || byte > 255) return undefined
    bytes[i] = byte
  }
  return bytes
}

interface BufferLike {
  from(data: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string }
}

/** Base64 of `bytes`, through `Buffer` where there is one (Node), else `btoa`. */
function toBase64(bytes: Uint8Array): string {
  const buffer = (globalThis as { Buffer?: BufferLike }).Buffer
  if (buffer !== undefined)
    return buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

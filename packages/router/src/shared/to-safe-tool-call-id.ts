const SAFE_ID = /^[a-zA-Z0-9_-]{1,64}$/

/**
 * A tool-call id that Anthropic and Bedrock accept (`^[a-zA-Z0-9_-]+$`, at most 64 characters).
 * Ids that already fit are returned unchanged; any other id (one made by another provider, say
 * `call:1` or a 100-character id) is rewritten the same way every time, so a tool call and the
 * result that answers it, converted separately, still match. A hash of the original keeps two
 * different ids from colliding once their unsafe characters are replaced.
 */
export function toSafeToolCallId(id: string): string {
  if (SAFE_ID.test(id)) return id
  const readable = id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 40)
  return `${readable}_${fnv1a(id)}`
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

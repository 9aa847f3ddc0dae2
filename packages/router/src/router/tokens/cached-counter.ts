import type { CountText } from './load-encoding'

/** Characters kept per generation; two generations live at once, so at most twice this. */
const GENERATION_CHARS = 1_000_000
/** Texts kept per generation, so many short texts cannot grow the maps past a few MB. */
const GENERATION_ENTRIES = 20_000

/**
 * A token counter that remembers the counts of long texts, so a conversation re-sent on every
 * turn (as a chat backend receives it, freshly parsed from JSON each time) is tokenized once per
 * text rather than once per turn. Looking a text up hashes it, which runs at memory speed; the
 * BPE it saves runs at tens of MB/s.
 *
 * Short texts (role names, short messages) are remembered too: a lookup costs tens of
 * nanoseconds, a BPE call about a microsecond. Bounded: entries live in two generations of at
 * most 1 M characters and 20,000 texts each; when the newer one fills up, the older one is
 * dropped, and a hit in the older one moves to the newer one.
 */
export function cachedCounter(count: CountText): CountText {
  let current = new Map<string, number>()
  let previous = new Map<string, number>()
  let chars = 0
  return (text) => {
    let tokens = current.get(text)
    if (tokens !== undefined) return tokens
    tokens = previous.get(text) ?? count(text)
    if (chars + text.length > GENERATION_CHARS || current.size >= GENERATION_ENTRIES) {
      previous = current
      current = new Map()
      chars = 0
    }
    current.set(text, tokens)
    chars += text.length
    return tokens
  }
}

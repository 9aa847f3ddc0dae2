/**
 * The default token counter of `chunkCode` and `buildRepoMap`: a conservative estimate of what
 * a modern byte-pair tokenizer (OpenAI's o200k and cl100k, and the tokenizers modelled on them)
 * makes of a text, without shipping a tokenizer. It follows the way those tokenizers split text
 * before merging (words with the one space or symbol before them, runs of up to three digits,
 * runs of symbols, runs of whitespace) and charges each piece by its shape: a lower-case word
 * part of up to five letters is one token, longer ones one more per six letters; a run of
 * capitals one per 2.5 letters; a long run of mixed letters and digits (a hash, base64) one per
 * 1.35 characters; anything outside ASCII its UTF-8 bytes (`│` one token, `⋮` three).
 *
 * Measured against o200k and cl100k (the larger of the two) on repository maps of ten real code
 * bases in seven languages, it counts 1.1–1.3 times the real tokens (never fewer); on whole
 * source files, usually more, rarely a little fewer (see `bench/parser/repo-map-tokens.ts`).
 * Characters / 4, the usual shortcut, let those maps run 1.12–1.47× over their budget. Pass a real tokenizer's
 * counter (`countTokens`) when a limit must hold exactly for one model.
 */
export function estimateTokens(text: string): number {
  const length = text.length
  let tokens = 0
  let i = 0
  while (i < length) {
    const code = text.charCodeAt(i)
    if (isAlphanumeric(code)) {
      let end = i + 1
      while (end < length && isAlphanumeric(text.charCodeAt(end))) end++
      tokens += wordTokens(text, i, end)
      i = end
    } else if (isWhitespace(code)) {
      let end = i + 1
      let lastNewline = code === 10 || code === 13 ? i : -1
      while (end < length && isWhitespace(text.charCodeAt(end))) {
        const next = text.charCodeAt(end)
        if (next === 10 || next === 13) lastNewline = end
        end++
      }
      if (lastNewline >= 0) tokens += 1
      const trailing = end - Math.max(lastNewline + 1, i)
      // the last space before a word or a symbol is part of that piece
      const merges = end < length && !isDigit(text.charCodeAt(end))
      if (trailing > 1 || (trailing === 1 && !merges)) tokens += 1
      i = end
    } else if (code < 128) {
      // symbols: `(`, `});`, `=>`; `(`, `.`, `_` and a few more usually share a token with the word after them
      let end = i + 1
      while (end < length && isSymbol(text.charCodeAt(end))) end++
      let symbols = end - i
      if (end < length && isLetter(text.charCodeAt(end)) && joinsWord(text.charCodeAt(end - 1))) symbols--
      if (symbols > 0) tokens += symbols <= 2 ? 1 : Math.ceil(symbols * 0.6)
      // newlines right after symbols join their piece
      while (end < length && (text.charCodeAt(end) === 10 || text.charCodeAt(end) === 13)) end++
      i = end
    } else {
      // outside ASCII: its UTF-8 bytes, which no byte-level tokenizer exceeds, except the map's own glyphs
      if (code === 0x2502 /* │ */) tokens += 1
      else if (code === 0x22ee /* ⋮ */) tokens += 3
      else if (code < 0x800) tokens += 2
      else if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
        tokens += 4
        i++
      } else tokens += 3
      i++
    }
  }
  return tokens
}

/** Tokens of one run of letters and digits, `text[start, end)`, by its humps. */
function wordTokens(text: string, start: number, end: number): number {
  let tokens = 0
  let humps = 0
  let i = start
  while (i < end) {
    const code = text.charCodeAt(i)
    let next = i + 1
    if (isDigit(code)) {
      while (next < end && isDigit(text.charCodeAt(next))) next++
      tokens += Math.ceil((next - i) / 3)
    } else if (isUpper(code) && (next >= end || !isLower(text.charCodeAt(next)))) {
      // a run of capitals, up to the one that starts a capitalised word (`HTTPServer`: `HTTP`, `Server`)
      while (next < end && isUpper(text.charCodeAt(next))) next++
      if (next < end && isLower(text.charCodeAt(next)) && next - i > 1) next--
      tokens += Math.ceil((next - i) / 2.5)
    } else {
      while (next < end && isLower(text.charCodeAt(next))) next++
      tokens += 1 + Math.floor((next - i) / 6)
    }
    humps++
    i = next
  }
  const length = end - start
  // a hash, an id or base64: short humps of mixed case and digits cost a token per 1.3–2 characters
  if (length >= 12 && humps * 3.5 >= length) return Math.max(tokens, Math.ceil(length / 1.35))
  return tokens
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122
}

function isLetter(code: number): boolean {
  return isUpper(code) || isLower(code)
}

function isAlphanumeric(code: number): boolean {
  return isLetter(code) || isDigit(code)
}

/** Symbols that usually share one token with the word after them (`.name`, `(value`, `_id`, `#include`). */
function joinsWord(code: number): boolean {
  return (
    code === 95 /* _ */ ||
    code === 40 /* ( */ ||
    code === 46 /* . */ ||
    code === 35 /* # */ ||
    code === 92 /* \ */ ||
    code === 91 /* [ */ ||
    code === 45 /* - */ ||
    code === 47 /* / */
  )
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12
}

function isSymbol(code: number): boolean {
  return code < 128 && code > 32 && !isAlphanumeric(code) && code !== 127
}

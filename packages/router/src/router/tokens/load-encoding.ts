import { createRequire } from 'node:module'
import type { OpenAIEncodingName } from './openai-encoding'

/** Counts the BPE tokens of a text; special-token strings (`<|endoftext|>`) count as plain text. */
export type CountText = (text: string) => number

interface GptTokenizerEncoding {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number
}

/** Treat special-token strings as text, the way the APIs treat them inside a message. */
const AS_TEXT = { disallowedSpecial: new Set<string>() }

const loaded = new Map<OpenAIEncodingName, CountText>()

/**
 * The token counter of an encoding, loading `gpt-tokenizer`'s rank table on first use (about
 * 2 MB of JavaScript, 100–400 ms once per process), so importing `@ql/router` stays cheap for
 * hosts that never count tokens. Synchronous: the first call blocks for the load; call
 * {@link loadTokenizer} at startup to take that hit before serving.
 */
export function loadEncoding(name: OpenAIEncodingName): CountText {
  let count = loaded.get(name)
  if (count === undefined) {
    const encoding = requireModule(`gpt-tokenizer/encoding/${name}`) as GptTokenizerEncoding
    count = (text) => (text === '' ? 0 : encoding.countTokens(text, AS_TEXT))
    loaded.set(name, count)
  }
  return count
}

let load: NodeJS.Require | undefined

/**
 * Loads a `gpt-tokenizer` module synchronously, when first needed (never at import), with a
 * `require` made for this file from `import.meta.url` (the CommonJS build gets it from tsup's
 * `shims`). Never the bare `require` identifier, which a bundler's ESM output replaces with a
 * stub that throws.
 */
export function requireModule(id: string): unknown {
  load ??= createRequire(import.meta.url)
  return load(id)
}

import { detectLanguage } from './detect-language'
import { BinaryContentError } from './errors/binary-content-error'
import { InputTooLargeError } from './errors/input-too-large-error'
import { InvalidArgumentError } from './errors/invalid-argument-error'
import { InvalidUtf8Error } from './errors/invalid-utf8-error'
import { UnknownLanguageError } from './errors/unknown-language-error'
import { requireLanguage } from './languages/language-registry'
import { loadLanguage } from './load-language'
import { parseInRuntime } from './parse-in-runtime'
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DIAGNOSTICS,
  DEFAULT_MAX_SHARED_MEMORY_BYTES,
  DEFAULT_TIMEOUT_MS,
  type ParseLimits,
} from './parse-limits'
import { ParsedCode } from './parsed-code'
import { type ConfirmDiagnosticsOptions, confirmParsedCode } from './verify/confirm-parsed-code'
import { preflightInWorker } from './worker/preflight-in-worker'

/** Which language to parse as: an id or alias, or a file name to detect it from. */
export type LanguageSelector =
  | {
      /** A language id or alias (`typescript`, `ts`, `c++`). Wins over `filename`. */
      language: string
      /** The file name, kept for messages; not used for detection when `language` is given. */
      filename?: string
    }
  | {
      /** Left out: the language is detected from `filename`. */
      language?: undefined
      /** A file name or path; the language is detected from it (and from a `#!` line). */
      filename: string
    }

/** What {@link parseCode} accepts besides the code. */
export type ParseCodeOptions = LanguageSelector &
  ParseLimits &
  ConfirmDiagnosticsOptions & {
    /**
     * `'worker'`: first parse the code in a worker thread that is terminated if its parse runs
     * past `timeoutMs` (default 5 s, counted once the worker has loaded the grammar), and only
     * then parse it here. For untrusted input where
     * even a cancellable parse is too much risk; it costs a worker start-up (tens of
     * milliseconds) and a second parse. Without it (the default) everything runs in this
     * thread, bounded by the progress-callback budget.
     */
    isolate?: 'worker'
  }

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * Parses source code with tree-sitter and returns a {@link ParsedCode}: the tree, syntax
 * diagnostics, and access to symbols and chunks. Grammars load lazily on first use.
 *
 * The result owns WASM memory: `dispose()` it, or declare it with `using`.
 *
 * @param code - The source text, or its UTF-8 bytes (`Buffer`, `Uint8Array`).
 * @param options - `{ language }` or `{ filename }`, plus limits.
 * @throws {UnknownLanguageError} when the language is not known or cannot be detected.
 * @throws {InputTooLargeError} when the code is larger than `maxBytes`.
 * @throws {BinaryContentError} when the code contains NUL bytes.
 * @throws {InvalidUtf8Error} when bytes are given that are not valid UTF-8.
 * @throws {ParseTimeoutError} when parsing runs past `timeoutMs`.
 * @throws {GrammarLoadError} when the grammar cannot be loaded.
 *
 * @example
 * ```ts
 * using parsed = await parseCode('def f(:\n  pass\n', { language: 'python' })
 * parsed.diagnostics[0]?.message // "unexpected `:`" or similar, with line and column
 * ```
 */
export async function parseCode(code: string | Uint8Array, options: ParseCodeOptions): Promise<ParsedCode> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxDiagnostics = options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS
  if (
    !(
      maxDiagnostics >= 0 &&
      (Number.isInteger(maxDiagnostics) || maxDiagnostics === Number.POSITIVE_INFINITY)
    )
  ) {
    throw new InvalidArgumentError({
      message: `parseCode: maxDiagnostics must be a non-negative integer or Infinity, got ${String(maxDiagnostics)}.`,
    })
  }
  const maxSharedMemoryBytes = options.maxSharedMemoryBytes ?? DEFAULT_MAX_SHARED_MEMORY_BYTES
  if (!(maxSharedMemoryBytes >= 0)) {
    throw new InvalidArgumentError({
      message: `parseCode: maxSharedMemoryBytes must be a number of bytes >= 0 (or Infinity), got ${String(maxSharedMemoryBytes)}.`,
    })
  }
  const text = toText(code, maxBytes)
  checkText(text, maxBytes)
  const languageId = resolveLanguage(options, text)
  const grammar = await loadLanguage(languageId)
  if (options.isolate === 'worker') await preflightInWorker(text, languageId, timeoutMs)
  const {
    tree,
    grammar: parsedWith,
    runtime,
  } = await parseInRuntime(languageId, grammar, text, timeoutMs, maxSharedMemoryBytes)
  const parsed = new ParsedCode(languageId, text, tree, parsedWith, timeoutMs, { maxDiagnostics, runtime })
  try {
    return await confirmParsedCode(parsed, options)
  } catch (error) {
    parsed.dispose()
    throw error
  }
}

/** The language id for the options: the named language, else one detected from the file name. */
export function resolveLanguage(options: LanguageSelector, code?: string): string {
  if (options.language !== undefined) return requireLanguage(options.language).id
  if (options.filename === undefined) {
    throw new UnknownLanguageError({
      requested: '',
      message: 'parseCode needs { language } or { filename }. Call listLanguages() to see the supported ids.',
    })
  }
  const detected = detectLanguage(options.filename, code)
  if (detected === undefined) {
    throw new UnknownLanguageError({
      requested: options.filename,
      message: `Cannot tell the language of "${options.filename}" from its name or #! line. Pass { language }, see listLanguages() for the supported ones, or registerLanguage() to add one.`,
    })
  }
  return detected
}

function toText(code: string | Uint8Array, maxBytes: number): string {
  if (typeof code === 'string') return code
  if (!(code instanceof Uint8Array)) {
    throw new InvalidArgumentError({
      message: `parseCode: code must be a string or a Uint8Array, got ${code === null ? 'null' : typeof code}.`,
    })
  }
  if (code.byteLength > maxBytes) throw tooLarge(code.byteLength, maxBytes)
  try {
    return decoder.decode(code)
  } catch (error) {
    throw new InvalidUtf8Error({
      message: 'The code bytes are not valid UTF-8. Decode them with the right encoding and pass a string.',
      cause: error,
    })
  }
}

/** Size and NUL checks; both are native scans, cheap next to the parse. */
export function checkText(text: string, maxBytes: number): void {
  // Each UTF-16 unit is 1-3 UTF-8 bytes (a surrogate pair is 4 for 2 units): count only in between.
  if (text.length > maxBytes) throw tooLarge(text.length, maxBytes)
  if (text.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(text, 'utf8')
    if (bytes > maxBytes) throw tooLarge(bytes, maxBytes)
  }
  const nul = text.indexOf('\0')
  if (nul !== -1) {
    throw new BinaryContentError({
      index: nul,
      message: `The code contains a NUL byte at index ${nul}: it looks like binary data, not source code.`,
    })
  }
}

function tooLarge(bytes: number, maxBytes: number): InputTooLargeError {
  return new InputTooLargeError({
    bytes,
    maxBytes,
    message: `The code is ${bytes} bytes, over the ${maxBytes}-byte limit. Raise maxBytes if the input is trusted, or split it.`,
  })
}

import { InvalidArgumentError } from './errors/invalid-argument-error'
import type { GrammarSource } from './languages/language-definition'
import { addLanguage } from './languages/language-registry'
import { forgetLanguage } from './load-language'

/** What {@link registerLanguage} accepts. */
export interface RegisterLanguageOptions {
  /** Lower-case id (`mylang`). Registering an existing id replaces that language. */
  id: string
  /** The name to show a person; defaults to the id. */
  displayName?: string
  /**
   * The grammar: a path or `file:` URL to a `.wasm` built by the tree-sitter CLI for ABI 13–15,
   * or its bytes. The file is read on first use.
   */
  wasm: string | URL | Uint8Array
  /** Extensions with their dot (`.my`). */
  extensions?: readonly string[]
  /** Exact file names (`Myfile`). */
  filenames?: readonly string[]
  /** `#!` interpreters (`myinterp`). */
  shebangs?: readonly string[]
  /** Other names, used for `language` options and markdown fences. */
  aliases?: readonly string[]
  /** Known grammar caveats, shown by `listLanguages()`. */
  caveats?: readonly string[]
}

/**
 * Adds a grammar of your own, or replaces a built-in one. Nothing is loaded until the first
 * parse; a `.wasm` that fails then throws a `GrammarLoadError`. Later registrations win on
 * shared extensions and aliases.
 *
 * @example
 * ```ts
 * registerLanguage({ id: 'toml', wasm: '/opt/grammars/tree-sitter-toml.wasm', extensions: ['.toml'] })
 * const parsed = await parseCode(source, { filename: 'Cargo.toml' })
 * ```
 */
export function registerLanguage(options: RegisterLanguageOptions): void {
  const id = options.id.trim().toLowerCase()
  if (!/^[a-z0-9][a-z0-9_+#.-]*$/.test(id)) {
    throw new InvalidArgumentError({
      message: `registerLanguage: "${options.id}" is not a valid language id (use lower-case letters, digits, -, _).`,
    })
  }
  const grammar: GrammarSource =
    options.wasm instanceof Uint8Array ? { bytes: options.wasm } : { path: options.wasm }
  addLanguage({
    id,
    displayName: options.displayName ?? id,
    extensions: (options.extensions ?? []).map((extension) => extension.toLowerCase()),
    filenames: options.filenames ?? [],
    shebangs: options.shebangs ?? [],
    aliases: options.aliases ?? [],
    grammar,
    grammarName:
      options.wasm instanceof Uint8Array ? 'registered (bytes)' : `registered (${String(options.wasm)})`,
    caveats: options.caveats ?? [],
  })
  forgetLanguage(id)
}

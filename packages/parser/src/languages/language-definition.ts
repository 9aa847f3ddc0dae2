/**
 * Where a grammar `.wasm` comes from: a module specifier resolved from this package
 * (`tree-sitter-python/tree-sitter-python.wasm`), an absolute file path or URL, or the bytes.
 */
export type GrammarSource =
  | {
      /** A module specifier resolved with `require.resolve` from this package. */
      readonly module: string
    }
  | {
      /** An absolute file path or `file:` URL. */
      readonly path: string | URL
    }
  | {
      /** The `.wasm` file's bytes. */
      readonly bytes: Uint8Array
    }

/** A language `@ql/parser` can parse: how to recognise it and where its grammar lives. */
export interface LanguageDefinition {
  /** Lower-case id used everywhere (`typescript`, `cpp`, `csharp`). */
  readonly id: string
  /** The name to show a person (`C++`, `C#`). */
  readonly displayName: string
  /** File extensions, lower-case, with the dot (`.ts`, `.d.ts` counts as `.ts`). */
  readonly extensions: readonly string[]
  /** Exact file names (`Dockerfile`-style, `Makefile`, `.bashrc`), matched case-sensitively. */
  readonly filenames: readonly string[]
  /** Interpreters named on a `#!` line (`python3`, `node`, `bash`). */
  readonly shebangs: readonly string[]
  /** Extra names accepted as a markdown fence info string or a `language` option (`ts`, `py`, `c++`). */
  readonly aliases: readonly string[]
  /** Where the grammar `.wasm` comes from. */
  readonly grammar: GrammarSource
  /** Human-readable name of the grammar build (`tree-sitter-python 0.25.0 (npm)`). */
  readonly grammarName: string
  /** Known cases where the grammar flags valid code, or accepts invalid code. */
  readonly caveats: readonly string[]
}

/**
 * What `listLanguages()` returns for each language: the definition without the grammar
 * source, and whether the host registered it.
 */
export interface LanguageInfo extends Omit<LanguageDefinition, 'grammar'> {
  /** True when the grammar was registered by the host with `registerLanguage`. */
  readonly custom: boolean
}

import { bashTags } from './bash-tags'
import { cTags } from './c-tags'
import { clojureTags } from './clojure-tags'
import { cppTags } from './cpp-tags'
import { csharpTags } from './csharp-tags'
import { dartTags } from './dart-tags'
import { elixirTags } from './elixir-tags'
import { elmTags } from './elm-tags'
import { gleamTags } from './gleam-tags'
import { goTags } from './go-tags'
import { haskellTags } from './haskell-tags'
import { hclTags } from './hcl-tags'
import { javaTags } from './java-tags'
import { javascriptTags } from './javascript-tags'
import { kotlinTags } from './kotlin-tags'
import { luaTags } from './lua-tags'
import { nixTags } from './nix-tags'
import { perlTags } from './perl-tags'
import { phpTags } from './php-tags'
import { pythonTags } from './python-tags'
import { rTags } from './r-tags'
import { rubyTags } from './ruby-tags'
import { rustTags } from './rust-tags'
import { scalaTags } from './scala-tags'
import { swiftTags } from './swift-tags'
import { typescriptTags } from './typescript-tags'
import { zigTags } from './zig-tags'

/**
 * A tags query: tree-sitter query source whose captures name the symbols of a file, and how to
 * read them.
 *
 * Captures understood by `extractSymbols`:
 * - `@definition.<kind>` on the node of a definition, with `<kind>` one of `function`, `method`,
 *   `class`, `interface`, `type`, `enum`, `constant`, `module`, and `@name` on its name in the
 *   same pattern. When several patterns capture the same node, the earliest pattern wins, so
 *   specific patterns go before general ones. A `function` whose nearest enclosing definition is
 *   a class, interface or scope is reported as a `method`.
 * - `@receiver` (optional, in a definition pattern): the enclosing symbol's name when the
 *   syntax names it outside any enclosing node (Go receivers, `Circle::area` in C++).
 * - `@body` (optional): a node after the definition that belongs to it (Dart puts a function's
 *   body beside its signature); the definition's range is stretched over it.
 * - `@scope` with `@scope.name`: a container that is not a definition itself but names the
 *   enclosing symbol of what it holds (a Rust `impl`, a Swift `extension`).
 * - `@reference.call` / `@reference.type` with `@name`: a use of a name. Without `@name`, the
 *   `@reference.*` capture is the name itself (`(call function: (identifier) @reference.call)`):
 *   one capture per match instead of two, which the hot reference patterns use because
 *   web-tree-sitter builds a JavaScript object for every capture. A pattern without `@name` may
 *   capture several references (`(call receiver: (constant)? @reference.type method:
 *   (identifier)? @reference.call)`): one pattern compiles faster than two on the same node.
 * - `@import` with `@import.source` (the module, path or package) and `@import.name`
 *   (a name the import binds, in the same pattern or in a pattern of its own inside the import).
 *
 * Captures whose names start with `_` only feed predicates. Besides tree-sitter's own predicates
 * (`#eq?`, `#match?`, `#any-of?`), `extractSymbols` runs `#type?`, `#not-type?`, `#rightmost!`,
 * `#field!`, `#child!`, `#find-child!`, `#parent!`, `#parent-type?`, `#text?`, and for
 * single grammars `#c-function-name!`, `#c-declaration!`, `#elixir-call!` and `#kotlin-class!` (see
 * `src/symbols/match-predicates.ts`): with them a pattern can use
 * wildcards (`name: _ @name`), which cost nothing when the query is compiled, where a child step
 * naming a node type can cost tens to hundreds of milliseconds on a large grammar.
 */
export interface TagsQuery {
  /** The query source, in tree-sitter's query language. */
  readonly source: string
  /**
   * Merge adjacent definitions of one name and kind in one scope into a single definition
   * (Haskell equations and signatures, Elixir function clauses).
   */
  readonly mergeClauses?: boolean
  /**
   * Set only when every node a reference pattern names (its `@name`, else its `@reference.*`
   * capture) is an identifier token of this syntax: `extractSymbols` then reads where the name
   * ends from the text (plain ASCII names) instead of asking the tree, one call into WASM less
   * per reference. Leave it out for queries of your own unless the same holds.
   */
  readonly identifierSyntax?: 'javascript' | 'python'
}

const builtInTagsQueries: Record<string, TagsQuery> = {
  typescript: { source: typescriptTags, identifierSyntax: 'javascript' },
  tsx: { source: typescriptTags, identifierSyntax: 'javascript' },
  javascript: { source: javascriptTags, identifierSyntax: 'javascript' },
  python: { source: pythonTags, identifierSyntax: 'python' },
  go: { source: goTags },
  rust: { source: rustTags },
  java: { source: javaTags },
  c: { source: cTags },
  cpp: { source: cppTags },
  csharp: { source: csharpTags },
  ruby: { source: rubyTags },
  php: { source: phpTags },
  kotlin: { source: kotlinTags },
  swift: { source: swiftTags },
  scala: { source: scalaTags },
  bash: { source: bashTags },
  lua: { source: luaTags },
  haskell: { source: haskellTags, mergeClauses: true },
  elixir: { source: elixirTags, mergeClauses: true },
  dart: { source: dartTags },
  zig: { source: zigTags },
  hcl: { source: hclTags },
  nix: { source: nixTags },
  gleam: { source: gleamTags },
  elm: { source: elmTags, mergeClauses: true },
  clojure: { source: clojureTags },
  r: { source: rTags },
  perl: { source: perlTags },
}

const customTagsQueries = new Map<string, TagsQuery>()

/**
 * The tags query for a language id, or `undefined` when the language has none (data and
 * markup languages such as JSON, YAML, HTML have no symbols).
 */
export function getTagsQuery(languageId: string): TagsQuery | undefined {
  return customTagsQueries.get(languageId) ?? builtInTagsQueries[languageId]
}

/** The language ids that have a built-in tags query. */
export function listTagsQueryLanguages(): string[] {
  return [...new Set([...Object.keys(builtInTagsQueries), ...customTagsQueries.keys()])]
}

/**
 * Registers (or replaces) the tags query used for a language, for example for a grammar the
 * host registered with `registerLanguage`. The query is compiled on the next `symbols()` call;
 * a query that does not compile against the grammar makes that call throw.
 */
export function registerTagsQuery(languageId: string, query: TagsQuery): void {
  customTagsQueries.set(languageId, query)
}

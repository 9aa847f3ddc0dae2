import { type Language, Query } from 'web-tree-sitter'

interface Compiled {
  readonly source: string
  readonly full: Query
  /** The same query without its reference patterns, compiled on first use. */
  definitionsOnly?: Query
}

/** One compiled query per grammar; a grammar is loaded once per process, so this stays small. */
const compiled = new WeakMap<Language, Compiled>()

/**
 * Compiles a tags query for a grammar once and returns the cached `Query` on later calls. With
 * `references: false` it returns a variant without the `@reference.*` patterns, which runs
 * faster (the query cursor tries fewer patterns at each node). A different source for the same
 * grammar (a query registered with `registerTagsQuery`) replaces the cached queries, whose
 * WASM memory is freed.
 *
 * @throws {Error} from web-tree-sitter when the query names a node type or field the grammar
 *   does not have; the message names the offending position.
 */
export function compileTagsQuery(
  language: Language,
  source: string,
  options: { references?: boolean } = {},
): Query {
  let entry = compiled.get(language)
  if (entry === undefined || entry.source !== source) {
    const full = new Query(language, source)
    if (entry !== undefined) {
      entry.full.delete()
      entry.definitionsOnly?.delete()
    }
    entry = { source, full }
    compiled.set(language, entry)
  }
  if (options.references !== false) return entry.full
  if (entry.definitionsOnly === undefined) {
    // keep every pattern that captures no reference, in the same order (so "first pattern wins" holds)
    const patterns: string[] = []
    for (let i = 0; i < entry.full.patternCount(); i++) {
      const text = source.slice(entry.full.startIndexForPattern(i), entry.full.endIndexForPattern(i))
      if (!text.includes('@reference.')) patterns.push(text)
    }
    entry.definitionsOnly = new Query(language, patterns.join('\n'))
  }
  return entry.definitionsOnly
}

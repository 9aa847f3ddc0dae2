import { type Language, Query } from 'web-tree-sitter'

interface Compiled {
  readonly source: string
  readonly full: Query
  /** The same query without its reference patterns, compiled on first use. */
  definitionsOnly?: Query
}

/** One compiled query per grammar; a grammar is loaded once per process, so this stays small. */
const compiled = new WeakMap<Language, Compiled>()
/** The splits of each compiled query (see {@link compileSplitTagsQuery}), by root node type. */
const splits = new WeakMap<Query, Map<string, SplitTagsQuery>>()

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
      for (const old of [entry.full, entry.definitionsOnly]) {
        if (old === undefined) continue
        for (const split of splits.get(old)?.values() ?? []) {
          if (split.query !== old) split.query.delete()
          split.topLevel?.delete()
        }
        old.delete()
      }
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

/**
 * A tags query split for speed: the patterns rooted at the tree's root node (`(program (...))`,
 * `(module (...))`) re-rooted at its children and run with `maxStartDepth: 1`, so the query
 * cursor only visits the root's children (and the subtrees their matches need), and all the
 * other patterns, run over the whole tree. Each rooted pattern otherwise keeps a state alive
 * through the whole walk of the tree (about 20 ms per pattern on a 9 MB file).
 */
export interface SplitTagsQuery {
  /** The patterns run over the whole tree. */
  readonly query: Query
  /** For each pattern of {@link SplitTagsQuery.query}, its index in the tags query source. */
  readonly patternIndex: readonly number[]
  /** The root-rooted patterns without their root, to run with `maxStartDepth: 1`. */
  readonly topLevel?: Query
  /** For each pattern of {@link SplitTagsQuery.topLevel}, its index in the tags query source. */
  readonly topLevelPatternIndex: readonly number[]
}

/**
 * {@link compileTagsQuery}, split as {@link SplitTagsQuery} describes for trees whose root node
 * has type `rootType`. Cached per compiled query and root type. When nothing is rooted at the
 * root, or the re-rooted patterns do not compile, everything stays in `query`.
 */
export function compileSplitTagsQuery(
  language: Language,
  source: string,
  rootType: string,
  options: { references?: boolean } = {},
): SplitTagsQuery {
  const whole = compileTagsQuery(language, source, options)
  let byRoot = splits.get(whole)
  if (byRoot === undefined) {
    byRoot = new Map()
    splits.set(whole, byRoot)
  }
  const cached = byRoot.get(rootType)
  if (cached !== undefined) return cached
  const full = compileTagsQuery(language, source)
  const rooted = new RegExp(`^\\(\\s*${rootType.replace(/[^A-Za-z0-9_]/g, '\\$&')}\\s+(?=\\()`)
  // the patterns of `whole`, in order, with their index in the source
  const kept: { text: string; index: number }[] = []
  for (let index = 0; index < full.patternCount(); index++) {
    const text = source.slice(full.startIndexForPattern(index), full.endIndexForPattern(index))
    if (options.references === false && text.includes('@reference.')) continue
    kept.push({ text, index })
  }
  const rest: { text: string; index: number }[] = []
  const top: { text: string; index: number }[] = []
  for (const { text, index } of kept) {
    // only a root with child patterns and nothing after it (a capture on the root itself stays)
    const match = text.trimEnd().endsWith(')') ? rooted.exec(text) : null
    if (match === null) rest.push({ text, index })
    else top.push({ text: `(${text.slice(match[0].length)}`, index })
  }
  let split: SplitTagsQuery = {
    query: whole,
    patternIndex: kept.map((p) => p.index),
    topLevelPatternIndex: [],
  }
  if (top.length > 0) {
    let topLevel: Query | undefined
    let query: Query | undefined
    try {
      topLevel = new Query(language, top.map((p) => p.text).join('\n'))
      query = new Query(language, rest.map((p) => p.text).join('\n'))
      split = {
        query,
        patternIndex: rest.map((p) => p.index),
        topLevel,
        topLevelPatternIndex: top.map((p) => p.index),
      }
    } catch {
      topLevel?.delete()
      query?.delete()
    }
  }
  byRoot.set(rootType, split)
  return split
}

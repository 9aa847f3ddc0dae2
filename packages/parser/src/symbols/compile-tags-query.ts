import type { Language, Query } from 'web-tree-sitter'
import { createQuery } from '../tree-sitter-runtime'
import { splitQueryPatterns } from './query-patterns'

/**
 * A tags query compiled for one tree shape, split for speed: the patterns rooted at the tree's
 * root node (`(program (...))`, `(module (...))`) re-rooted at its children and run with
 * `maxStartDepth: 1`, so the query cursor only visits the root's children (and the subtrees
 * their matches need), and all the other patterns, run over the whole tree. Each rooted pattern
 * otherwise keeps a state alive through the whole walk of the tree (about 20 ms per pattern on
 * a 9 MB file).
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

interface Compiled {
  readonly source: string
  readonly patterns: readonly string[]
  /** Compiled queries by their source text, so variants with the same patterns share one. */
  readonly queries: Map<string, Query>
  /** Splits by root node type and whether references are wanted. */
  readonly splits: Map<string, SplitTagsQuery>
}

/** One entry per grammar; a grammar is loaded once per process, so this stays small. */
const compiled = new WeakMap<Language, Compiled>()

/**
 * The tags query `source` compiled for trees of `language` whose root node has type `rootType`,
 * split as {@link SplitTagsQuery} describes. With `references: false` the `@reference.*`
 * patterns are left out, so the query cursor tries fewer patterns at each node.
 *
 * Nothing is compiled twice: the source is cut into patterns without compiling it, each variant
 * (with or without references, per root type) is compiled on first use and cached, and variants
 * with the same patterns share one `Query`. Compiling is the slow part of a first `symbols()`
 * (tree-sitter analyses every pattern against the grammar's parse table), so this compiles only
 * what the call needs. A different source for the same grammar (a query registered with
 * `registerTagsQuery`) replaces the cached queries, whose WASM memory is freed.
 *
 * With `reuse: true`, a call without references takes the variant with references when only
 * that one is compiled yet (its reference matches cost little on a small input; compiling the
 * other variant costs 5–30 ms), so a first `chunks()` after a first `symbols()` compiles nothing.
 *
 * @throws {Error} from web-tree-sitter when the query names a node type or field the grammar
 *   does not have; the message names the offending position in `source`.
 */
export function compileSplitTagsQuery(
  language: Language,
  source: string,
  rootType: string,
  options: { references?: boolean; reuse?: boolean } = {},
): SplitTagsQuery {
  let entry = compiled.get(language)
  if (entry === undefined || entry.source !== source) {
    if (entry !== undefined) for (const query of entry.queries.values()) query.delete()
    entry = { source, patterns: splitQueryPatterns(source), queries: new Map(), splits: new Map() }
    compiled.set(language, entry)
  }
  const references = options.references !== false
  const key = `${rootType}\u0000${references}`
  const cached = entry.splits.get(key)
  if (cached !== undefined) return cached
  if (!references && options.reuse === true) {
    const withReferences = entry.splits.get(`${rootType}\u0000true`)
    if (withReferences !== undefined) return withReferences
  }

  const rooted = new RegExp(`^\\(\\s*${rootType.replace(/[^A-Za-z0-9_]/g, '\\$&')}\\s+(?=\\()`)
  const rest: { text: string; index: number }[] = []
  const top: { text: string; index: number }[] = []
  entry.patterns.forEach((text, index) => {
    if (!references && text.includes('@reference.')) return
    // only a root with child patterns and nothing after it (a capture on the root itself stays)
    const match = text.trimEnd().endsWith(')') ? rooted.exec(text) : null
    if (match === null) rest.push({ text, index })
    else top.push({ text: `(${text.slice(match[0].length)}`, index })
  })
  let split: SplitTagsQuery
  const topLevel = top.length > 0 ? tryCompile(entry, language, top) : undefined
  if (topLevel === undefined) {
    // nothing rooted at the root, or the re-rooted patterns do not compile: run them as written
    const all = entry.patterns
      .map((text, index) => ({ text, index }))
      .filter(({ text }) => references || !text.includes('@reference.'))
    split = {
      query: compile(entry, language, all),
      patternIndex: all.map((p) => p.index),
      topLevelPatternIndex: [],
    }
  } else {
    split = {
      query: compile(entry, language, rest),
      patternIndex: rest.map((p) => p.index),
      topLevel,
      topLevelPatternIndex: top.map((p) => p.index),
    }
  }
  entry.splits.set(key, split)
  return split
}

function compile(entry: Compiled, language: Language, patterns: { text: string }[]): Query {
  const text = patterns.map((p) => p.text).join('\n')
  let query = entry.queries.get(text)
  if (query === undefined) {
    try {
      query = createQuery(language, text)
    } catch (error) {
      // report the error against the whole source, whose positions the author knows
      createQuery(language, entry.source).delete()
      throw error
    }
    entry.queries.set(text, query)
  }
  return query
}

function tryCompile(entry: Compiled, language: Language, patterns: { text: string }[]): Query | undefined {
  const text = patterns.map((p) => p.text).join('\n')
  const cached = entry.queries.get(text)
  if (cached !== undefined) return cached
  try {
    const query = createQuery(language, text)
    entry.queries.set(text, query)
    return query
  } catch {
    return undefined
  }
}

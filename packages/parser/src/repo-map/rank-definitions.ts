import type { MappedRepoFile } from './map-repo-file'
import { pageRank, type WeightedEdge } from './page-rank'
import type { MappedDefinition } from './render-repo-map'
import { resolveImports } from './resolve-imports'

/** A definition and its rank. */
export interface RankedDefinition {
  readonly file: MappedRepoFile
  readonly definition: MappedDefinition
  readonly rank: number
}

/** What the ranking favours. */
export interface RankFocus {
  /** Paths of the files being edited. */
  readonly files: ReadonlySet<string>
  /** Names being discussed. */
  readonly identifiers: ReadonlySet<string>
}

/**
 * Languages where the files of one directory share one scope (a Go or Java package, a C#
 * namespace by convention, a Rust module's files, Swift's module): a name defined beside the
 * referencing file is visible to it without an import.
 */
const PACKAGE_SCOPED = /\.(?:go|java|kt|kts|scala|cs|swift|rs|ex|exs|dart)$/

/** Tests, specs, benchmarks and examples: what uses the code, not the code. */
const TEST_FILE =
  /(?:^|\/)(?:tests?|__tests__|spec|specs|testing|benchmarks?|bench|examples?|fixtures?)\/|[._-](?:test|spec|bench)\.[^/]*$|(?:^|\/)test_[^/]*\.py$|_test\.go$/

/** Receivers that are the object itself: a member reached through them is defined in the same class. */
const SELF = new Set(['this', 'self', 'Self', 'cls', 'super', 'static', '$this', 'parent'])

/**
 * Members every value has in JavaScript and Python (`toString`, `push`, `get`, `keys`, a
 * Proxy trap's `defineProperty`): reached through an unknown receiver, such a name is almost
 * always the built-in one, whatever the repository defines under it.
 */
const BUILT_IN_MEMBERS: ReadonlySet<string> = (() => {
  const names = new Set<string>()
  const holders: object[] = [
    Object,
    Object.prototype,
    Function.prototype,
    Array,
    Array.prototype,
    String,
    String.prototype,
    Number,
    Number.prototype,
    Promise,
    Promise.prototype,
    Map.prototype,
    Set.prototype,
    WeakMap.prototype,
    Date.prototype,
    RegExp.prototype,
    Error.prototype,
    Math,
    JSON,
    Reflect,
  ]
  for (const holder of holders) for (const name of Object.getOwnPropertyNames(holder)) names.add(name)
  const python =
    'append extend insert pop remove clear copy count index sort reverse get items keys values update ' +
    'setdefault popitem add discard union intersection difference join split rsplit strip lstrip rstrip ' +
    'replace format startswith endswith lower upper encode decode find rfind read write close readline ' +
    'readlines seek flush __init__ __str__ __repr__ __eq__ __hash__ __len__ __iter__ __next__ __enter__ __exit__'
  for (const name of python.split(' ')) names.add(name)
  names.delete('constructor')
  return names
})()

/** Names long and shaped enough to mean one thing (`formatPrice`, `parse_args`). */
function isSpecificName(name: string): boolean {
  return name.length >= 8 && (/[a-z][A-Z]/.test(name) || name.includes('_') || name.includes('-'))
}

/** A capitalised global nobody in the repository defines or imports: `Object`, `Math`, `JSON`, `console`. */
function isExternal(qualifier: string, defined: ReadonlyMap<string, number[]>): boolean {
  return qualifier !== '?' && !defined.has(qualifier)
}

/**
 * Ranks every definition the way a reader weighs a repository (Aider's graph, with the
 * references resolved the way imports resolve them):
 *
 * - each file is a node; each reference it makes to a name is an edge to the files that define
 *   the name, weighted by √(uses) and by how telling the name is (long and specific ×10,
 *   `_private` ×0.1, a focus identifier ×10, from a focus file ×50);
 * - a reference counts for the definitions it can reach: through an import that binds the
 *   name or its qualifier (`util.parse` with `import * as util`), in a file the referencing
 *   file imports (or one those import: barrels re-export), in the same file, or in the same
 *   package (Go, Java, …). A definition elsewhere with the same name gets 2% of it; when no
 *   definition is reachable, every one gets a tenth (a hundredth past five definers);
 * - a member reached through a global nobody defines (`Object.defineProperty`,
 *   `Math.max`) counts for nothing, and a built-in member name (`toString`, `push`) reached
 *   through any other receiver for a tenth;
 * - PageRank over the edges between files (personalised toward focus files) ranks the files;
 *   each file's rank, shared over its edges, ranks the definitions they point at (a tenth for
 *   edges a file makes to itself); a focus file's own definitions count a tenth, so what
 *   it uses comes before what it already shows.
 */
export function rankDefinitions(
  files: readonly MappedRepoFile[],
  focus: RankFocus,
): { list: RankedDefinition[]; fileRanks: number[] } {
  const definers = new Map<string, number[]>()
  files.forEach((file, index) => {
    for (const definition of file.definitions) {
      const list = definers.get(definition.name)
      if (list === undefined) definers.set(definition.name, [index])
      else if (list[list.length - 1] !== index) list.push(index)
    }
  })
  const resolved = resolveImports(
    files.map((file) => file.path),
    files.map((file) => file.imports),
  )
  // what each file can see: itself and its package (1), what it imports (1), what those import (0.5)
  const packages = new Map<string, number[]>()
  files.forEach((file, index) => {
    if (!PACKAGE_SCOPED.test(file.path)) return
    const directory = file.path.slice(0, Math.max(0, file.path.lastIndexOf('/')))
    const list = packages.get(directory)
    if (list === undefined) packages.set(directory, [index])
    else list.push(index)
  })
  const scopeOf = (index: number): Map<number, number> => {
    const scope = new Map<number, number>()
    for (const direct of resolved[index]?.files ?? [])
      for (const indirect of resolved[direct]?.files ?? []) scope.set(indirect, 0.5)
    for (const direct of resolved[index]?.files ?? []) scope.set(direct, 1)
    const path = (files[index] as MappedRepoFile).path
    if (PACKAGE_SCOPED.test(path))
      for (const sibling of packages.get(path.slice(0, Math.max(0, path.lastIndexOf('/')))) ?? [])
        scope.set(sibling, 1)
    scope.set(index, 1)
    return scope
  }
  const withImports = (set: ReadonlySet<number>): Map<number, number> => {
    const scope = new Map<number, number>()
    for (const file of set) for (const indirect of resolved[file]?.files ?? []) scope.set(indirect, 0.5)
    for (const file of set) scope.set(file, 1)
    return scope
  }

  const edges: (WeightedEdge & { name: string })[] = []
  const referenced = new Set<string>()
  files.forEach((file, from) => {
    const scope = scopeOf(from)
    const bindings = resolved[from]?.bindings ?? new Map()
    for (const [name, qualifier, uses] of file.references) {
      const targets = definers.get(name)
      if (targets === undefined) continue
      let weight = Math.sqrt(uses)
      if (focus.identifiers.has(name)) weight *= 10
      if (isSpecificName(name)) weight *= 10
      if (name.startsWith('_')) weight *= 0.1
      if (focus.files.has(file.path)) weight *= 50

      // where the name can come from, as far as this file says
      let reach: ReadonlyMap<number, number> = scope
      if (qualifier === '') {
        const imported = bindings.get(name)
        if (imported !== undefined) reach = withImports(imported)
      } else if (SELF.has(qualifier)) {
        reach = new Map([[from, 1], ...scope])
      } else if (bindings.has(qualifier)) {
        reach = withImports(bindings.get(qualifier) as ReadonlySet<number>)
      } else if (/^[A-Z]/.test(qualifier) && isExternal(qualifier, definers)) {
        continue // Object.defineProperty, Math.max, JSON.parse: not this repository's
      } else if (BUILT_IN_MEMBERS.has(name)) {
        weight *= 0.1
      }
      const reachable = targets.filter((target) => reach.has(target))
      referenced.add(name)
      if (reachable.length > 0) {
        for (const to of targets) {
          const share = reach.get(to)
          edges.push({ from, to, weight: weight * (share ?? 0.02), name })
        }
      } else {
        const bare = weight * 0.1 * (targets.length > 5 ? 0.1 : 1)
        for (const to of targets) edges.push({ from, to, weight: bare, name })
      }
    }
  })
  // a name nobody references still gets a little rank from its own file
  for (const [name, targets] of definers) {
    if (referenced.has(name)) continue
    const weight = focus.identifiers.has(name) ? 1 : 0.1
    for (const index of targets) edges.push({ from: index, to: index, weight, name })
  }

  const personalization = files.map((file) => {
    if (focus.files.has(file.path)) return 1
    // no focus: a reader starts from the code more often than from its tests and benchmarks
    if (focus.files.size === 0 && focus.identifiers.size === 0) return TEST_FILE.test(file.path) ? 0.1 : 1
    const stem =
      file.path
        .split('/')
        .pop()
        ?.replace(/\.[^.]*$/, '') ?? ''
    return file.path.split('/').some((part) => focus.identifiers.has(part)) || focus.identifiers.has(stem)
      ? 1
      : 0
  })
  const hasPersonalization = personalization.some((value) => value > 0)
  // files rank by what other files reference in them: a file's use of its own names is no vote
  const crossFile = edges.filter((edge) => edge.from !== edge.to)
  const fileRanks = pageRank(files.length, crossFile, hasPersonalization ? { personalization } : {})

  const outWeight = new Float64Array(files.length)
  for (const edge of edges) outWeight[edge.from] = (outWeight[edge.from] as number) + edge.weight
  const definitionRank = new Map<string, number>()
  for (const edge of edges) {
    const key = `${edge.to}\u0000${edge.name}`
    // a name used only where it is defined says little about the repository: a tenth of the share
    const discount = edge.from === edge.to ? 0.1 : 1
    const share =
      (discount * (fileRanks[edge.from] as number) * edge.weight) / (outWeight[edge.from] as number)
    definitionRank.set(key, (definitionRank.get(key) ?? 0) + share)
  }

  const list: RankedDefinition[] = []
  files.forEach((file, index) => {
    for (const definition of file.definitions) {
      let value = definitionRank.get(`${index}\u0000${definition.name}`)
      if (value === undefined) continue
      if (focus.identifiers.has(definition.name)) value *= 10
      // the files being edited are in front of the reader already: what they use comes first
      if (focus.files.has(file.path)) value *= 0.1
      list.push({ file, definition, rank: value })
    }
  })
  list.sort(
    (a, b) => b.rank - a.rank || compare(a.file.path, b.file.path) || a.definition.line - b.definition.line,
  )
  return { list, fileRanks }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

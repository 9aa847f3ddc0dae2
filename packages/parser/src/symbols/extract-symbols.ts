import type { Node, QueryCapture, QueryMatch } from 'web-tree-sitter'
import type { BudgetedOperation } from '../errors/budget-exceeded-error'
import { getTagsQuery } from '../queries/tags-query'
import type { CodeSymbols } from './code-symbols'
import { compileSplitTagsQuery } from './compile-tags-query'
import { findDocComment, outermostWrapperIn } from './find-doc-comment'
import { matchPredicatesOf } from './match-predicates'
import type { ParsedSource } from './parsed-source'
import { signatureLine } from './signature-line'
import { createRangeReader, type SourceRange } from './source-range'
import type { SymbolDefinition } from './symbol-definition'
import type { SymbolImport } from './symbol-import'
import { type SymbolKind, symbolKinds } from './symbol-kind'
import type { SymbolReference } from './symbol-reference'
import { DEFAULT_SYMBOLS_BUDGET_MS, SymbolsBudget } from './symbols-budget'

/** Options of {@link extractSymbols}. */
export interface ExtractSymbolsOptions {
  /** Collect references (calls, type uses). Default `true`; turn off when only definitions are needed. */
  readonly references?: boolean
  /** Collect doc comments. Default `true`. */
  readonly docs?: boolean
  /**
   * Time budget in milliseconds. Past it the work stops and `BudgetExceededError` (code
   * `budget_exceeded`, operation `symbols`) is thrown; nothing partial is returned. Default
   * 5 s; `Infinity` turns it off.
   */
  readonly budgetMs?: number
  /** @internal The operation named in `BudgetExceededError` (`chunks` when `chunkCode` asks). */
  readonly budgetOperation?: BudgetedOperation
}

interface DefinitionMatch {
  node: Node
  name: Node
  kind: SymbolKind
  pattern: number
  end: Node
  receiver?: string
}

interface Container {
  start: number
  end: number
  /** Where the definition's name starts (its end is `nameStart + name.length`). */
  nameStart?: number
  name: string
  kind: SymbolKind | 'scope'
  definition?: DefinitionMatch
}

const kindSet = new Set<string>(symbolKinds)
/** Containers whose functions are methods. */
const methodHolders = new Set<string>(['class', 'interface', 'scope', 'enum'])

/**
 * Up to this size, a call without references runs the query with references when that one is
 * compiled and the other is not: skipping its reference matches costs less than a compile.
 */
const REUSE_QUERY_MAX_CHARS = 256 * 1024

const empty = (): CodeSymbols => ({ definitions: [], references: [], imports: [] })

/**
 * Extracts definitions, references and imports from a parsed file with the language's tags
 * query (see `src/queries/`). The query is compiled once per grammar and cached. The tree is
 * only read, never freed: the caller (usually `ParsedCode.symbols()`) owns it.
 *
 * Languages without a tags query (JSON, YAML, Markdown, ...) give empty lists.
 *
 * Bounded: the query cursor and every loop after it check `options.budgetMs`.
 *
 * @throws {BudgetExceededError} when the work runs past `options.budgetMs`.
 * @throws {InvalidArgumentError} when `options.budgetMs` is not a positive number.
 * @throws {Error} when a registered query does not compile against the grammar.
 */
export function extractSymbols(parsed: ParsedSource, options: ExtractSymbolsOptions = {}): CodeSymbols {
  const spec = getTagsQuery(parsed.language)
  if (spec === undefined) return empty()
  const { code, tree } = parsed
  const wantReferences = options.references !== false
  const root = tree.rootNode
  // the query compiles once per grammar (cached) and costs the same whatever the input: the
  // budget bounds the work on this input, so it starts after the compile (a first call on a
  // busy machine must not run out of time compiling our own query)
  const split = compileSplitTagsQuery(tree.language, spec.source, root.type, {
    references: wantReferences,
    reuse: code.length <= REUSE_QUERY_MAX_CHARS,
  })
  const budget = new SymbolsBudget(
    options.budgetMs ?? DEFAULT_SYMBOLS_BUDGET_MS,
    options.budgetOperation ?? 'symbols',
    `${parsed.language} code of ${code.length} characters`,
  )
  const progressCallback = budget.bounded ? budget.cancelQuery : undefined

  const definitionsByNode = new Map<number, DefinitionMatch>()
  const scopes: Container[] = []
  const referenceNodes: { node: Node; kind: 'call' | 'type' }[] = []
  const importMatches: { node: Node; source: Node; names: Node[] }[] = []
  const looseImportNames: Node[] = []

  let patternIndex = split.patternIndex
  let predicates = matchPredicatesOf(split.query)
  const matches = split.query.matches(root, progressCallback === undefined ? {} : { progressCallback })
  budget.afterQuery()
  for (const match of matches) collect(match)
  if (split.topLevel !== undefined) {
    patternIndex = split.topLevelPatternIndex
    predicates = matchPredicatesOf(split.topLevel)
    const top = split.topLevel.matches(root, {
      maxStartDepth: 1,
      ...(progressCallback === undefined ? {} : { progressCallback }),
    })
    budget.afterQuery()
    for (const match of top) collect(match)
  }

  function collect(match: QueryMatch): void {
    const checks = predicates[match.patternIndex]
    if (checks !== undefined) for (const check of checks) if (!check(match.captures)) return
    // Most matches are references captured as one node (the name): no need to sort captures out.
    const captures = match.captures
    if (captures.length === 1) {
      const only = captures[0] as QueryCapture
      if (only.name === 'reference.call' || only.name === 'reference.type') {
        if (wantReferences)
          referenceNodes.push({ node: only.node, kind: only.name === 'reference.call' ? 'call' : 'type' })
        return
      }
    }
    let defNode: Node | undefined
    let kind: string | undefined
    let name: Node | undefined
    let receiver: Node | undefined
    let body: Node | undefined
    let scope: Node | undefined
    let scopeName: Node | undefined
    let refKind: string | undefined
    let refNode: Node | undefined
    /** References before the last when a match captures several (`receiver: @reference.type method: @reference.call`). */
    let moreRefs: { node: Node; kind: 'call' | 'type' }[] | undefined
    let importNode: Node | undefined
    let importSource: Node | undefined
    let importNames: Node[] | undefined
    for (const capture of match.captures) {
      const captureName = capture.name
      if (captureName === 'name') name = capture.node
      else if (captureName.startsWith('definition.')) {
        defNode = capture.node
        kind = captureName.slice(11)
      } else if (captureName.startsWith('reference.')) {
        if (refNode !== undefined) {
          moreRefs ??= []
          moreRefs.push({ node: refNode, kind: refKind === 'call' ? 'call' : 'type' })
        }
        refKind = captureName.slice(10)
        refNode = capture.node
      } else if (captureName === 'receiver') receiver = capture.node
      else if (captureName === 'body') body = capture.node
      else if (captureName === 'scope') scope = capture.node
      else if (captureName === 'scope.name') scopeName = capture.node
      else if (captureName === 'import') importNode = capture.node
      else if (captureName === 'import.source') importSource = capture.node
      else if (captureName === 'import.name') {
        if (importNames === undefined) importNames = []
        importNames.push(capture.node)
      }
    }
    if (defNode !== undefined && name !== undefined && kind !== undefined && kindSet.has(kind)) {
      // the pattern's index in the tags query source: "earliest pattern wins" across both queries
      const pattern = patternIndex[match.patternIndex] as number
      const previous = definitionsByNode.get(defNode.id)
      if (previous === undefined || previous.pattern > pattern) {
        definitionsByNode.set(defNode.id, {
          node: defNode,
          name,
          kind: kind as SymbolKind,
          pattern,
          end: body ?? defNode,
          receiver: receiver === undefined ? undefined : code.slice(receiver.startIndex, receiver.endIndex),
        })
      }
    } else if (scope !== undefined && scopeName !== undefined) {
      scopes.push({
        start: scope.startIndex,
        end: scope.endIndex,
        name: code.slice(scopeName.startIndex, scopeName.endIndex),
        kind: 'scope',
      })
    } else if (refKind !== undefined && refNode !== undefined) {
      // the name, or the reference node itself when the pattern captures only the name
      if (wantReferences) {
        if (name === undefined && moreRefs !== undefined) for (const ref of moreRefs) referenceNodes.push(ref)
        referenceNodes.push({ node: name ?? refNode, kind: refKind === 'call' ? 'call' : 'type' })
      }
    } else if (importNode !== undefined && importSource !== undefined) {
      importMatches.push({ node: importNode, source: importSource, names: importNames ?? [] })
    } else if (importNames !== undefined) {
      looseImportNames.push(...importNames)
    }
  }

  // Imports first: a constant holding an import (`const fs = require('fs')`) is not a constant.
  const rangeOf = createRangeReader(code)
  const imports = buildImports(importMatches, looseImportNames, code, rangeOf)
  const importStarts = imports.map((item) => item.range.startIndex)

  let defs = [...definitionsByNode.values()].filter(
    (def) => def.kind !== 'constant' || !containsAny(importStarts, def.node.startIndex, def.node.endIndex),
  )
  defs.sort((a, b) => a.node.startIndex - b.node.startIndex || b.end.endIndex - a.end.endIndex)
  if (spec.mergeClauses === true) defs = mergeClauses(defs, budget)

  // Enclosing containers by a sweep over definitions and scopes sorted by start. Each `endIndex`
  // is a call into WASM: read once here, then use the numbers.
  const containers: Container[] = defs.map((def) => ({
    start: def.node.startIndex,
    end: def.end.endIndex,
    nameStart: def.name.startIndex,
    name: code.slice(def.name.startIndex, def.name.endIndex),
    kind: def.kind,
    definition: def,
  }))
  for (const scope of scopes) containers.push(scope)
  containers.sort((a, b) => a.start - b.start || b.end - a.end)
  const parentOf = new Map<Container, Container | undefined>()
  const stack: Container[] = []
  for (const container of containers) {
    while (stack.length > 0 && (stack[stack.length - 1] as Container).end <= container.start) stack.pop()
    const top = stack[stack.length - 1]
    parentOf.set(container, top !== undefined && container.end <= top.end ? top : undefined)
    stack.push(container)
  }

  const definitions: SymbolDefinition[] = []
  for (const container of containers) {
    budget.check()
    const def = container.definition
    if (def === undefined) continue
    const parent = parentOf.get(container)
    // a constant declared inside a function is a local, not a symbol of the file
    if (def.kind === 'constant' && (parent?.kind === 'function' || parent?.kind === 'method')) continue
    const body = def.node.childForFieldName('body')
    const kind: SymbolKind =
      def.kind === 'function' && parent !== undefined && methodHolders.has(parent.kind)
        ? 'method'
        : // Swift has one class_declaration for classes and enums: an enum's body tells it apart
          def.kind === 'class' && body?.type === 'enum_class_body'
          ? 'enum'
          : def.kind
    const wrapper = outermostWrapperIn(def.node, parsed.language, code)
    const doc =
      options.docs === false ? undefined : findDocComment(def.node, parsed.language, code, wrapper, body)
    const enclosing = def.receiver ?? parent?.name
    const definition: SymbolDefinition = {
      name: container.name,
      kind,
      range: rangeOf(container.start, container.end),
      nameRange: rangeOf(
        container.nameStart as number,
        (container.nameStart as number) + container.name.length,
      ),
      signature: signatureLine(def.node, wrapper.startIndex, code, body),
      ...(enclosing === undefined ? {} : { enclosing }),
      ...(doc === undefined ? {} : { doc }),
    }
    definitions.push(definition)
  }

  const identifierEnd =
    spec.identifierSyntax === undefined ? undefined : identifierEnds[spec.identifierSyntax]
  const references = wantReferences
    ? buildReferences(referenceNodes, defs, containers, code, rangeOf, identifierEnd)
    : []
  return { definitions, references, imports }
}

/** ASCII characters that continue an identifier, per syntax (a 128-entry table); any other ASCII character ends it. */
function asciiTable(pattern: RegExp): Uint8Array {
  const table = new Uint8Array(128)
  for (let c = 0; c < 128; c++) table[c] = pattern.test(String.fromCharCode(c)) ? 1 : 0
  return table
}

/**
 * Where an identifier token starting at `start` ends, read from the text, or -1 when the text
 * does not settle it: a non-ASCII character or a `\\` escape (tree-sitter's identifier rules
 * decide those), or no identifier character at `start` (a zero-width MISSING node).
 */
function identifierEndReader(continues: Uint8Array): (code: string, start: number) => number {
  return (code, start) => {
    let i = start
    for (; i < code.length; i++) {
      const c = code.charCodeAt(i)
      if (c >= 0x7f || c === 0x5c) return -1
      if (continues[c] === 0) break
    }
    return i === start ? -1 : i
  }
}

const identifierEnds = {
  javascript: identifierEndReader(asciiTable(/[A-Za-z0-9_$]/)),
  python: identifierEndReader(asciiTable(/[A-Za-z0-9_]/)),
}

/** True when a value of `sortedStarts` (ascending) lies in [start, end). Binary search. */
function containsAny(sortedStarts: number[], start: number, end: number): boolean {
  const i = firstAtOrAfter(sortedStarts, start)
  return i < sortedStarts.length && (sortedStarts[i] as number) < end
}

/** The index of the first value of `sorted` (ascending) that is >= `value`, or its length. */
function firstAtOrAfter(sorted: readonly number[], value: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((sorted[middle] as number) < value) low = middle + 1
    else high = middle
  }
  return low
}

function mergeClauses(defs: DefinitionMatch[], budget: SymbolsBudget): DefinitionMatch[] {
  const merged: DefinitionMatch[] = []
  for (const def of defs) {
    budget.check()
    const last = merged[merged.length - 1]
    if (
      last !== undefined &&
      last.kind === def.kind &&
      last.node.parent?.id === def.node.parent?.id &&
      last.name.text === def.name.text &&
      last.end.endIndex <= def.node.startIndex
    ) {
      last.end = def.end
      continue
    }
    merged.push({ ...def })
  }
  return merged
}

function buildReferences(
  nodes: { node: Node; kind: 'call' | 'type' }[],
  defs: DefinitionMatch[],
  containers: Container[],
  code: string,
  rangeOf: (startIndex: number, endIndex: number) => SourceRange,
  identifierEnd?: (code: string, start: number) => number,
): SymbolReference[] {
  const definitionNames = new Set<number>()
  for (const def of defs) definitionNames.add(def.name.startIndex)
  nodes.sort((a, b) => a.node.startIndex - b.node.startIndex)
  const references: SymbolReference[] = []
  const stack: Container[] = []
  let next = 0
  let lastStart = -1
  for (const { node, kind } of nodes) {
    const start = node.startIndex
    if (start === lastStart || definitionNames.has(start)) continue
    lastStart = start
    while (next < containers.length && (containers[next] as Container).start <= start) {
      const container = containers[next] as Container
      while (stack.length > 0 && (stack[stack.length - 1] as Container).end <= container.start) stack.pop()
      if (container.definition !== undefined) stack.push(container)
      next++
    }
    while (stack.length > 0 && (stack[stack.length - 1] as Container).end <= start) stack.pop()
    const enclosing = stack[stack.length - 1]?.name
    const end = identifierEnd === undefined ? -1 : identifierEnd(code, start)
    const range = rangeOf(start, end < 0 ? node.endIndex : end)
    const name = code.slice(start, range.endIndex)
    references.push(enclosing === undefined ? { name, kind, range } : { name, kind, range, enclosing })
  }
  return references
}

function unquote(text: string): string {
  return text.replace(/^import\s+/, '').replace(/^(["'`<])(.*)(["'`>])$/s, '$2')
}

function buildImports(
  matches: { node: Node; source: Node; names: Node[] }[],
  looseNames: Node[],
  code: string,
  rangeOf: (startIndex: number, endIndex: number) => SourceRange,
): SymbolImport[] {
  const byKey = new Map<string, { start: number; end: number; node: Node; source: string; names: string[] }>()
  for (const match of matches) {
    const source = unquote(code.slice(match.source.startIndex, match.source.endIndex).trim())
    const key = `${match.node.startIndex}:${source}`
    let entry = byKey.get(key)
    if (entry === undefined) {
      entry = { start: match.node.startIndex, end: match.node.endIndex, node: match.node, source, names: [] }
      byKey.set(key, entry)
    }
    for (const name of match.names) entry.names.push(code.slice(name.startIndex, name.endIndex))
  }
  const entries = [...byKey.values()].sort((a, b) => a.start - b.start)
  const starts = entries.map((entry) => entry.start)
  for (const name of looseNames) {
    // the innermost import containing the name; the first of several sharing one statement
    let owner: (typeof entries)[number] | undefined
    const nameStart = name.startIndex
    const nameEnd = name.endIndex
    // entries starting at or before the name, latest first (a few steps: imports rarely nest)
    for (let i = firstAtOrAfter(starts, nameStart + 1) - 1, steps = 0; i >= 0 && steps < 32; i--, steps++) {
      const entry = entries[i] as (typeof entries)[number]
      if (owner !== undefined && entry.start < owner.start) break
      if (nameEnd <= entry.end) owner = entry
    }
    const text = code.slice(nameStart, nameEnd)
    if (owner !== undefined && !owner.names.includes(text)) owner.names.push(text)
  }
  return entries.map((entry) => ({
    source: entry.source,
    names: entry.names,
    range: rangeOf(entry.start, entry.end),
  }))
}

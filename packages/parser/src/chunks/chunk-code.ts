import type { Node } from 'web-tree-sitter'
import { BudgetExceededError } from '../errors/budget-exceeded-error'
import { extractSymbols } from '../symbols/extract-symbols'
import { isAttribute, isDefinitionWrapper } from '../symbols/find-doc-comment'
import type { ParsedSource } from '../symbols/parsed-source'
import type { SymbolDefinition } from '../symbols/symbol-definition'
import type { ChunkScope, CodeChunk } from './code-chunk'
import { estimateTokens } from './estimate-tokens'

/** Options of {@link chunkCode}. */
export interface ChunkCodeOptions {
  /** The most tokens one chunk may hold, header included. Default 512. */
  readonly maxTokens?: number
  /**
   * Counts the tokens of a text. Default {@link estimateTokens} (characters / 4, rounded up).
   * Pass your model's tokenizer for exact budgets; it is called once per syntax unit and once
   * per finished chunk, never per character.
   */
  readonly countTokens?: (text: string) => number
  /**
   * Time budget in milliseconds for the whole call (the symbols it looks up included). Past it
   * the work stops and `BudgetExceededError` (code `budget_exceeded`, operation `chunks`) is
   * thrown; nothing partial is returned. Default {@link DEFAULT_CHUNKS_BUDGET_MS} (5 s), or the
   * parse's `timeoutMs` when called as `ParsedCode.chunks()`; `Infinity` turns it off.
   */
  readonly budgetMs?: number
}

/** The default {@link ChunkCodeOptions.budgetMs}: 5 seconds, as a parse's default time limit. */
export const DEFAULT_CHUNKS_BUDGET_MS = 5_000

/**
 * No tokenizer packs more than this many characters into one token on average, so a stretch of
 * code longer than the budget times this cannot fit and is split without being counted (counting
 * every level of a 10,000-deep nesting would be quadratic).
 */
const MAX_CHARS_PER_TOKEN = 256
/** The most enclosing scopes a chunk's context keeps (the innermost ones). */
const MAX_CONTEXT_DEPTH = 64
/** The clock is read once per this many steps. */
const CLOCK_EVERY = 32
/** How far a header's line is read (it is cut to 240 characters anyway). */
const MAX_HEADER_SCAN = 4096
/** A node with more children than this is split as text, not at its children (pathological input). */
const MAX_CHILDREN = 20_000

/** A contiguous range of source made of whole syntax nodes (and the gaps before them). */
interface Unit {
  readonly start: number
  readonly end: number
  readonly nodes: Node[]
}

interface Scope extends ChunkScope {
  readonly row: number
}

interface Piece {
  start: number
  end: number
  tokens: number
  context: readonly Scope[]
  /** Boundaries between the units the piece was packed from, for a re-split if the real count is over. */
  cuts: number[]
}

/** Node types that are bodies or lists rather than things a person would name as a scope. */
const anonymousScope =
  /body|block|list|^program$|^module$|^source_file$|^translation_unit$|^compilation_unit$|^chunk$/

/**
 * Splits a parsed file into chunks for an LLM's context, each within `maxTokens`:
 *
 * - Chunks follow the syntax tree: consecutive top-level items (functions, classes, statements)
 *   are packed together while they fit; an item is split only when it alone is over the budget,
 *   and then at its children's boundaries, recursively (a class at its members, a function at
 *   its statements), down to lines, and to pieces of a line only for a line over the budget.
 * - Chunks end at line breaks wherever the code has them; comments right above a definition
 *   stay with it; nothing is lost or repeated: the chunks' `text`s joined are the file.
 * - Each chunk carries the scopes it starts inside (`context`, and `header` ready to print), so
 *   a method split away from its class still says which class it is in. The header counts
 *   toward the budget.
 *
 * The tree is only read: `chunkCode` frees nothing and may be called on any live parse. The walk
 * is iterative (any nesting depth) and bounded by `budgetMs`.
 *
 * @throws {RangeError} when `maxTokens` or `budgetMs` is not a positive number.
 * @throws {BudgetExceededError} (operation `chunks`) when the work runs past `budgetMs`.
 */
export function chunkCode(parsed: ParsedSource, options: ChunkCodeOptions = {}): CodeChunk[] {
  const budget = options.maxTokens ?? 512
  if (!(budget >= 1)) throw new RangeError(`chunkCode: maxTokens must be a positive number, got ${budget}.`)
  const budgetMs = options.budgetMs ?? DEFAULT_CHUNKS_BUDGET_MS
  if (!(budgetMs > 0)) {
    throw new RangeError(
      `chunkCode: budgetMs must be a positive number of milliseconds or Infinity, got ${budgetMs}.`,
    )
  }
  const started = performance.now()
  const deadline = started + budgetMs
  let steps = 0
  const tick = () => {
    steps += 1
    if (steps % CLOCK_EVERY === 0 && performance.now() > deadline) {
      throw new BudgetExceededError({
        operation: 'chunks',
        budgetMs,
        message: `Chunking ${parsed.language} code of ${parsed.code.length} characters took longer than the ${budgetMs} ms budget and was stopped. The input is pathological (nesting thousands deep, one enormous line) or the token counter is slow; raise budgetMs if it is trusted.`,
      })
    }
  }
  const rawCount = options.countTokens ?? estimateTokens
  const count = (text: string) => {
    tick()
    return rawCount(text)
  }
  const { code, tree } = parsed
  if (code.length === 0) return []

  const definitions = extractSymbols(parsed, {
    references: false,
    docs: false,
    budgetMs,
    budgetOperation: 'chunks',
  }).definitions
  const definitionAt = new Map<string, SymbolDefinition>()
  const definitionEnds = new Map<number, number>()
  for (const { range } of definitions) {
    definitionEnds.set(range.startIndex, Math.max(range.endIndex, definitionEnds.get(range.startIndex) ?? 0))
  }
  for (const definition of definitions) {
    definitionAt.set(`${definition.range.startIndex}:${definition.range.endIndex}`, definition)
  }

  const headerTokens = new Map<readonly Scope[], number>()
  const tokensOfHeader = (context: readonly Scope[]): number => {
    let tokens = headerTokens.get(context)
    if (tokens === undefined) {
      tokens = context.length === 0 ? 0 : count(`${headerOf(context)}\n`)
      headerTokens.set(context, tokens)
    }
    return tokens
  }

  const pieces: Piece[] = []
  let open: Piece | undefined

  const flush = () => {
    if (open !== undefined) pieces.push(open)
    open = undefined
  }

  /** Adds a unit that fits the budget on its own, to the open piece if it fits there too. */
  const add = (start: number, end: number, tokens: number, context: readonly Scope[]) => {
    if (open !== undefined && open.tokens + tokens + tokensOfHeader(open.context) <= budget) {
      open.cuts.push(start)
      open.end = end
      open.tokens += tokens
      return
    }
    flush()
    open = { start, end, tokens, context, cuts: [] }
  }

  const fits = (tokens: number, context: readonly Scope[]) => tokens + tokensOfHeader(context) <= budget

  /** A list of units to place in order, and the scopes they sit in. */
  interface Frame {
    readonly units: Unit[]
    readonly context: readonly Scope[]
    /** Tokens per character of the unit these were split from, when it was counted. */
    readonly density: number | undefined
    next: number
  }

  /**
   * Places sibling nodes: units that fit are added, a unit over the budget is split at its
   * nodes, or at its node's children (entering the node's scope), or as text. Depth-first with
   * an explicit stack of frames, so nesting thousands deep cannot overflow the call stack.
   */
  const splitNodes = (nodes: Node[], start: number, end: number, context: readonly Scope[]) => {
    const frames: Frame[] = [
      { units: groupUnits(nodes, start, end, code, definitionEnds), context, density: undefined, next: 0 },
    ]
    while (frames.length > 0) {
      tick()
      const frame = frames[frames.length - 1] as Frame
      const unit = frame.units[frame.next]
      if (unit === undefined) {
        frames.pop()
        continue
      }
      frame.next += 1
      // Count a unit only when it may fit: not when it is longer than any budget-sized text, nor
      // when, at the density of the unit it was split from, it would hold over twice the budget
      // (a unit barely smaller than its parent, a level down a deep nesting). Counting every level
      // of a 10,000-deep nesting would be quadratic; a wrong guess only splits a unit further.
      const length = unit.end - unit.start
      const guess = frame.density === undefined ? 0 : length * frame.density
      const counted = length <= budget * MAX_CHARS_PER_TOKEN && guess <= 2 * budget
      const tokens = counted ? count(code.slice(unit.start, unit.end)) : Number.POSITIVE_INFINITY
      const density = counted ? tokens / Math.max(1, length) : frame.density
      if (fits(tokens, frame.context)) {
        add(unit.start, unit.end, tokens, frame.context)
      } else if (unit.nodes.length > 1) {
        frames.push({
          units: cutUnits(unit.nodes, unit.start, unit.end, code),
          context: frame.context,
          density,
          next: 0,
        })
      } else {
        const node = unit.nodes[0] as Node
        const many = node.childCount > MAX_CHILDREN
        const children = many ? [] : node.children.filter((child): child is Node => child !== null)
        if (children.length > 0) {
          const inner = enter(frame.context, node)
          const units = groupUnits(children, unit.start, unit.end, code, definitionEnds)
          frames.push({ units, context: inner, density, next: 0 })
        } else {
          splitText(unit.start, unit.end, frame.context)
        }
      }
    }
  }

  /** Splits text with no syntax inside (a long string or comment) at line breaks, and a line over the budget into pieces. */
  const splitText = (start: number, end: number, context: readonly Scope[]) => {
    let lineStart = start
    while (lineStart < end) {
      // bounded by `end`: many short stretches of one long line must not each scan to its end
      const newline = lineEndWithin(code, lineStart, end - lineStart)
      const lineEnd = newline < end ? newline + 1 : end
      const tokens = count(code.slice(lineStart, lineEnd))
      if (fits(tokens, context)) add(lineStart, lineEnd, tokens, context)
      else splitLine(lineStart, lineEnd, context)
      lineStart = lineEnd
    }
  }

  const splitLine = (start: number, end: number, context: readonly Scope[]) => {
    const room = Math.max(1, budget - tokensOfHeader(context))
    let from = start
    while (from < end) {
      // The longest prefix that fits: gallop to bound it (so one piece costs counting about its
      // own length, not the rest of the line), then a binary search on its length.
      let low = from + 1
      let high = end
      for (let size = Math.max(1, room * 4); from + size < end; size *= 2) {
        if (count(code.slice(from, from + size)) > room) {
          high = from + size - 1
          break
        }
        low = from + size
      }
      while (low < high) {
        const middle = Math.ceil((low + high) / 2)
        if (count(code.slice(from, middle)) <= room) low = middle
        else high = middle - 1
      }
      flush()
      add(from, low, count(code.slice(from, low)), context)
      from = low
    }
  }

  const enter = (context: readonly Scope[], node: Node): readonly Scope[] => {
    const definition = definitionAt.get(`${node.startIndex}:${node.endIndex}`)
    const row = node.startPosition.row
    if (
      definition === undefined &&
      (anonymousScope.test(node.type) || isDefinitionWrapper(node.type) || node.endPosition.row === row)
    ) {
      return context
    }
    // positions from the tree, and scans bounded by the indentation and the header's length, so
    // nodes deep in one enormous line cost no rescans of it
    const startIndex = node.startIndex
    const lineStart = startIndex - node.startPosition.column
    let indentEnd = lineStart
    while (indentEnd < startIndex && isIndent(code.charCodeAt(indentEnd))) indentEnd += 1
    const indent = code.slice(lineStart, indentEnd)
    // only a node that starts its line makes a header a person would recognise
    if (definition === undefined && indentEnd !== startIndex) return context
    const firstLine = code.slice(lineStart, lineEndWithin(code, startIndex, MAX_HEADER_SCAN)).trim()
    const scope: Scope =
      definition === undefined
        ? { signature: indent + truncate(firstLine), line: row + 1, row }
        : {
            name: definition.name,
            kind: definition.kind,
            signature: indent + (definition.signature || truncate(firstLine)),
            line: row + 1,
            row,
          }
    const last = context[context.length - 1]
    // a wrapper and what it wraps (`export` + `class`) start on one line: keep one entry, the named one
    if (last !== undefined && last.row === row && definition === undefined) return context
    let entered =
      last !== undefined && last.row === row ? [...context.slice(0, -1), scope] : [...context, scope]
    if (entered.length > MAX_CONTEXT_DEPTH) entered = entered.slice(entered.length - MAX_CONTEXT_DEPTH)
    // the header may take at most half the budget: drop the outermost scopes past that
    while (entered.length > 0 && tokensOfHeader(entered) > budget / 2) entered = entered.slice(1)
    return entered
  }

  const root = tree.rootNode
  // a million top-level ERROR nodes would cost a million node objects at once: split as text
  const top =
    root.childCount > MAX_CHILDREN ? [] : root.children.filter((child): child is Node => child !== null)
  if (top.length === 0) splitText(0, code.length, [])
  else splitNodes(top, 0, code.length, [])
  flush()

  return finish(pieces, code, count, budget, definitions)
}

/**
 * Groups sibling nodes into units: nodes that share a line stay together, and comments stay
 * with the node after them. Each unit runs from just after the previous unit's last line break
 * to the end of its own last line, so units end at line breaks wherever the code has them.
 */
function groupUnits(
  nodes: Node[],
  start: number,
  end: number,
  code: string,
  definitionEnds: Map<number, number>,
): Unit[] {
  const groups: Node[][] = []
  let current: Node[] = []
  let glueUntil = -1
  /** Whether every node of `current` is a comment or an attribute (kept with the node after them). */
  let allLeading = true
  for (const node of nodes) {
    const previous = current[current.length - 1]
    const sameLine = previous !== undefined && previous.endPosition.row >= node.startPosition.row
    const leading = previous !== undefined && allLeading
    const sameDefinition = node.endIndex <= glueUntil
    // a Python attribute docstring (a string statement right under an assignment) documents it
    const docstring =
      previous !== undefined &&
      node.type === 'expression_statement' &&
      previous.type === 'expression_statement' &&
      node.startPosition.row === previous.endPosition.row + 1 &&
      node.namedChildCount === 1 &&
      node.firstNamedChild?.type === 'string'
    if (previous === undefined || sameLine || leading || sameDefinition || docstring) current.push(node)
    else {
      groups.push(current)
      current = [node]
      allLeading = true
    }
    allLeading &&= node.type.includes('comment') || isAttribute(node.type)
    // a definition made of several sibling nodes (a Haskell signature and its equations) stays whole
    const definitionEnd = definitionEnds.get(node.startIndex)
    if (definitionEnd !== undefined && definitionEnd > node.endIndex)
      glueUntil = Math.max(glueUntil, definitionEnd)
  }
  if (current.length > 0) groups.push(current)
  const units: Unit[] = []
  let from = start
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] as Node[]
    const next = groups[i + 1]
    let to = end
    if (next !== undefined) {
      const last = group[group.length - 1] as Node
      const newline = code.indexOf('\n', last.endIndex)
      const nextStart = (next[0] as Node).startIndex
      to = newline >= 0 && newline < nextStart ? newline + 1 : nextStart
    }
    if (to > from) units.push({ start: from, end: to, nodes: group })
    from = Math.max(from, to)
  }
  return units
}

/** One unit per node, cut at line breaks where there are any between nodes, else at the next node's start. */
function cutUnits(nodes: Node[], start: number, end: number, code: string): Unit[] {
  const units: Unit[] = []
  let from = start
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as Node
    const next = nodes[i + 1]
    let to = end
    if (next !== undefined) {
      const newline = code.indexOf('\n', node.endIndex)
      to = newline >= 0 && newline < next.startIndex ? newline + 1 : next.startIndex
    }
    if (to > from) units.push({ start: from, end: to, nodes: [node] })
    from = Math.max(from, to)
  }
  return units
}

function isIndent(c: number): boolean {
  return c === 32 || c === 9
}

/** The index of the line break after `from`, or of where the scan stopped (`from + max`, or the end). */
function lineEndWithin(code: string, from: number, max: number): number {
  const limit = Math.min(code.length, from + max)
  for (let at = from; at < limit; at += 1) {
    if (code.charCodeAt(at) === 10) return at
  }
  return limit
}

function headerOf(context: readonly Scope[]): string {
  return context.map((scope) => scope.signature).join('\n')
}

function truncate(line: string): string {
  return line.length > 240 ? `${line.slice(0, 239)}…` : line
}

function lineAt(lineStarts: number[], index: number): number {
  let low = 0
  let high = lineStarts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((lineStarts[middle] as number) <= index) low = middle
    else high = middle - 1
  }
  return low + 1
}

/** Turns pieces into chunks: real token counts (re-splitting a piece the counter finds over), lines, symbols. */
function finish(
  pieces: Piece[],
  code: string,
  count: (text: string) => number,
  budget: number,
  definitions: SymbolDefinition[],
): CodeChunk[] {
  const lineStarts = [0]
  for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1)
  const chunks: CodeChunk[] = []
  let nextDefinition = 0
  const emit = (start: number, end: number, context: readonly Scope[], cuts: number[]) => {
    const startLine = lineAt(lineStarts, start)
    // a scope whose header line is in the chunk itself needs no repeating
    const kept = context.filter((scope) => scope.line < startLine)
    const header = headerOf(kept)
    const text = code.slice(start, end)
    const tokens = count(header === '' ? text : `${header}\n${text}`)
    if (tokens > budget && cuts.length > 0) {
      // the counter is not additive (BPE merges across unit boundaries): split at the middle cut
      const middle = Math.floor(cuts.length / 2)
      const cut = cuts[middle] as number
      emit(start, cut, context, cuts.slice(0, middle))
      emit(cut, end, context, cuts.slice(middle + 1))
      return
    }
    const symbols: string[] = []
    while (
      nextDefinition < definitions.length &&
      (definitions[nextDefinition] as SymbolDefinition).range.startIndex < start
    ) {
      nextDefinition++
    }
    for (let i = nextDefinition; i < definitions.length; i++) {
      const definition = definitions[i] as SymbolDefinition
      if (definition.range.startIndex >= end) break
      symbols.push(definition.name)
    }
    const lastCharacter = end > start && code[end - 1] === '\n' ? end - 2 : end - 1
    chunks.push({
      text,
      context: kept.map(({ row: _row, ...scope }) => scope),
      header,
      tokens,
      startLine,
      endLine: lineAt(lineStarts, Math.max(start, lastCharacter)),
      startIndex: start,
      endIndex: end,
      symbols,
    })
  }
  for (const piece of pieces) emit(piece.start, piece.end, piece.context, piece.cuts)
  return chunks
}

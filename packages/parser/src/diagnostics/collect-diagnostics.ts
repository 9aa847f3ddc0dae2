import type { Node, TreeCursor } from 'web-tree-sitter'
import { BudgetExceededError } from '../errors/budget-exceeded-error'
import { DEFAULT_MAX_DIAGNOSTICS } from '../parse-limits'
import type { Diagnostic } from './diagnostic'

/** How many nodes one ERROR's search for an unclosed bracket may visit before it gives up. */
const MAX_UNCLOSED_VISITS = 4096
/** How many nodes inside one ERROR are searched for MISSING tokens. */
const MAX_MISSING_VISITS = 100_000
/** How many nodes the search for an ERROR's first token may visit. */
const MAX_FIRST_TOKEN_VISITS = 256
/** How much of an offending token is quoted in a message. */
const MAX_QUOTE = 32
/** Longest `sourceLine` kept whole; a longer line is cut to a window of this many units. */
const MAX_SOURCE_LINE = 240
/** How much of that window comes before the column. */
const SOURCE_LINE_BEFORE = 80
/** Children of one node fetched in one call up to this many; past it a cursor steps through them. */
const MAX_CHILDREN_AT_ONCE = 4096
/** The clock is read once per this many visited nodes. */
const CLOCK_EVERY = 64

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' }
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' }

/**
 * Languages whose blocks close with the keyword `end`: the keywords that open such a block, the
 * loop keywords after which a `do` on the same line belongs to the loop (one `end` for both),
 * and the keywords that open a block only at the start of a line (else they are modifiers).
 */
const END_BLOCKS: Readonly<
  Record<string, { openers: ReadonlySet<string>; loops: ReadonlySet<string>; modifiers: ReadonlySet<string> }>
> = {
  ruby: {
    openers: new Set([
      'class',
      'module',
      'def',
      'do',
      'if',
      'unless',
      'while',
      'until',
      'case',
      'begin',
      'for',
    ]),
    loops: new Set(['while', 'until', 'for']),
    modifiers: new Set(['if', 'unless', 'while', 'until']),
  },
  lua: {
    openers: new Set(['function', 'if', 'do', 'while', 'for']),
    loops: new Set(['while', 'for']),
    modifiers: new Set(),
  },
  elixir: { openers: new Set(['do', 'fn']), loops: new Set(), modifiers: new Set() },
}

/** What {@link collectDiagnostics} accepts besides the tree and the code. */
export interface CollectDiagnosticsOptions {
  /** The language id, for language-specific messages (Ruby's `end` blocks). */
  readonly language?: string
  /** The most diagnostics described; the rest are only counted. Default {@link DEFAULT_MAX_DIAGNOSTICS}. */
  readonly maxDiagnostics?: number
  /** The time budget in milliseconds; past it `BudgetExceededError` is thrown. Default: none. */
  readonly budgetMs?: number
}

/** The result of {@link collectDiagnostics}. */
export interface CollectedDiagnostics {
  /** The first `maxDiagnostics` problems, in source order. */
  readonly diagnostics: Diagnostic[]
  /** How many more problems the tree holds that were left out. */
  readonly dropped: number
}

/** Reads the clock every {@link CLOCK_EVERY} steps and throws once the budget is spent. */
class Deadline {
  readonly #budgetMs: number
  readonly #deadline: number
  #steps = 0

  constructor(budgetMs: number) {
    this.#budgetMs = budgetMs
    this.#deadline = Number.isFinite(budgetMs) ? performance.now() + budgetMs : Number.POSITIVE_INFINITY
  }

  tick(): void {
    this.#steps += 1
    if (this.#steps % CLOCK_EVERY === 0 && performance.now() > this.#deadline) {
      throw new BudgetExceededError({
        operation: 'diagnostics',
        budgetMs: this.#budgetMs,
        message: `Collecting syntax diagnostics took longer than the ${this.#budgetMs} ms budget and was stopped. The input is pathological (a huge number of errors, or errors nested very deep); treat it as invalid, or raise timeoutMs if it is trusted.`,
      })
    }
  }
}

/**
 * Every syntax problem in a tree, in source order: each `MISSING` node, and each outermost
 * `ERROR` node (an `ERROR` nested inside another is folded into it, as it describes the same
 * stretch of input), at most `maxDiagnostics` of them described, the rest counted.
 *
 * Only descends where `hasError` is set, so a valid tree costs one check of the root and a
 * tree with one error costs one path from the root to it (plus the siblings along the way).
 * Linear in the nodes it visits: a diagnostic's source line is found from its node's position,
 * never by scanning the line, and a node with a huge number of children is stepped through
 * with a cursor instead of being copied out whole.
 *
 * @throws {BudgetExceededError} (operation `diagnostics`) when the walk runs past `budgetMs`.
 */
export function collectDiagnostics(
  root: Node,
  code: string,
  options: CollectDiagnosticsOptions = {},
): CollectedDiagnostics {
  if (!root.hasError) return { diagnostics: [], dropped: 0 }
  const max = Math.max(0, options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS)
  const deadline = new Deadline(options.budgetMs ?? Number.POSITIVE_INFINITY)
  const blocks = options.language === undefined ? undefined : END_BLOCKS[options.language]
  const diagnostics: Diagnostic[] = []
  let dropped = 0
  const report = (describe: () => Diagnostic) => {
    if (diagnostics.length < max) diagnostics.push(describe())
    else dropped += 1
  }
  // Depth-first, in source order, with an explicit stack (trees can be 100,000 levels deep).
  const stack: Node[] = [root]
  while (stack.length > 0) {
    deadline.tick()
    const node = stack.pop() as Node
    if (node.isMissing) {
      report(() => describeMissing(node, code))
    } else if (node.isError) {
      report(() => describeError(node, code, blocks, deadline))
      // MISSING nodes inside an ERROR node are still worth reporting: they name what was expected.
      // Looked for among its first MAX_MISSING_VISITS nodes: an ERROR of ten million brackets
      // is reported at once, not after a walk through all of them.
      const inner: Node[] = []
      const visits = { left: MAX_MISSING_VISITS }
      pushChildrenWithErrors(node, inner, deadline, visits)
      while (inner.length > 0 && visits.left > 0) {
        deadline.tick()
        const child = inner.pop() as Node
        if (child.isMissing) report(() => describeMissing(child, code))
        else pushChildrenWithErrors(child, inner, deadline, visits)
      }
    } else {
      pushChildrenWithErrors(node, stack, deadline)
    }
  }
  // An ERROR is reported where its message points, which can be after a MISSING inside it.
  diagnostics.sort((a, b) => a.startIndex - b.startIndex)
  return { diagnostics, dropped }
}

/** Pushes the children of `node` that contain an error onto `stack`, last first (so they pop in order). */
function pushChildrenWithErrors(
  node: Node,
  stack: Node[],
  deadline: Deadline,
  visits: { left: number } = { left: Number.POSITIVE_INFINITY },
): void {
  const count = node.childCount
  if (count === 0) return
  const from = stack.length
  if (count <= MAX_CHILDREN_AT_ONCE) {
    visits.left -= count
    // one WASM call for all children: much cheaper than stepping a cursor and materialising each
    for (const child of node.children) {
      if (child?.hasError) stack.push(child)
    }
  } else {
    const cursor = node.walk()
    try {
      cursor.gotoFirstChild()
      do {
        deadline.tick()
        visits.left -= 1
        if (visits.left < 0) break
        // a leaf holds an error only when it is MISSING or an ERROR itself: no node needed
        if (cursor.nodeIsMissing || cursor.nodeType === 'ERROR' || hasErrorBelow(cursor)) {
          stack.push(cursor.currentNode)
        }
      } while (cursor.gotoNextSibling())
    } finally {
      cursor.delete()
    }
  }
  reverse(stack, from)
}

/** True when the cursor's node has children with an error (the cursor is left where it was). */
function hasErrorBelow(cursor: TreeCursor): boolean {
  if (!cursor.gotoFirstChild()) return false
  cursor.gotoParent()
  return cursor.currentNode.hasError
}

function reverse(items: Node[], from: number): void {
  for (let i = from, j = items.length - 1; i < j; i += 1, j -= 1) {
    const swap = items[i] as Node
    items[i] = items[j] as Node
    items[j] = swap
  }
}

function describeMissing(node: Node, code: string): Diagnostic {
  const what = node.isNamed ? node.type.replace(/_/g, ' ') : `\`${node.type}\``
  const atEnd = isBlankFrom(code, node.startIndex)
  const message = atEnd ? `unexpected end of input: missing ${what}` : `missing ${what}`
  return diagnostic('missing', message, node, node, code)
}

type EndBlocks = (typeof END_BLOCKS)[string]

function describeError(
  node: Node,
  code: string,
  blocks: EndBlocks | undefined,
  deadline: Deadline,
): Diagnostic {
  const { startIndex, endIndex } = node
  const reachesEnd = isBlankFrom(code, endIndex)
  const unclosed = findUnclosed(node, code, blocks, deadline)
  if (unclosed !== undefined) {
    const { opener, keyword } = unclosed
    const what = opener.type === 'jsx_opening_element' ? quote(opener.text) : `\`${opener.type}\``
    const where = `line ${opener.startPosition.row + 1}, column ${opener.startPosition.column + 1}`
    const missing = keyword ? ' (missing `end`)' : ''
    const message = reachesEnd
      ? `unexpected end of input: ${what} opened at ${where} is never closed${missing}`
      : `${what} opened at ${where} is never closed${missing}`
    return diagnostic('error', message, opener, node, code)
  }
  if (isBlankRange(code, startIndex, endIndex)) {
    return diagnostic('error', reachesEnd ? 'unexpected end of input' : 'syntax error', node, node, code)
  }
  const token = firstToken(node, code)
  if (token === undefined) {
    return diagnostic(
      'error',
      `unexpected ${quote(code.slice(startIndex, Math.min(endIndex, startIndex + 200)))}`,
      node,
      node,
      code,
    )
  }
  return diagnostic(
    'error',
    `unexpected ${quote(code.slice(token.startIndex, token.endIndex))}`,
    token,
    node,
    code,
  )
}

/**
 * What an ERROR node leaves open: a JSX opening tag directly inside it (JavaScript, TypeScript and
 * TSX grammars: the parser found no element to close it), else the last bracket (or, in Ruby,
 * Lua and Elixir, the last block keyword awaiting its `end`) opened inside it and never closed
 * there. Only descends into children holding an error: a complete subtree is balanced.
 */
function findUnclosed(
  node: Node,
  code: string,
  blocks: EndBlocks | undefined,
  deadline: Deadline,
): { opener: Node; keyword: boolean } | undefined {
  const stack: { node: Node; type: string; row: number; indent: number }[] = []
  /** The first block keyword an `end` skipped because the `end` lines up with an outer block. */
  let skipped: Node | undefined
  const cursor = node.walk()
  let visits = 0
  const push = (type: string) => {
    const opener = cursor.currentNode
    stack.push({ node: opener, type, row: opener.startPosition.row, indent: indentOf(code, opener) })
  }
  try {
    if (!cursor.gotoFirstChild()) return undefined
    for (;;) {
      deadline.tick()
      visits += 1
      if (visits > MAX_UNCLOSED_VISITS) return undefined
      const type = cursor.nodeType
      if (cursor.currentDepth === 1 && type === 'jsx_opening_element') {
        return { opener: cursor.currentNode, keyword: false }
      }
      if (cursor.gotoFirstChild()) {
        // An inner node: enter it only when it holds an error (a complete subtree is balanced),
        // except with `end` blocks, where a complete block may have taken an outer block's `end`.
        cursor.gotoParent()
        if (blocks !== undefined || type === 'ERROR' || cursor.currentNode.hasError) {
          cursor.gotoFirstChild()
          continue
        }
      } else if (!cursor.nodeIsNamed && !cursor.nodeIsMissing) {
        if (OPENERS[type] !== undefined) {
          push(type)
        } else if (CLOSERS[type] !== undefined) {
          if (stack.at(-1)?.type === CLOSERS[type]) stack.pop()
        } else if (blocks !== undefined && type === 'end') {
          // An `end` closes the block on its own line, else the block whose line it is indented
          // like (as people write code), which leaves the blocks opened after that one open;
          // else the innermost block.
          const { row, column } = cursor.startPosition
          const top = stack.at(-1)
          let match = stack.length - 1
          if (top === undefined || top.row !== row) {
            while (
              match >= 0 &&
              !(stack[match]?.indent === column && blocks.openers.has(stack[match]?.type ?? ''))
            ) {
              match -= 1
            }
          }
          if (match >= 0 && match < stack.length - 1) {
            skipped ??= stack[match + 1]?.node
            stack.length = match
          } else if (blocks.openers.has(top?.type ?? '')) {
            stack.pop()
          }
        } else if (blocks?.openers.has(type) === true) {
          const { row, column } = cursor.startPosition
          const top = stack.at(-1)
          // `while x do ... end`: the `do` belongs to the loop, which one `end` closes; a
          // statement modifier (`return if x`) opens no block: only count those starting a line
          const loopDo = type === 'do' && top !== undefined && blocks.loops.has(top.type) && top.row === row
          const modifier = blocks.modifiers.has(type) && indentOf(code, cursor.currentNode) !== column
          if (!loopDo && !modifier && !completeWithoutEnd(cursor.currentNode)) push(type)
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.currentDepth === 0) {
          if (skipped !== undefined) return { opener: skipped, keyword: true }
          const last = stack.at(-1)
          return last === undefined
            ? undefined
            : { opener: last.node, keyword: OPENERS[last.type] === undefined }
        }
      }
    }
  } finally {
    cursor.delete()
  }
}

/** True when `keyword` starts a complete construct that has no `end` (Ruby's `def f = 1`). */
function completeWithoutEnd(keyword: Node): boolean {
  const parent = keyword.parent
  return parent !== null && !parent.isError && !parent.hasError && parent.lastChild?.type !== 'end'
}

/** The indentation (in UTF-16 units) of the line `node` starts on. */
function indentOf(code: string, node: Node): number {
  const lineStart = node.startIndex - node.startPosition.column
  let at = lineStart
  while (at < node.startIndex && (code.charCodeAt(at) === 32 || code.charCodeAt(at) === 9)) at += 1
  return at - lineStart
}

/** The first leaf under `node` that is neither blank nor a comment, if one is found quickly. */
function firstToken(node: Node, code: string): Node | undefined {
  const cursor = node.walk()
  try {
    if (!cursor.gotoFirstChild()) return undefined
    for (let visits = 0; visits < MAX_FIRST_TOKEN_VISITS; visits += 1) {
      const type = cursor.nodeType
      if (!type.includes('comment') && cursor.endIndex > cursor.startIndex) {
        if (cursor.gotoFirstChild()) continue
        if (!isBlankRange(code, cursor.startIndex, cursor.endIndex)) return cursor.currentNode
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.currentDepth === 0) return undefined
      }
    }
    return undefined
  } finally {
    cursor.delete()
  }
}

function quote(text: string): string {
  const firstLine = text.trim().split('\n', 1)[0] ?? ''
  const short = firstLine.length > MAX_QUOTE ? `${firstLine.slice(0, MAX_QUOTE)}…` : firstLine
  return short.includes('`') ? `"${short}"` : `\`${short}\``
}

/** A diagnostic starting where `at` starts and ending where `span` ends. */
function diagnostic(
  kind: Diagnostic['kind'],
  message: string,
  at: Node,
  span: Node,
  code: string,
): Diagnostic {
  const { startIndex, startPosition } = at
  const { endIndex, endPosition } = span
  const { text, column } = sourceLineAt(code, startIndex, startPosition.column)
  return {
    severity: 'error',
    kind,
    message,
    line: startPosition.row + 1,
    column: startPosition.column + 1,
    endLine: endPosition.row + 1,
    endColumn: endPosition.column + 1,
    startIndex,
    endIndex,
    sourceLine: text,
    sourceLineColumn: column,
  }
}

/**
 * The line holding `index` (whose column is known from the tree), without its line break, cut
 * to a window around the column when it is long. Reads at most the window, never the whole line.
 */
function sourceLineAt(code: string, index: number, column: number): { text: string; column: number } {
  const lineStart = index - column
  let from = lineStart
  if (column > MAX_SOURCE_LINE - SOURCE_LINE_BEFORE) from = index - SOURCE_LINE_BEFORE
  // do not start in the middle of a surrogate pair
  if (from > lineStart && isLowSurrogate(code.charCodeAt(from))) from -= 1
  const limit = Math.min(code.length, from + MAX_SOURCE_LINE)
  let to = from
  while (to < limit) {
    const c = code.charCodeAt(to)
    if (c === 10 || (c === 13 && code.charCodeAt(to + 1) === 10)) break
    to += 1
  }
  if (to === limit && to < code.length && isLowSurrogate(code.charCodeAt(to))) to -= 1
  return { text: code.slice(from, to), column: from - lineStart + 1 }
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}

/** True when only whitespace follows `index` (checked without copying the rest of the file). */
function isBlankFrom(code: string, index: number): boolean {
  return isBlankRange(code, index, code.length)
}

/** True when `code[start, end)` is only whitespace; stops at the first other character. */
function isBlankRange(code: string, start: number, end: number): boolean {
  for (let at = start; at < end; at += 1) {
    const c = code.charCodeAt(at)
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false
  }
  return true
}

import type { Node } from 'web-tree-sitter'
import type { Diagnostic } from './diagnostic'

/** How many leaves of one ERROR node are inspected to name an unclosed bracket. */
const MAX_LEAVES = 4096
/** How much of an offending token is quoted in a message. */
const MAX_QUOTE = 32

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' }
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' }

/**
 * Every syntax problem in a tree, in source order: each `MISSING` node, and each outermost
 * `ERROR` node (an `ERROR` nested inside another is folded into it, as it describes the same
 * stretch of input).
 *
 * Only descends where `hasError` is set, so a valid tree costs one check of the root and a
 * tree with one error costs one path from the root to it (plus the siblings along the way).
 */
export function collectDiagnostics(root: Node, code: string): Diagnostic[] {
  if (!root.hasError) return []
  const diagnostics: Diagnostic[] = []
  // Depth-first, in source order, with an explicit stack (trees can be 100,000 levels deep).
  // `children` fetches all children of a node in one WASM call, much cheaper than stepping a
  // cursor and materialising each sibling, and only children with an error are kept.
  const stack: Node[] = [root]
  while (stack.length > 0) {
    const node = stack.pop() as Node
    if (node.isMissing) {
      diagnostics.push(describeMissing(node, code))
    } else if (node.isError) {
      diagnostics.push(describeError(node, code))
      collectMissing(node, code, diagnostics)
    } else {
      const children = node.children
      for (let i = children.length - 1; i >= 0; i -= 1) {
        const child = children[i] as Node
        if (child.hasError) stack.push(child)
      }
    }
  }
  return diagnostics
}

/** MISSING nodes inside an ERROR node are still worth reporting: they name what was expected. */
function collectMissing(errorNode: Node, code: string, diagnostics: Diagnostic[]): void {
  const stack: Node[] = [errorNode]
  while (stack.length > 0) {
    const node = stack.pop() as Node
    if (node !== errorNode && node.isMissing) {
      diagnostics.push(describeMissing(node, code))
      continue
    }
    const children = node.children
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i] as Node
      if (child.hasError) stack.push(child)
    }
  }
}

function describeMissing(node: Node, code: string): Diagnostic {
  const what = node.isNamed ? node.type.replace(/_/g, ' ') : `\`${node.type}\``
  const atEnd = isBlankFrom(code, node.startIndex)
  const message = atEnd ? `unexpected end of input: missing ${what}` : `missing ${what}`
  return diagnostic('missing', message, node, code)
}

function describeError(node: Node, code: string): Diagnostic {
  const { startIndex, endIndex } = node
  const reachesEnd = isBlankFrom(code, endIndex)
  const unclosed = findUnclosedTag(node) ?? findUnclosedBracket(node)
  if (unclosed !== undefined) {
    const what = unclosed.type === 'jsx_opening_element' ? quote(unclosed.text) : `\`${unclosed.type}\``
    const where = `line ${unclosed.startPosition.row + 1}, column ${unclosed.startPosition.column + 1}`
    const message = reachesEnd
      ? `unexpected end of input: ${what} opened at ${where} is never closed`
      : `${what} opened at ${where} is never closed`
    return diagnostic('error', message, node, code)
  }
  if (isBlankRange(code, startIndex, endIndex)) {
    return diagnostic('error', reachesEnd ? 'unexpected end of input' : 'syntax error', node, code)
  }
  const quoted = firstToken(node) ?? code.slice(startIndex, Math.min(endIndex, startIndex + 200))
  return diagnostic('error', `unexpected ${quote(quoted)}`, node, code)
}

/**
 * A JSX opening tag left directly inside an ERROR node: the parser found no element to close it
 * (JavaScript, TypeScript and TSX grammars).
 */
function findUnclosedTag(node: Node): Node | undefined {
  for (const child of node.children) {
    if (child.type === 'jsx_opening_element') return child
  }
  return undefined
}

/** The last bracket opened inside an ERROR node and never closed there, if any. */
function findUnclosedBracket(node: Node): Node | undefined {
  const stack: Node[] = []
  const cursor = node.walk()
  let leaves = 0
  try {
    if (!cursor.gotoFirstChild()) return undefined
    for (;;) {
      if (cursor.gotoFirstChild()) continue
      leaves += 1
      if (leaves > MAX_LEAVES) return undefined
      const type = cursor.nodeType
      if (!cursor.nodeIsNamed && !cursor.nodeIsMissing) {
        if (OPENERS[type] !== undefined) stack.push(cursor.currentNode)
        else if (CLOSERS[type] !== undefined && stack.at(-1)?.type === CLOSERS[type]) stack.pop()
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.currentDepth === 0) return stack.at(-1)
      }
    }
  } finally {
    cursor.delete()
  }
}

/** The text of the first non-empty leaf under `node`. */
function firstToken(node: Node): string | undefined {
  let current: Node | null = node
  while (current !== null && current.childCount > 0) {
    current = current.firstChild
  }
  if (current === null || current === node) return undefined
  const text = current.text
  return text.trim() === '' ? undefined : text
}

function quote(text: string): string {
  const firstLine = text.trim().split('\n', 1)[0] ?? ''
  const short = firstLine.length > MAX_QUOTE ? `${firstLine.slice(0, MAX_QUOTE)}…` : firstLine
  return short.includes('`') ? `"${short}"` : `\`${short}\``
}

function diagnostic(kind: Diagnostic['kind'], message: string, node: Node, code: string): Diagnostic {
  const { startIndex, endIndex, startPosition, endPosition } = node
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
    sourceLine: lineAt(code, startIndex),
  }
}

/** The text of the line holding `index`, without its line break. */
function lineAt(code: string, index: number): string {
  const lineStart = code.lastIndexOf('\n', index - 1) + 1
  let lineEnd = code.indexOf('\n', index)
  if (lineEnd === -1) lineEnd = code.length
  if (lineEnd > lineStart && code.charCodeAt(lineEnd - 1) === 13) lineEnd -= 1
  return code.slice(lineStart, lineEnd)
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

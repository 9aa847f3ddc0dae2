import type { Node, Point } from 'web-tree-sitter'

/**
 * The 0-based row and column (UTF-16 units) of a string offset, found from the tree rather
 * than by counting lines from the start of the file: the nearest node boundary at or before
 * `index` gives a known position, and only the gap from there to `index` is scanned.
 */
export function pointAt(root: Node, code: string, index: number): Point {
  let baseIndex = 0
  let base: Point = { row: 0, column: 0 }
  const node = root.descendantForIndex(index)
  if (node !== null && node.startIndex <= index) {
    baseIndex = node.startIndex
    base = node.startPosition
    if (baseIndex === index) return base
    if (node.childCount > 0) {
      const after = node.firstChildForIndex(index)
      const before = after === null ? node.lastChild : after.previousSibling
      if (before !== null && before.endIndex <= index && before.endIndex >= baseIndex) {
        baseIndex = before.endIndex
        base = before.endPosition
      }
    }
  }
  let row = base.row
  let lineStart = baseIndex - base.column
  for (let at = code.indexOf('\n', baseIndex); at !== -1 && at < index; at = code.indexOf('\n', at + 1)) {
    row += 1
    lineStart = at + 1
  }
  return { row, column: index - lineStart }
}

/** The position just past `text` when it is inserted at `start`. */
export function pointAfter(start: Point, text: string): Point {
  const lastBreak = text.lastIndexOf('\n')
  if (lastBreak === -1) return { row: start.row, column: start.column + text.length }
  let rows = 0
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) rows += 1
  return { row: start.row + rows, column: text.length - lastBreak - 1 }
}

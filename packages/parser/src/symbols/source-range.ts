/**
 * Where something is in a source string. Lines and columns are **1-based**, as editors print
 * them (the same convention as `Diagnostic`); columns count UTF-16 code units. `startIndex` and
 * `endIndex` are 0-based offsets into the source string, `endIndex` just past the end.
 */
export interface SourceRange {
  /** 1-based line of the first character. */
  readonly startLine: number
  /** 1-based column of the first character. */
  readonly startColumn: number
  /** 1-based line of the last character. */
  readonly endLine: number
  /** 1-based column just past the last character. */
  readonly endColumn: number
  /** 0-based offset of the first character. */
  readonly startIndex: number
  /** 0-based offset just past the last character. */
  readonly endIndex: number
}

/**
 * Returns a function that turns 0-based offsets into a {@link SourceRange} of `code`, by binary
 * search over the line starts (computed once), skipped when the offset is on the line of the
 * previous lookup or the next one (offsets asked in source order). Cheaper than asking
 * tree-sitter for each node's positions, which crosses into WASM twice per node.
 */
export function createRangeReader(code: string): (startIndex: number, endIndex: number) => SourceRange {
  const starts: number[] = [0]
  for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) starts.push(i + 1)
  const lastLine = starts.length - 1
  // the line of the previous lookup: callers mostly ask in source order, often on the same line
  let recent = 0
  const lineOf = (index: number): number => {
    if ((starts[recent] as number) <= index) {
      if (recent === lastLine || index < (starts[recent + 1] as number)) return recent
      if (recent + 1 === lastLine || index < (starts[recent + 2] as number)) return ++recent
    }
    let low = 0
    let high = lastLine
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((starts[middle] as number) <= index) low = middle
      else high = middle - 1
    }
    recent = low
    return low
  }
  return (startIndex, endIndex) => {
    const startLine = lineOf(startIndex)
    const endLine =
      endIndex === startIndex || startLine === lastLine || endIndex < (starts[startLine + 1] as number)
        ? startLine
        : lineOf(endIndex)
    return {
      startLine: startLine + 1,
      startColumn: startIndex - (starts[startLine] as number) + 1,
      endLine: endLine + 1,
      endColumn: endIndex - (starts[endLine] as number) + 1,
      startIndex,
      endIndex,
    }
  }
}

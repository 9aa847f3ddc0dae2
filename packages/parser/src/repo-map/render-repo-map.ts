import type { SymbolKind } from '../symbols/symbol-kind'

/** A definition as the repo map keeps it after the file's tree is freed. */
export interface MappedDefinition {
  readonly name: string
  readonly kind: SymbolKind
  /** 1-based first and last line. */
  readonly line: number
  readonly endLine: number
  readonly startIndex: number
  readonly endIndex: number
  readonly signature: string
  /** The whitespace before the definition on its first line. */
  readonly indent: string
  readonly enclosing?: string
  /** The innermost definition of the same file that contains this one. */
  readonly parent?: MappedDefinition
}

/** A mapped file: its definitions in source order and its length in lines. */
export interface MappedFile {
  readonly path: string
  readonly definitions: readonly MappedDefinition[]
  readonly lineCount: number
}

/**
 * Renders chosen definitions the way Aider's repo map does: per file, its path and a colon,
 * then `│` + the signature line of each chosen definition and of every definition around it
 * (a method's class), in source order, with `⋮` wherever lines are left out. Files come in the
 * order given (most important first).
 */
export function renderRepoMap(chosen: ReadonlyMap<MappedFile, ReadonlySet<MappedDefinition>>): string {
  const parts: string[] = []
  for (const [file, definitions] of chosen) {
    const shown = new Map<number, string>()
    for (const definition of definitions) {
      shown.set(definition.line, `${definition.indent}${definition.signature}`)
      for (let outer = definition.parent; outer !== undefined; outer = outer.parent) {
        if (!shown.has(outer.line)) shown.set(outer.line, `${outer.indent}${outer.signature}`)
      }
    }
    const lines = [...shown.keys()].sort((a, b) => a - b)
    const out = [`${file.path}:`]
    let previous = 0
    for (const line of lines) {
      if (line > previous + 1) out.push('⋮')
      out.push(`│${shown.get(line)}`)
      previous = line
    }
    if (previous < file.lineCount) out.push('⋮')
    parts.push(out.join('\n'))
  }
  return parts.length === 0 ? '' : `${parts.join('\n\n')}\n`
}

import type { SourceRange } from './source-range'

/** An import, `use`, `require`, `#include` or `source`. */
export interface SymbolImport {
  /** What is imported from: a module specifier, package, path or header, quotes stripped. */
  readonly source: string
  /** The names it binds, where the syntax lists them (`{ a, b }`, `from m import a`, an alias). */
  readonly names: string[]
  readonly range: SourceRange
}

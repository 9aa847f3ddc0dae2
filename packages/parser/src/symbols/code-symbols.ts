import type { SymbolDefinition } from './symbol-definition'
import type { SymbolImport } from './symbol-import'
import type { SymbolReference } from './symbol-reference'

/** Everything `extractSymbols` finds in a file. */
export interface CodeSymbols {
  /** Definitions in source order. */
  readonly definitions: SymbolDefinition[]
  /** References in source order. Names a definition declares are not references. */
  readonly references: SymbolReference[]
  /** Imports in source order. */
  readonly imports: SymbolImport[]
}

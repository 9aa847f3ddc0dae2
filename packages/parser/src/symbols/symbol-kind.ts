/** What a definition defines. A function whose nearest enclosing definition is a class, interface or `impl`-like scope is a `method`. */
export type SymbolKind =
  | 'function'
  | 'method'
  | 'class'
  | 'interface'
  | 'type'
  | 'enum'
  | 'constant'
  | 'module'

/** The kinds a tags query may use, in the order `SymbolKind` lists them. */
export const symbolKinds: readonly SymbolKind[] = [
  'function',
  'method',
  'class',
  'interface',
  'type',
  'enum',
  'constant',
  'module',
]

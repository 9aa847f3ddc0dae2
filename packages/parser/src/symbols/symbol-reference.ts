import type { SourceRange } from './source-range'

/** A use of a name: a call, or a type named in an annotation, `new` or inheritance. */
export interface SymbolReference {
  readonly name: string
  readonly kind: 'call' | 'type'
  /** The name's range. */
  readonly range: SourceRange
  /** The name of the innermost definition the reference is in, if any. */
  readonly enclosing?: string
}

import type { SourceRange } from './source-range'
import type { SymbolKind } from './symbol-kind'

/** A named definition in a file: a function, method, class, interface, type, enum, constant or module. */
export interface SymbolDefinition {
  /** The name as written (`area`, `MemoryUserStore`, `Data.Queue`). */
  readonly name: string
  readonly kind: SymbolKind
  /** The whole definition, body included. */
  readonly range: SourceRange
  /** The name inside it. */
  readonly nameRange: SourceRange
  /**
   * The definition's header on one line, as written, whitespace collapsed: everything from the
   * start of its first line (keywords such as `export`, `pub`, `public static` included) up to
   * its body, or its first line when it has no body. At most 240 characters.
   */
  readonly signature: string
  /** The name of the nearest enclosing definition or scope (a method's class, a Go method's receiver type). */
  readonly enclosing?: string
  /** The doc comment (or docstring) attached to the definition, markers stripped. */
  readonly doc?: string
}

/**
 * Tags query for Haskell. A top-level function's type signature and its equations are
 * separate nodes: each is captured, and adjacent captures of one name are merged into one
 * definition that starts at the signature (see `mergeClauses` in `tags-query.ts`).
 * Type classes are interfaces, `data` and `newtype` classes.
 *
 * The three kinds of `apply` reference share one pattern: each pattern on an `apply` costs
 * 4–6 ms to compile, one with optional fields about as much as the cheapest.
 */
export const haskellTags = `
(header module: (module) @name) @definition.module
(declarations (signature name: (variable) @name) @definition.function)
(declarations (function name: (variable) @name) @definition.function)
(declarations (bind name: (variable) @name) @definition.function)
(class_declarations (signature name: (variable) @name) @definition.method)
(data_type name: (name) @name) @definition.class
(newtype name: (name) @name) @definition.class
(type_synomym name: (name) @name) @definition.type
(class name: (name) @name) @definition.interface
(instance name: (name) @scope.name) @scope

(apply
  function: [(variable) @reference.call (qualified (variable) @reference.call)]?
  constructor: (name)? @reference.type)

(import module: (module) @import.source) @import
(import names: (import_list (import_name (variable) @import.name)))
`

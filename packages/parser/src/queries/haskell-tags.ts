/**
 * Tags query for Haskell. A top-level function's type signature and its equations are
 * separate nodes: each is captured, and adjacent captures of one name are merged into one
 * definition that starts at the signature (see `mergeClauses` in `tags-query.ts`).
 * Type classes are interfaces, `data` and `newtype` classes.
 *
 * Cheap to compile: every declaration is matched by a childless step (or one step under
 * `declarations`) and its name read by `#field!`. Each child step naming a node type cost 1–5
 * ms, the twelve of them 17 ms, on top of the 9 ms every query spends scanning the grammar's
 * parse table. `!names` keeps a signature of several names (`a, b :: t`) out, as the `name:`
 * step did: web-tree-sitter's `childForFieldName('name')` answers the `a` in its `binding_list`.
 *
 * The three kinds of `apply` reference share one pattern with optional children (5 ms to
 * compile). A childless `(apply)` read in JavaScript compiles in nothing but makes a warm
 * `symbols()` about 25% slower: every application is a match.
 */
export const haskellTags = `
((header) @definition.module @name (#field! @name module module))
(declarations [(signature !names) (function) (bind)] @definition.function @name
 (#field! @name name variable))
(class_declarations (signature !names) @definition.method @name
 (#field! @name name variable))
([(data_type) (newtype)] @definition.class @name (#field! @name name name))
((type_synomym) @definition.type @name (#field! @name name name))
((class) @definition.interface @name (#field! @name name name))
((instance) @scope @scope.name (#field! @scope.name name name))

(apply
  function: [(variable) @reference.call (qualified (variable) @reference.call)]?
  constructor: (name)? @reference.type)

((import) @import @import.source (#field! @import.source module module))
(import names: (import_list (import_name (variable) @import.name)))
`

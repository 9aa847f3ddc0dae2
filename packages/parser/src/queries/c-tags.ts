/**
 * The patterns C and C++ share. Function names sit under nested declarators (`*f(...)`,
 * `const T& get() const`, `Circle::area`): the patterns match any declarator and
 * `#c-function-name!` (see `src/symbols/match-predicates.ts`) finds the name, which also keeps
 * the query cheap to compile (a child step naming a node type costs tree-sitter's query analysis
 * tens of milliseconds on the C++ grammar; a wildcard costs nothing). A `const` declared inside a
 * function is a local: `extractSymbols` drops constants whose enclosing definition is a function.
 * A `declaration` (a function's or a constant's) and a `function_definition` are childless steps
 * read in JavaScript (`#c-declaration!`, `#field!`): their child steps cost 8 ms to compile.
 */
export const cFamilyTags = `
((function_definition) @definition.function @name (#field! @name declarator) (#c-function-name! @name))
((declaration) @_declaration (#c-declaration! @_declaration))
(enum_specifier name: _ @name body: _) @definition.enum
(type_definition declarator: _ @name (#type? @name type_identifier)) @definition.type
(preproc_def name: _ @name) @definition.constant
(preproc_function_def name: _ @name) @definition.function

(call_expression function: _ @reference.call (#rightmost! @reference.call identifier field_identifier))
(type_identifier) @reference.type

(preproc_include path: _ @import.source) @import
`

/**
 * Tags query for C. Its structs and unions keep their child steps: they cost 0.1 ms to compile on
 * the C grammar, and C code names `struct x` in every use, where a childless step would be a
 * match to drop in JavaScript.
 */
export const cTags = `${cFamilyTags}
(struct_specifier name: _ @name body: _) @definition.class
(union_specifier name: _ @name body: _) @definition.class
`

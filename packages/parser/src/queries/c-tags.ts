/**
 * The patterns C and C++ share. Function names sit under nested declarators (`*f(...)`,
 * `const T& get() const`, `Circle::area`): the patterns match any declarator and
 * `#c-function-name!` (see `src/symbols/match-predicates.ts`) finds the name, which also keeps
 * the query cheap to compile (a child step naming a node type costs tree-sitter's query analysis
 * tens of milliseconds on the C++ grammar; a wildcard costs nothing). A `const` declared inside a
 * function is a local: `extractSymbols` drops constants whose enclosing definition is a function.
 */
export const cFamilyTags = `
(function_definition declarator: _ @name (#c-function-name! @name)) @definition.function
(declaration declarator: _ @name (#c-function-name! @name)) @definition.function
(struct_specifier name: _ @name body: _) @definition.class
(union_specifier name: _ @name body: _) @definition.class
(enum_specifier name: _ @name body: _) @definition.enum
(type_definition declarator: _ @name (#type? @name type_identifier)) @definition.type
(preproc_def name: _ @name) @definition.constant
(preproc_function_def name: _ @name) @definition.function
(declaration
  (type_qualifier) @_qualifier
  declarator: (init_declarator declarator: _ @name)
  (#any-of? @_qualifier "const" "constexpr")
  (#type? @name identifier)) @definition.constant

(call_expression function: _ @reference.call (#rightmost! @reference.call identifier field_identifier))
(type_identifier) @reference.type

(preproc_include path: _ @import.source) @import
`

/** Tags query for C. */
export const cTags = cFamilyTags

/**
 * Declarator shapes that end in a function name, for C and C++ function definitions and
 * prototypes: `f(...)`, `*f(...)`, `**f(...)`.
 */
const functionDeclarator = (name: string) => `[
  (function_declarator declarator: ${name})
  (pointer_declarator declarator: (function_declarator declarator: ${name}))
  (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: ${name})))
]`

/** The patterns C and C++ share. */
export const cFamilyTags = `
(function_definition declarator: ${functionDeclarator('(identifier) @name')}) @definition.function
(declaration declarator: ${functionDeclarator('(identifier) @name')}) @definition.function
(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.class
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.class
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @definition.enum
(type_definition declarator: (type_identifier) @name) @definition.type
(preproc_def name: (identifier) @name) @definition.constant
(preproc_function_def name: (identifier) @name) @definition.function
(translation_unit
  (declaration
    (type_qualifier) @_qualifier
    declarator: (init_declarator declarator: (identifier) @name)) @definition.constant
  (#any-of? @_qualifier "const" "constexpr"))

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call
(type_identifier) @name @reference.type

(preproc_include path: (_) @import.source) @import
`

/** Tags query for C. */
export const cTags = cFamilyTags

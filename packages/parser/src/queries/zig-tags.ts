/**
 * Tags query for Zig. A container (`struct`, `enum`, `union`, `opaque`, error set) is a
 * `const` holding a container expression, so the `variable_declaration` is the definition;
 * other top-level `const`s are constants. `@import` calls are imports.
 */
export const zigTags = `
(function_declaration name: (identifier) @name) @definition.function
(variable_declaration (identifier) @name [(struct_declaration) (union_declaration) (opaque_declaration)]) @definition.class
(variable_declaration (identifier) @name (enum_declaration)) @definition.enum
(variable_declaration (identifier) @name (error_set_declaration)) @definition.type
(source_file (variable_declaration (identifier) @name) @definition.constant)
(test_declaration (string (string_content) @name)) @definition.function

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression member: (identifier) @name)) @reference.call

((builtin_function (builtin_identifier) @_builtin (arguments (string (string_content) @import.source))) @import
 (#eq? @_builtin "@import"))
`

/**
 * Tags query for Lua. `function T:m()` is a method of `T`, `function T.f()` a function whose
 * enclosing symbol is `T`; `local X = ...` with an UPPER_CASE name at the top level is a
 * constant; `require` calls are imports.
 */
export const luaTags = `
(function_declaration name: (method_index_expression table: (identifier) @receiver method: (identifier) @name)) @definition.method
(function_declaration name: (dot_index_expression table: (identifier) @receiver field: (identifier) @name)) @definition.function
(function_declaration name: (identifier) @name) @definition.function
(variable_declaration
  (assignment_statement
    (variable_list name: (identifier) @name)
    (expression_list value: (function_definition)))) @definition.function
(assignment_statement
  (variable_list name: (dot_index_expression table: (identifier) @receiver field: (identifier) @name))
  (expression_list value: (function_definition))) @definition.function
(chunk
  (variable_declaration
    (assignment_statement (variable_list name: (identifier) @name))) @definition.constant
  (#match? @name "^[A-Z][A-Z0-9_]*$"))

(function_call name: (identifier) @name) @reference.call
(function_call name: (dot_index_expression field: (identifier) @name)) @reference.call
(function_call name: (method_index_expression method: (identifier) @name)) @reference.call

((function_call
   name: (identifier) @_require
   arguments: (_ (string content: (string_content) @import.source))) @import
 (#eq? @_require "require"))
`

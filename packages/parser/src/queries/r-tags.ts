/**
 * Tags query for R (tree-sitter-r 1.1). `name <- function(...)` (or `=`, `<<-`) is a function;
 * `Name <- R6Class(...)`/`setRefClass(...)` and `setClass("Name", ...)` are classes;
 * UPPER_CASE assignments outside functions are constants. Calls are named by their last part
 * (`stats::median` → `median`); `library`, `require`, `requireNamespace` and `source` are imports.
 */
export const rTags = `
(binary_operator lhs: (identifier) @name rhs: (function_definition)) @definition.function
(binary_operator
  lhs: (identifier) @name
  rhs: (call function: _ @_constructor)
  (#match? @_constructor "(^|:)(R6Class|setRefClass)$")) @definition.class
((call
   function: (identifier) @_function
   arguments: (arguments . (argument value: (string (string_content) @name)))) @definition.class
 (#any-of? @_function "setClass" "setRefClass"))
(binary_operator lhs: (identifier) @name (#match? @name "^[A-Z][A-Z0-9_.]*$")) @definition.constant

(call function: _ @reference.call (#rightmost! @reference.call identifier))

((call
   function: (identifier) @_function
   arguments: (arguments . (argument value: [(identifier) (string)] @import.source))) @import
 (#any-of? @_function "library" "require" "requireNamespace" "source"))
`

/**
 * Tags query for Python (tree-sitter-python 0.25). A function is reported as a method when its
 * nearest enclosing definition is a class; module-level UPPER_CASE assignments are constants;
 * `type X[T] = ...` (Python 3.12) is a type.
 */
export const pythonTags = `
(function_definition name: (identifier) @name) @definition.function
(class_definition name: (identifier) @name) @definition.class
(type_alias_statement left: (type [(identifier) @name (generic_type . (identifier) @name)])) @definition.type

(module
  (expression_statement
    (assignment left: (identifier) @name) @definition.constant)
  (#match? @name "^_*[A-Z][A-Z0-9_]*$"))

(call function: (identifier) @reference.call)
(call function: (attribute attribute: (identifier) @reference.call))
(class_definition superclasses: (argument_list (identifier) @reference.type))
(class_definition superclasses: (argument_list (attribute attribute: (identifier) @reference.type)))
(decorator (identifier) @reference.call)
(type (identifier) @reference.type)

(import_statement name: (dotted_name) @import.source) @import
(import_statement name: (aliased_import name: (dotted_name) @import.source alias: (identifier) @import.name)) @import
(import_from_statement module_name: (_) @import.source) @import
(import_from_statement name: (dotted_name) @import.name)
(import_from_statement name: (aliased_import alias: (identifier) @import.name))
`

/**
 * Tags query for C# (tree-sitter-c-sharp 0.23; the cursorless build lacks some of these node
 * names, such as `file_scoped_namespace_declaration`: every name here is compiled against the
 * registered grammar in the tests). Structs and records are classes, constructors methods,
 * delegates types, `const` fields constants.
 */
export const csharpTags = `
(namespace_declaration name: (_) @name) @definition.module
(file_scoped_namespace_declaration name: (_) @name) @definition.module
(class_declaration name: (identifier) @name) @definition.class
(struct_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(delegate_declaration name: (identifier) @name) @definition.type
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method
(field_declaration
  (modifier) @_modifier
  (variable_declaration (variable_declarator (identifier) @name)) @definition.constant
  (#eq? @_modifier "const"))

(invocation_expression
  function: [(identifier) @reference.call (member_access_expression name: (identifier) @reference.call)])
(object_creation_expression type: (identifier) @name) @reference.type
(base_list (identifier) @name) @reference.type

(using_directive [(identifier) (qualified_name)] @import.source) @import
`

/**
 * Tags query for PHP. Traits are classes, enums enums, `const` declarations constants;
 * `use` statements are imports.
 */
export const phpTags = `
(namespace_definition name: (namespace_name) @name) @definition.module
(class_declaration name: (name) @name) @definition.class
(trait_declaration name: (name) @name) @definition.class
(interface_declaration name: (name) @name) @definition.interface
(enum_declaration name: (name) @name) @definition.enum
(function_definition name: (name) @name) @definition.function
(method_declaration name: (name) @name) @definition.method
(const_declaration (const_element (name) @name)) @definition.constant

(function_call_expression function: [(name) (qualified_name)] @name) @reference.call
(member_call_expression name: (name) @name) @reference.call
(scoped_call_expression name: (name) @name) @reference.call
(object_creation_expression [(name) (qualified_name)] @name) @reference.type
(base_clause (name) @name) @reference.type
(class_interface_clause (name) @name) @reference.type

(namespace_use_declaration (namespace_use_clause . [(qualified_name) (name)] @import.source)) @import
(namespace_use_clause alias: (name) @import.name)
`

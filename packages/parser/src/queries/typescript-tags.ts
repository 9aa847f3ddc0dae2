import { javascriptCoreTags } from './javascript-tags'

/**
 * Tags query for TypeScript and TSX (tree-sitter-typescript 0.23): the JavaScript patterns plus
 * interfaces, type aliases, enums, namespaces, ambient declarations and type references.
 */
export const typescriptTags = `${javascriptCoreTags}
${`
(function_signature name: (identifier) @name) @definition.function
(abstract_class_declaration name: (_) @name) @definition.class
(interface_declaration name: (_) @name) @definition.interface
(type_alias_declaration name: (_) @name) @definition.type
(enum_declaration name: (_) @name) @definition.enum
(internal_module name: (_) @name) @definition.module
(module name: (_) @name) @definition.module
(method_signature name: (_) @name) @definition.method
(abstract_method_signature name: (_) @name) @definition.method
((public_field_definition name: _ @name) @definition.method @_value
 (#field! @_value value arrow_function function_expression))

(type_annotation (type_identifier) @reference.type)
(generic_type name: (type_identifier) @reference.type)
(extends_clause value: (identifier) @reference.type)
(implements_clause (type_identifier) @reference.type)
(extends_type_clause type: (type_identifier) @reference.type)
`}`

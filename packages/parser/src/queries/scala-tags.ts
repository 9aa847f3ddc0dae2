/**
 * Tags query for Scala (2 and 3). Traits are interfaces, objects and case classes classes;
 * `val`s in an object or at the top level are constants.
 */
export const scalaTags = `
(package_clause name: (_) @name) @definition.module
(class_definition name: (identifier) @name) @definition.class
(object_definition name: (identifier) @name) @definition.class
(trait_definition name: (identifier) @name) @definition.interface
(enum_definition name: (identifier) @name) @definition.enum
(function_definition name: (identifier) @name) @definition.function
(function_declaration name: (identifier) @name) @definition.function
(type_definition name: (type_identifier) @name) @definition.type
(object_definition body: (template_body (val_definition pattern: (identifier) @name) @definition.constant))
(compilation_unit (val_definition pattern: (identifier) @name) @definition.constant)

(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (identifier) @name)) @reference.call
(instance_expression (type_identifier) @name) @reference.type
(type_identifier) @name @reference.type

(import_declaration) @import.source @import
`

/**
 * Tags query for Scala (2 and 3). Traits are interfaces, objects and case classes classes;
 * `val`s in an object or at the top level are constants.
 *
 * Where a `val` sits is checked by `#parent!`/`#parent-type?` rather than by the patterns
 * (`(object_definition body: (template_body (val_definition ...)))` cost 6 ms to compile, a
 * pattern rooted at `compilation_unit` a second query).
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
((val_definition pattern: (identifier) @name) @definition.constant @_object
 (#parent! @_object template_body)
 (#parent! @_object object_definition body))
((val_definition pattern: (identifier) @name) @definition.constant @_unit
 (#parent-type? @_unit compilation_unit))

(call_expression function: [(identifier) @reference.call (field_expression field: (identifier) @reference.call)])
(instance_expression (type_identifier) @name) @reference.type
(type_identifier) @name @reference.type

(import_declaration) @import.source @import
`

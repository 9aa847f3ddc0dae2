/**
 * Tags query for Kotlin. The grammar has one `class_declaration` for classes, interfaces and
 * enums: the more specific patterns come first, and the first pattern that matches a node wins.
 */
export const kotlinTags = `
(package_header (identifier) @name) @definition.module
(class_declaration "interface" (type_identifier) @name) @definition.interface
(class_declaration (type_identifier) @name (enum_class_body)) @definition.enum
(class_declaration (type_identifier) @name) @definition.class
(object_declaration (type_identifier) @name) @definition.class
(function_declaration (simple_identifier) @name) @definition.function
(type_alias (type_identifier) @name) @definition.type
(property_declaration
  (modifiers (property_modifier) @_modifier)
  (variable_declaration (simple_identifier) @name)
  (#eq? @_modifier "const")) @definition.constant

(call_expression
  [(simple_identifier) @reference.call
   (navigation_expression (navigation_suffix (simple_identifier) @reference.call))])
(user_type (type_identifier) @name) @reference.type

(import_header (identifier) @import.source) @import
`

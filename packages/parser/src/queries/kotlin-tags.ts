/**
 * Tags query for Kotlin. The grammar has one `class_declaration` for classes, interfaces and
 * enums: `#kotlin-class!` tells them apart in JavaScript, from one childless step. A `const`
 * property starts at its `property_modifier` (rare) and climbs to the declaration with `#parent!`.
 * Child steps on `class_declaration` and `property_declaration` cost 1–7 ms each to compile.
 */
export const kotlinTags = `
((package_header) @definition.module @name (#find-child! @name identifier))
((class_declaration) @definition.class @name (#kotlin-class! @definition.class))
(object_declaration (type_identifier) @name) @definition.class
(function_declaration (simple_identifier) @name) @definition.function
(type_alias (type_identifier) @name) @definition.type
((property_modifier) @_modifier @definition.constant @name
 (#eq? @_modifier "const")
 (#parent! @definition.constant modifiers)
 (#parent! @definition.constant property_declaration)
 (#parent! @name modifiers)
 (#parent! @name property_declaration)
 (#find-child! @name variable_declaration)
 (#find-child! @name simple_identifier))

(call_expression
  [(simple_identifier) @reference.call
   (navigation_expression (navigation_suffix (simple_identifier) @reference.call))])
(user_type (type_identifier) @name) @reference.type

(import_header (identifier) @import.source) @import
`

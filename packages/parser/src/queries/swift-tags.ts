/**
 * Tags query for Swift. The grammar has one `class_declaration` for classes, structs, enums,
 * actors and extensions: enums are told apart by their body, and an extension is a scope
 * (`@scope`) whose methods name the extended type as their enclosing symbol.
 */
export const swiftTags = `
(class_declaration "extension" name: (user_type (type_identifier) @scope.name)) @scope
(class_declaration name: (type_identifier) @name body: (enum_class_body)) @definition.enum
(class_declaration name: (type_identifier) @name) @definition.class
(protocol_declaration name: (type_identifier) @name) @definition.interface
(protocol_function_declaration name: (simple_identifier) @name) @definition.method
(function_declaration name: (simple_identifier) @name) @definition.function
(function_declaration name: "init" @name) @definition.method
(typealias_declaration name: (type_identifier) @name) @definition.type
(source_file
  (property_declaration
    (value_binding_pattern) @_binding
    name: (pattern bound_identifier: (simple_identifier) @name)) @definition.constant
  (#eq? @_binding "let"))

(call_expression (simple_identifier) @name) @reference.call
(call_expression (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @name))) @reference.call
(user_type (type_identifier) @name) @reference.type

(import_declaration (identifier) @import.source) @import
`

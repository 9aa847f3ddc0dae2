/**
 * Tags query for Dart. The grammar puts a function's body beside its signature rather than
 * inside it: `@body` stretches a definition over that body. Mixins are classes, extensions
 * scopes of the extended type.
 */
export const dartTags = `
(class_definition name: (identifier) @name) @definition.class
(mixin_declaration (identifier) @name) @definition.class
(enum_declaration name: (identifier) @name) @definition.enum
(type_alias (type_identifier) @name) @definition.type
(extension_declaration class: (_) @scope.name) @scope

(program (function_signature name: (identifier) @name) @definition.function . (function_body) @body)
(program (function_signature name: (identifier) @name) @definition.function)
((method_signature [(function_signature name: (identifier) @name)
                    (getter_signature name: (identifier) @name)
                    (setter_signature name: (identifier) @name)
                    (constructor_signature name: (identifier) @name)
                    (factory_constructor_signature (identifier) @name)]) @definition.method
 . (function_body) @body)
(declaration [(function_signature name: (identifier) @name)
              (getter_signature name: (identifier) @name)
              (constructor_signature name: (identifier) @name)]) @definition.method
(program (static_final_declaration_list (static_final_declaration (identifier) @name) @definition.constant))

(type_identifier) @name @reference.type
(selector (unconditional_assignable_selector (identifier) @name)) @reference.call
(new_expression (type_identifier) @name) @reference.type

(import_specification (configurable_uri) @import.source) @import
(import_specification (identifier) @import.name)
`

/**
 * Tags query for Swift. The grammar has one `class_declaration` for classes, structs, enums,
 * actors and extensions: an enum is a class whose body is an `enum_class_body` (`extractSymbols`
 * tells them apart), and an extension is a scope (`@scope`) whose methods name the extended type
 * as their enclosing symbol. `init` is an `init_declaration` (tree-sitter-swift 0.7), a method of its type.
 *
 * Written to compile fast: this grammar's parse table is large, and a child step that names a
 * node type (`name: (simple_identifier)`) made tree-sitter's query analysis take about a
 * second; wildcards (`name: _`) with `#type?`/`#rightmost!` checks cost nothing to compile.
 * A top-level `let` is checked by `#parent-type?`: a pattern rooted at `source_file` would be
 * compiled as a second query, which costs 8 ms on this grammar even when it is one node.
 */
export const swiftTags = `
(class_declaration declaration_kind: _ @_kind name: _ @scope.name (#eq? @_kind "extension")) @scope
(class_declaration name: _ @name (#type? @name type_identifier)) @definition.class
(protocol_declaration name: _ @name) @definition.interface
(protocol_function_declaration name: _ @name) @definition.method
(function_declaration name: _ @name) @definition.function
(init_declaration "init" @name) @definition.method
(typealias_declaration name: _ @name) @definition.type
((property_declaration . _ @_binding name: _ @name) @definition.constant
 (#eq? @_binding "let")
 (#parent-type? @definition.constant source_file)
 (#rightmost! @name simple_identifier))

(call_expression . _ @reference.call (#rightmost! @reference.call simple_identifier))
(type_identifier) @reference.type

(import_declaration (identifier) @import.source) @import
`

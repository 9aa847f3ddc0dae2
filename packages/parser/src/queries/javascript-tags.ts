/**
 * The patterns JavaScript, TypeScript and TSX share: only node names all three grammars have,
 * and `(_)` where they differ (a class name is `identifier` in JavaScript and
 * `type_identifier` in TypeScript). Capture names are explained in `tags-query.ts`.
 *
 * Written to compile fast and to run fast. tree-sitter analyses each step that has children
 * from every parse state where its node can start, so a step on an expression
 * (`member_expression`, `call_expression`) costs about 2 ms on these grammars: the rare
 * definitions (`a.b = function`, `A.prototype.m = function`, about 40 in typescript.js) match
 * loosely and `#field!`/`#text?` check the rest; the frequent references keep their shape in the
 * query, one pattern per callee node (one query-cursor state per call instead of two).
 */
export const javascriptCoreTags = `
(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (_) @name) @definition.class
(class name: (_) @name) @definition.class
(method_definition name: (_) @name) @definition.method

(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

((expression_statement
   (assignment_expression
     left: (member_expression) @name
     right: [(arrow_function) (function_expression)]) @definition.function) @_statement
 (#parent-type? @_statement program)
 (#field! @name property property_identifier))
((assignment_expression
   left: (member_expression) @name @_prototype
   right: [(arrow_function) (function_expression)]) @definition.function
 (#field! @_prototype object member_expression)
 (#field! @_prototype property property_identifier)
 (#text? @_prototype "prototype")
 (#field! @name property property_identifier))

(program (lexical_declaration kind: "const" (variable_declarator name: (identifier) @name) @definition.constant))
(program (export_statement declaration: (lexical_declaration kind: "const" (variable_declarator name: (identifier) @name) @definition.constant)))

(call_expression function: [(identifier) @reference.call (member_expression property: (property_identifier) @reference.call)])
(new_expression constructor: (identifier) @reference.type)
(new_expression constructor: (member_expression property: (property_identifier) @reference.type))

(import_statement source: (string (string_fragment) @import.source)) @import
(export_statement source: (string (string_fragment) @import.source)) @import
(import_clause (identifier) @import.name)
(import_specifier name: (_) @import.name)
(namespace_import (identifier) @import.name)
((call_expression
   function: (identifier) @_require
   arguments: (arguments . (string (string_fragment) @import.source) .)) @import
 (#eq? @_require "require"))
`

/** Tags query for JavaScript (tree-sitter-javascript 0.25): the shared patterns plus class fields holding functions and `extends X`. */
export const javascriptTags = `${javascriptCoreTags}
(field_definition
  property: (_) @name
  value: [(arrow_function) (function_expression)]) @definition.method
(class_heritage (identifier) @reference.type)
`

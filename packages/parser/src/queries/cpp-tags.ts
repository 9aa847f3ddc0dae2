import { cFamilyTags } from './c-tags'

/**
 * Tags query for C++: the C patterns plus classes, namespaces, methods declared in a class body
 * and methods defined out of line (`double Circle::area() const`, whose enclosing symbol is
 * `Circle`), aliases and templates.
 */
export const cppTags = `${cFamilyTags}
${`
(class_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.class
(namespace_definition name: (_) @name) @definition.module
(alias_declaration name: (type_identifier) @name) @definition.type
(function_definition
  declarator: (function_declarator declarator: [(field_identifier) (destructor_name) (operator_name)] @name)) @definition.method
(field_declaration
  declarator: (function_declarator declarator: [(field_identifier) (destructor_name) (operator_name)] @name)) @definition.method
(function_definition
  declarator: (function_declarator
    declarator: (qualified_identifier
      scope: (_) @receiver
      name: [(identifier) (destructor_name) (operator_name)] @name))) @definition.method
(function_definition
  declarator: (reference_declarator (function_declarator
    declarator: (qualified_identifier
      scope: (_) @receiver
      name: [(identifier) (operator_name)] @name)))) @definition.method
(namespace_definition
  body: (declaration_list
    (declaration
      (type_qualifier) @_qualifier
      declarator: (init_declarator declarator: (identifier) @name)) @definition.constant)
  (#any-of? @_qualifier "const" "constexpr"))

(new_expression type: (type_identifier) @name) @reference.type
(call_expression function: (qualified_identifier name: (identifier) @name)) @reference.call
(base_class_clause (type_identifier) @name) @reference.type

(using_declaration (_) @import.source) @import
`}`

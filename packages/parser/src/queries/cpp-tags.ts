import { cFamilyTags } from './c-tags'

/**
 * Tags query for C++: the C patterns plus classes, namespaces, concepts, methods declared in a
 * class body (`int* p();`, `const int& get() const;`) and methods defined out of line
 * (`double Circle::area() const`, whose enclosing symbol is `Circle`: `#c-function-name!` adds
 * the scope as `@receiver`), aliases and templates. Structs, unions and classes are childless
 * steps checked by `#field!` (with `name: _ body: _` they cost 6 ms to compile on this grammar).
 */
export const cppTags = `${cFamilyTags}
${`
([(struct_specifier) (union_specifier) (class_specifier)] @definition.class @name @_body
 (#field! @_body body)
 (#field! @name name))
(namespace_definition name: _ @name) @definition.module
(alias_declaration name: _ @name) @definition.type
(concept_definition name: _ @name) @definition.interface
(field_declaration declarator: _ @name (#c-function-name! @name)) @definition.method
(new_expression type: _ @reference.type (#rightmost! @reference.type type_identifier))
(base_class_clause _ @reference.type (#rightmost! @reference.type type_identifier))

(using_declaration _ @import.source) @import
`}`

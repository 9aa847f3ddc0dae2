import { cFamilyTags } from './c-tags'

/**
 * Tags query for C++: the C patterns plus classes, namespaces, concepts, methods declared in a
 * class body (`int* p();`, `const int& get() const;`) and methods defined out of line
 * (`double Circle::area() const`, whose enclosing symbol is `Circle`: `#c-function-name!` adds
 * the scope as `@receiver`), aliases and templates.
 */
export const cppTags = `${cFamilyTags}
${`
(class_specifier name: _ @name body: _) @definition.class
(namespace_definition name: _ @name) @definition.module
(alias_declaration name: _ @name) @definition.type
(concept_definition name: _ @name) @definition.interface
(field_declaration declarator: _ @name (#c-function-name! @name)) @definition.method
(new_expression type: _ @reference.type (#rightmost! @reference.type type_identifier))
(base_class_clause _ @reference.type (#rightmost! @reference.type type_identifier))

(using_declaration _ @import.source) @import
`}`

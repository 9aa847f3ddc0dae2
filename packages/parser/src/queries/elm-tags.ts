/**
 * Tags query for Elm. Top-level values are functions, merged with their type annotation (so the
 * signature is the annotation); custom types are classes, type aliases types, ports functions,
 * the module declaration a module. Calls are named by their last part (`String.fromInt` →
 * `fromInt`); imports give the module and the names they expose.
 */
export const elmTags = `
(module_declaration name: _ @name) @definition.module
(file (type_annotation name: _ @name) @definition.function)
(file (value_declaration functionDeclarationLeft: (function_declaration_left . (lower_case_identifier) @name)) @definition.function)
(port_annotation name: _ @name) @definition.function
(type_declaration name: _ @name) @definition.class
(type_alias_declaration name: _ @name) @definition.type

(function_call_expr target: (value_expr name: _ @reference.call (#rightmost! @reference.call lower_case_identifier upper_case_identifier)))
(type_ref (upper_case_qid) @reference.type (#rightmost! @reference.type upper_case_identifier))

(import_clause moduleName: _ @import.source) @import
(import_clause exposing: (exposing_list (exposed_value) @import.name))
(import_clause exposing: (exposing_list (exposed_type (upper_case_identifier) @import.name)))
`

/**
 * Tags query for Perl (tree-sitter-perl 2.0). `sub name { ... }` is a function (`sub Foo::bar`
 * keeps its package in the name), `package Foo;` a module, `use constant NAME => ...` a constant.
 * Function and method calls are references; `use Module` (pragmas left out) and `require
 * Module` are imports.
 */
export const perlTags = `
(subroutine_declaration_statement name: _ @name) @definition.function
(package_statement name: _ @name) @definition.module
((use_statement module: _ @_module (list_expression) @name) @definition.constant
 (#eq? @_module "constant")
 (#child! @name autoquoted_bareword))

(function_call_expression function: _ @reference.call)
(ambiguous_function_call_expression function: _ @reference.call)
(method_call_expression method: _ @reference.call)

((use_statement module: _ @import.source) @import
 (#not-any-of? @import.source "strict" "warnings" "utf8" "constant" "vars" "feature" "lib" "integer" "overload"
   "parent" "base" "bytes" "less" "sort" "subs" "bigint" "bignum" "bigrat" "locale" "open" "if" "version"))
(require_expression (bareword) @import.source) @import
`

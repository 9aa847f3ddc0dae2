/**
 * Tags query for Ruby. `def self.x` is a method like `def x`; constants are assignments to a
 * constant name; `require` and `require_relative` calls are imports.
 *
 * Every pattern on a `call` costs about 9 ms to compile (the grammar allows one in hundreds of
 * parse states): the two kinds of call reference share one pattern, and the import starts at
 * the `argument_list` and checks its call with `#parent!`.
 */
export const rubyTags = `
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(class name: [(constant) (scope_resolution)] @name) @definition.class
(module name: [(constant) (scope_resolution)] @name) @definition.module
((assignment left: _ @name) @definition.constant (#type? @name constant))

(call receiver: (constant)? @reference.type method: (identifier)? @reference.call)
(superclass (constant) @name) @reference.type

((argument_list . (string (string_content) @import.source)) @import @_method
 (#parent! @import call arguments)
 (#parent! @_method call arguments)
 (#field! @_method method identifier)
 (#text? @_method "require" "require_relative" "load"))
`

/**
 * Tags query for Ruby. `def self.x` is a method like `def x`; constants are assignments to a
 * constant name; `require` and `require_relative` calls are imports.
 */
export const rubyTags = `
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(class name: [(constant) (scope_resolution)] @name) @definition.class
(module name: [(constant) (scope_resolution)] @name) @definition.module
(assignment left: (constant) @name) @definition.constant

(call method: (identifier) @name) @reference.call
(superclass (constant) @name) @reference.type
(call receiver: (constant) @name) @reference.type

((call
   method: (identifier) @_method
   arguments: (argument_list . (string (string_content) @import.source))) @import
 (#any-of? @_method "require" "require_relative" "load"))
`

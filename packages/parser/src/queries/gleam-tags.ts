/**
 * Tags query for Gleam: functions, custom types (as classes), type aliases, constants, calls
 * (named by their last part: `list.map(...)` → `map`), type uses and `import` modules.
 */
export const gleamTags = `
(function name: _ @name) @definition.function
(type_definition (type_name name: _ @name)) @definition.class
(type_alias (type_name name: _ @name)) @definition.type
(constant name: _ @name) @definition.constant

(function_call function: _ @reference.call (#rightmost! @reference.call identifier label))
(type name: _ @reference.type)

(import module: _ @import.source) @import
`

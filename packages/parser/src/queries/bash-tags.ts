/**
 * Tags query for Bash. Functions, `readonly`/`declare -r` variables as constants, the names
 * of commands run as calls, and `source`/`.` as imports.
 */
export const bashTags = `
(function_definition name: (word) @name) @definition.function
((declaration_command
   (variable_assignment name: (variable_name) @name)) @definition.constant
 (#match? @definition.constant "^(readonly|declare -r|typeset -r)"))

(command name: (command_name (word) @name)) @reference.call

((command
   name: (command_name (word) @_command)
   argument: [(word) (string) (raw_string) (concatenation)] @import.source) @import
 (#any-of? @_command "source" "."))
`

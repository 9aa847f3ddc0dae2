/**
 * Tags query for Elixir. Definitions are macro calls (`defmodule`, `def`, `defp`, ...): the
 * name is the first argument. Multi-clause functions are merged into one definition.
 * `alias`, `import`, `require` and `use` are imports.
 *
 * Every pattern starts at a `call`, which the grammar allows in hundreds of parse states, so
 * each costs 3–5 ms to compile: the nested steps of the `when` and `@type` shapes are checked
 * by `#field!` (13 ms → 5 ms each), and plain and dotted calls share one pattern.
 */
export const elixirTags = `
((call target: (identifier) @_keyword (arguments (alias) @name)) @definition.module
 (#any-of? @_keyword "defmodule" "defprotocol" "defimpl"))
((call target: (identifier) @_keyword (arguments [(call target: (identifier) @name) (identifier) @name])) @definition.function
 (#any-of? @_keyword "def" "defp" "defmacro" "defmacrop" "defguard" "defguardp" "defdelegate"))
((call target: (identifier) @_keyword (arguments (binary_operator) @name)) @definition.function
 (#any-of? @_keyword "def" "defp" "defmacro" "defmacrop" "defguard" "defguardp")
 (#field! @name left call)
 (#field! @name target identifier))
((unary_operator operand: (call target: (identifier) @_attribute (arguments (binary_operator) @name))) @definition.type
 (#any-of? @_attribute "type" "typep" "opaque")
 (#field! @name left call)
 (#field! @name target identifier))

((call target: [(identifier) @name @_plain (dot right: (identifier) @name)]) @reference.call
 (#not-any-of? @_plain "def" "defp" "defmacro" "defmacrop" "defguard" "defguardp" "defdelegate" "defmodule"
   "defprotocol" "defimpl" "defstruct" "defexception" "alias" "import" "require" "use" "if" "unless" "case"
   "cond" "with" "for" "quote" "unquote" "receive" "try" "fn" "doc" "moduledoc" "typedoc" "spec" "type" "typep"
   "opaque" "impl" "behaviour" "callback"))

((call target: (identifier) @_keyword (arguments . [(alias) (dot)] @import.source)) @import
 (#any-of? @_keyword "alias" "import" "require" "use"))
`

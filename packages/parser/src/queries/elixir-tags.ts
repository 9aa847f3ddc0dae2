/**
 * Tags query for Elixir. Definitions are macro calls (`defmodule`, `def`, `defp`, ...): the
 * name is the first argument. Multi-clause functions are merged into one definition.
 * `alias`, `import`, `require` and `use` are imports.
 */
export const elixirTags = `
((call target: (identifier) @_keyword (arguments (alias) @name)) @definition.module
 (#any-of? @_keyword "defmodule" "defprotocol" "defimpl"))
((call target: (identifier) @_keyword (arguments [(call target: (identifier) @name) (identifier) @name])) @definition.function
 (#any-of? @_keyword "def" "defp" "defmacro" "defmacrop" "defguard" "defguardp" "defdelegate"))
((call target: (identifier) @_keyword
   (arguments (binary_operator left: (call target: (identifier) @name)))) @definition.function
 (#any-of? @_keyword "def" "defp" "defmacro" "defmacrop" "defguard" "defguardp"))
((unary_operator operand: (call target: (identifier) @_attribute
   (arguments (binary_operator left: (call target: (identifier) @name))))) @definition.type
 (#any-of? @_attribute "type" "typep" "opaque"))

((call target: (identifier) @name) @reference.call
 (#not-any-of? @name "def" "defp" "defmacro" "defmacrop" "defguard" "defguardp" "defdelegate" "defmodule"
   "defprotocol" "defimpl" "defstruct" "defexception" "alias" "import" "require" "use" "if" "unless" "case"
   "cond" "with" "for" "quote" "unquote" "receive" "try" "fn" "doc" "moduledoc" "typedoc" "spec" "type" "typep"
   "opaque" "impl" "behaviour" "callback"))
(call target: (dot right: (identifier) @name)) @reference.call

((call target: (identifier) @_keyword (arguments . [(alias) (dot)] @import.source)) @import
 (#any-of? @_keyword "alias" "import" "require" "use"))
`

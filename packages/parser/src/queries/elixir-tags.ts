/**
 * Tags query for Elixir. Definitions are macro calls (`defmodule`, `def`, `defp`, ...): the
 * name is the first argument. Multi-clause functions are merged into one definition.
 * `alias`, `import`, `require` and `use` are imports.
 *
 * Every symbol of Elixir is a `call`, which the grammar allows in hundreds of parse states: each
 * pattern with children on it cost 3–7 ms to compile, six of them 25 ms. So one childless
 * pattern takes every call, and `#elixir-call!` reads in JavaScript what the call makes (a
 * module, function or type definition, an import or a reference; see `elixirCallSymbol` in
 * `src/symbols/match-predicates.ts`).
 */
export const elixirTags = `
((call) @_call (#elixir-call! @_call))
`

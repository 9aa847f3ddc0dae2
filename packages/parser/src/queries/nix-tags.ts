/**
 * Tags query for Nix. A binding whose value is a function (`mkName = name: ...`) is a function,
 * named by the last attribute of its path; other `let` bindings are constants. Applications are
 * calls (named by their last attribute: `stdenv.mkDerivation` → `mkDerivation`), and
 * `import ./path` / `import <nixpkgs>` are imports.
 */
export const nixTags = `
(binding attrpath: _ @name expression: (function_expression) (#rightmost! @name identifier)) @definition.function
(let_expression (binding_set (binding attrpath: _ @name (#rightmost! @name identifier)) @definition.constant))

((apply_expression function: _ @reference.call)
 (#rightmost! @reference.call identifier)
 (#not-eq? @reference.call "import"))

((apply_expression
   function: (variable_expression name: (identifier) @_import)
   argument: [(path_expression) (spath_expression)] @import.source) @import
 (#eq? @_import "import"))
`

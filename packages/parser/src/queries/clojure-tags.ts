/**
 * Tags query for Clojure: every form is a list, told apart by its first symbol. `defn`, `defn-`,
 * `defmacro` and `defmulti` are functions, `def`/`defonce` constants, `defprotocol` interfaces
 * (their method signatures methods), `defrecord`/`deftype` classes, `ns` modules. A call is the
 * symbol at the head of any other list (`str/join` → `join`); `(:require [lib :as x :refer
 * [a b]])` in `ns` gives imports and the names they refer.
 */
export const clojureTags = `
((list_lit . (sym_lit name: (sym_name) @_keyword) . (sym_lit name: (sym_name) @name)) @definition.function
 (#any-of? @_keyword "defn" "defn-" "defmacro" "defmulti"))
((list_lit . (sym_lit name: (sym_name) @_keyword) . (sym_lit name: (sym_name) @name)) @definition.constant
 (#any-of? @_keyword "def" "defonce"))
((list_lit . (sym_lit name: (sym_name) @_keyword) . (sym_lit name: (sym_name) @name)) @definition.interface
 (#eq? @_keyword "defprotocol"))
((list_lit . (sym_lit name: (sym_name) @_keyword) (list_lit . (sym_lit name: (sym_name) @name)) @definition.method)
 (#eq? @_keyword "defprotocol"))
((list_lit . (sym_lit name: (sym_name) @_keyword) . (sym_lit name: (sym_name) @name)) @definition.class
 (#any-of? @_keyword "defrecord" "deftype"))
((list_lit . (sym_lit name: (sym_name) @_keyword) . (sym_lit name: (sym_name) @name)) @definition.module
 (#eq? @_keyword "ns"))

((list_lit . (sym_lit name: (sym_name) @reference.call))
 (#not-any-of? @reference.call "def" "defn" "defn-" "defmacro" "defmulti" "defmethod" "defonce" "defprotocol"
   "defrecord" "deftype" "ns" "fn" "let" "if" "do" "when" "cond" "loop" "recur" "quote" "var" "try" "catch"
   "finally" "throw"))

((list_lit
   . (sym_lit name: (sym_name) @_ns)
   (list_lit . (kwd_lit name: (kwd_name) @_require) (vec_lit . (sym_lit) @import.source) @import))
 (#eq? @_ns "ns")
 (#any-of? @_require "require" "use"))
((vec_lit (kwd_lit name: (kwd_name) @_refer) . (vec_lit (sym_lit) @import.name))
 (#eq? @_refer "refer"))
`

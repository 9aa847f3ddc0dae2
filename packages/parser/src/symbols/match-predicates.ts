import type { Node, Query, QueryCapture, QueryPredicate } from 'web-tree-sitter'

/**
 * A predicate of ours, run on a match's captures after the query cursor found it: false drops the
 * match. It may also replace a capture's node.
 */
type MatchPredicate = (captures: QueryCapture[]) => boolean

/**
 * The predicates `extractSymbols` understands beyond tree-sitter's own (`#eq?`, `#match?`,
 * `#any-of?`, which web-tree-sitter applies itself). They exist to keep tags queries cheap to
 * compile: tree-sitter analyses every child step of a pattern against the grammar's parse table
 * when the query is compiled, and a step that constrains a node's type (`name: (identifier)`)
 * can cost hundreds of milliseconds on a large grammar where a wildcard (`name: _`) costs
 * nothing. So a pattern matches loosely and the predicate checks the type in JavaScript:
 *
 * - `(#type? @capture type ...)`: keep the match only if the captured node has one of the types.
 * - `(#not-type? @capture type ...)`: keep it only if the node has none of them.
 * - `(#rightmost! @capture type ...)`: replace the captured node by its rightmost named
 *   descendant of one of the types, following last named children (`a.b.c` → `c`); drop the
 *   match when that path reaches no such node. It takes the name out of a callee without a
 *   pattern for every shape of callee.
 * - `(#field! @capture field type ...)`: replace the captured node by its child in `field`; drop
 *   the match when it has none, or when types are given and the child has none of them. With
 *   two captures on one node (`(member_expression) @name @_object`), each can be led down its
 *   own path.
 * - `(#child! @capture type ...)`: replace the captured node by its first named child (what
 *   `(parent . (type))` anchors to); drop the match unless that child has one of the types.
 * - `(#find-child! @capture type ...)`: replace the captured node by its first named child with
 *   one of the types (what a child step `(parent (type) @capture)` matched first); drop the
 *   match when it has none.
 * - `(#parent! @capture type [field])`: replace the captured node by its parent; drop the match
 *   unless the parent has the type (and, with a field, holds the node in `field`). A pattern can then start at a
 *   node the grammar allows in few places (Ruby's `argument_list`) rather than at its parent (a
 *   `call`, whose every pattern costs about 9 ms to compile).
 * - `(#parent-type? @capture type ...)`: keep the match only if the captured node's parent has one
 *   of the types (a statement at the top level of a file: `(#parent-type? @_statement program)`).
 * - `(#text? @capture "text" ...)`: keep the match only if the captured node's text is one of
 *   the strings. Unlike tree-sitter's `#eq?`/`#any-of?`, which run before these predicates, it
 *   sees the node a `#field!` before it led to.
 * - `(#c-function-name! @capture)`: for C and C++ declarators: follow the `declarator` of
 *   pointer, reference and function declarators (`*f(...)`, `const T& get() const`) to the
 *   declared name; keep the match only when a function declarator is on the way and is not a
 *   function pointer (`(*fp)(int)`). A qualified name (`Circle::area`) becomes its last part,
 *   its scope is added as a `@receiver` capture, and a `@definition.function` becomes a
 *   `@definition.method`.
 * - `(#c-declaration! @capture)`: on a C/C++ `declaration`, rewrites the captures to what it
 *   defines: a function (`@definition.function`, or `@definition.method` with a `@receiver`) named
 *   by the first of its declarators `#c-function-name!` accepts, else a constant
 *   (`@definition.constant`) when a `const`/`constexpr` qualifier precedes a declarator `x = ...`
 *   (the first such); drops the match when it defines neither. One childless pattern instead of
 *   two with child steps (5.7 ms to compile on the C++ grammar); what the two found, the first
 *   winning on one declaration.
 * - `(#kotlin-class! @capture)`: on a Kotlin `class_declaration`, rename the match's
 *   `@definition.*` capture to the kind (`interface` when an `interface` keyword precedes its
 *   name, `enum` when an `enum_class_body` follows it, else `class`) and lead `@name` to the name:
 *   what three patterns with child steps on `class_declaration` found, the earliest winning.
 * - `(#elixir-call! @capture)`: on an Elixir `call`, reads what the call is and rewrites the
 *   match's captures to the symbol it makes: a definition (`defmodule`, `def`, `@type`, ...),
 *   an import (`alias`, `import`, `require`, `use`) or a reference to the called name; drops
 *   the match when it makes none. One childless pattern on `call` then replaces six patterns
 *   on it, each of which cost 3–7 ms to compile (see {@link elixirCallSymbol}).
 *
 * Other predicates are ignored, as web-tree-sitter ignores them.
 */
export const matchPredicateOperators = [
  'type?',
  'not-type?',
  'rightmost!',
  'field!',
  'child!',
  'find-child!',
  'parent!',
  'parent-type?',
  'text?',
  'c-function-name!',
  'c-declaration!',
  'elixir-call!',
  'kotlin-class!',
] as const

const cache = new WeakMap<Query, (MatchPredicate[] | undefined)[]>()

/** For each pattern of `query`, its predicates of ours, or `undefined` when it has none. */
export function matchPredicatesOf(query: Query): (MatchPredicate[] | undefined)[] {
  let compiled = cache.get(query)
  if (compiled === undefined) {
    compiled = []
    for (let i = 0; i < query.patternCount(); i++) {
      const list: MatchPredicate[] = []
      for (const predicate of query.predicatesForPattern(i)) {
        const compiledPredicate = compilePredicate(predicate)
        if (compiledPredicate !== undefined) list.push(compiledPredicate)
      }
      compiled.push(list.length === 0 ? undefined : list)
    }
    cache.set(query, compiled)
  }
  return compiled
}

function compilePredicate({ operator, operands }: QueryPredicate): MatchPredicate | undefined {
  const first = operands[0]
  if (first === undefined || first.type !== 'capture') return undefined
  const capture = first.name
  const strings = operands.slice(1).flatMap((operand) => (operand.type === 'string' ? [operand.value] : []))
  const types = new Set(strings)
  switch (operator) {
    case 'type?':
    case 'not-type?': {
      const wanted = operator === 'type?'
      return (captures) => {
        for (const c of captures) if (c.name === capture && types.has(c.node.type) !== wanted) return false
        return true
      }
    }
    case 'rightmost!':
      return (captures) => {
        for (const c of captures) {
          if (c.name !== capture) continue
          const node = rightmost(c.node, types)
          if (node === null) return false
          c.node = node
        }
        return true
      }
    case 'field!': {
      const [field, ...wanted] = strings
      if (field === undefined) return undefined
      const fieldTypes = new Set(wanted)
      return (captures) => {
        for (const c of captures) {
          if (c.name !== capture) continue
          const child = c.node.childForFieldName(field)
          if (child === null || (fieldTypes.size > 0 && !fieldTypes.has(child.type))) return false
          c.node = child
        }
        return true
      }
    }
    case 'child!':
      return (captures) => {
        for (const c of captures) {
          if (c.name !== capture) continue
          const child = c.node.firstNamedChild
          if (child === null || !types.has(child.type)) return false
          c.node = child
        }
        return true
      }
    case 'find-child!':
      return (captures) => {
        for (const c of captures) {
          if (c.name !== capture) continue
          let child = c.node.firstNamedChild
          while (child !== null && !types.has(child.type)) child = child.nextNamedSibling
          if (child === null) return false
          c.node = child
        }
        return true
      }
    case 'parent!': {
      const [parentType, field] = strings
      if (parentType === undefined) return undefined
      return (captures) => {
        for (const c of captures) {
          if (c.name !== capture) continue
          const parent = c.node.parent
          if (parent === null || parent.type !== parentType) return false
          if (field !== undefined && parent.childForFieldName(field)?.id !== c.node.id) return false
          c.node = parent
        }
        return true
      }
    }
    case 'parent-type?':
      return (captures) => {
        for (const c of captures) {
          if (c.name !== capture) continue
          const parent = c.node.parent
          if (parent === null || !types.has(parent.type)) return false
        }
        return true
      }
    case 'text?':
      return (captures) => {
        for (const c of captures) if (c.name === capture && !types.has(c.node.text)) return false
        return true
      }
    case 'c-function-name!':
      return (captures) => {
        for (let i = 0; i < captures.length; i++) {
          const c = captures[i] as QueryCapture
          if (c.name !== capture) continue
          const found = cFunctionName(c.node)
          if (found === null) return false
          c.node = found.name
          if (found.scope === null) continue
          captures.push({ name: 'receiver', node: found.scope, patternIndex: c.patternIndex })
          // a function defined with its class's name (`double Circle::area()`) is a method
          for (const other of captures)
            if (other.name === 'definition.function') other.name = 'definition.method'
        }
        return true
      }
    case 'c-declaration!':
      return (captures) => {
        const c = captures.find((each) => each.name === capture)
        if (c === undefined) return true
        const found = cDeclarationSymbol(c.node)
        if (found === null) return false
        captures.length = 0
        for (const [name, node] of found) captures.push({ name, node, patternIndex: c.patternIndex })
        return true
      }
    case 'kotlin-class!':
      return (captures) => {
        const c = captures.find((each) => each.name === capture)
        if (c === undefined) return true
        const found = kotlinClass(c.node)
        if (found === null) return false
        for (const each of captures) {
          if (each.name === 'name') each.node = found.name
          else if (each.name.startsWith('definition.')) each.name = `definition.${found.kind}`
        }
        return true
      }
    case 'elixir-call!':
      return (captures) => {
        const c = captures.find((each) => each.name === capture)
        if (c === undefined) return true
        const found = elixirCallSymbol(c.node)
        if (found === null) return false
        captures.length = 0
        for (const [name, node] of found) captures.push({ name, node, patternIndex: c.patternIndex })
        return true
      }
    default:
      return undefined
  }
}

const elixirModuleKeywords = new Set(['defmodule', 'defprotocol', 'defimpl'])
const elixirFunctionKeywords = new Set([
  'def',
  'defp',
  'defmacro',
  'defmacrop',
  'defguard',
  'defguardp',
  'defdelegate',
])
const elixirTypeAttributes = new Set(['type', 'typep', 'opaque'])
const elixirImportKeywords = new Set(['alias', 'import', 'require', 'use'])
/** Call targets that are not references: definitions, imports, special forms, attributes. */
const elixirNotReferences = new Set([
  ...elixirModuleKeywords,
  ...elixirFunctionKeywords,
  ...elixirTypeAttributes,
  ...elixirImportKeywords,
  ...['defstruct', 'defexception', 'if', 'unless', 'case', 'cond', 'with', 'for', 'quote', 'unquote'],
  ...['receive', 'try', 'fn', 'doc', 'moduledoc', 'typedoc', 'spec', 'impl', 'behaviour', 'callback'],
])

/** The `arguments` child of an Elixir call, or null. */
function elixirArguments(call: Node): Node | null {
  for (let child = call.firstNamedChild; child !== null; child = child.nextNamedSibling)
    if (child.type === 'arguments') return child
  return null
}

/** The name in `name(args) when guard` (a `binary_operator` whose left is a call on an identifier), or null. */
function elixirGuardedName(node: Node): Node | null {
  if (node.type !== 'binary_operator') return null
  const left = node.childForFieldName('left')
  if (left === null || left.type !== 'call') return null
  const target = left.childForFieldName('target')
  return target !== null && target.type === 'identifier' ? target : null
}

/**
 * What an Elixir `call` makes, as the captures `extractSymbols` reads, or null for nothing:
 * - `defmodule`/`defprotocol`/`defimpl` with an alias argument: `@definition.module`, the
 *   first alias its `@name`;
 * - `def`, `defp`, `defmacro`, `defmacrop`, `defguard`, `defguardp`, `defdelegate`:
 *   `@definition.function` named by the first argument that is a call on an identifier or an
 *   identifier, else (not `defdelegate`) by the first `name(args) when guard`;
 * - `type`/`typep`/`opaque` as the operand of a unary operator (`@type name(a) :: ...`):
 *   `@definition.type` on the operator, named by the first `name(args) :: type`;
 * - `alias`/`import`/`require`/`use` whose first argument is an alias or a dotted name:
 *   `@import` with that `@import.source`;
 * - any other call on an identifier (not a special form or attribute) or on `x.name`:
 *   `@reference.call` on the name.
 * These are the matches of the six patterns the Elixir query had before, and an earlier
 * pattern's definition won over a later one's, as here.
 */
export function elixirCallSymbol(call: Node): [string, Node][] | null {
  const target = call.childForFieldName('target')
  if (target === null) return null
  const targetType = target.type
  if (targetType === 'dot') {
    const right = target.childForFieldName('right')
    return right !== null && right.type === 'identifier' ? [['reference.call', right]] : null
  }
  if (targetType !== 'identifier') return null
  const keyword = target.text
  if (!elixirNotReferences.has(keyword)) return [['reference.call', target]]
  if (elixirModuleKeywords.has(keyword)) {
    const args = elixirArguments(call)
    for (let arg = args?.firstNamedChild ?? null; arg !== null; arg = arg.nextNamedSibling)
      if (arg.type === 'alias')
        return [
          ['definition.module', call],
          ['name', arg],
        ]
    return null
  }
  if (elixirFunctionKeywords.has(keyword)) {
    const args = elixirArguments(call)
    if (args === null) return null
    let guarded: Node | null = null
    for (let arg = args.firstNamedChild; arg !== null; arg = arg.nextNamedSibling) {
      const type = arg.type
      if (type === 'identifier')
        return [
          ['definition.function', call],
          ['name', arg],
        ]
      if (type === 'call') {
        const name = arg.childForFieldName('target')
        if (name !== null && name.type === 'identifier')
          return [
            ['definition.function', call],
            ['name', name],
          ]
      } else if (guarded === null && keyword !== 'defdelegate') guarded = elixirGuardedName(arg)
    }
    return guarded === null
      ? null
      : [
          ['definition.function', call],
          ['name', guarded],
        ]
  }
  if (elixirTypeAttributes.has(keyword)) {
    const parent = call.parent
    if (parent === null || parent.type !== 'unary_operator') return null
    if (parent.childForFieldName('operand')?.id !== call.id) return null
    const args = elixirArguments(call)
    for (let arg = args?.firstNamedChild ?? null; arg !== null; arg = arg.nextNamedSibling) {
      const name = elixirGuardedName(arg)
      if (name !== null)
        return [
          ['definition.type', parent],
          ['name', name],
        ]
    }
    return null
  }
  if (elixirImportKeywords.has(keyword)) {
    const source = elixirArguments(call)?.firstNamedChild ?? null
    return source !== null && (source.type === 'alias' || source.type === 'dot')
      ? [
          ['import', call],
          ['import.source', source],
        ]
      : null
  }
  return null
}

/** Name-like nodes a C or C++ function declarator may end in. */
const cFunctionNames = new Set(['identifier', 'field_identifier', 'destructor_name', 'operator_name'])

/** See `#c-function-name!`: the declared function name under a C/C++ declarator, and its qualifying scope. */
function cFunctionName(start: Node): { name: Node; scope: Node | null } | null {
  let node: Node | null = start
  let sawFunction = false
  for (let depth = 0; node !== null && depth < 32; depth++) {
    const type = node.type
    if (type === 'function_declarator') {
      if (sawFunction) return null
      sawFunction = true
      node = node.childForFieldName('declarator')
    } else if (
      type === 'pointer_declarator' ||
      type === 'reference_declarator' ||
      type === 'attributed_declarator'
    ) {
      // after the function declarator, a pointer is a function pointer's, not a return type's
      if (sawFunction) return null
      node = node.childForFieldName('declarator') ?? node.lastNamedChild
    } else break
  }
  if (node === null || !sawFunction) return null
  let scope: Node | null = null
  for (
    let depth = 0;
    depth < 32 && (node.type === 'qualified_identifier' || node.type === 'template_function');
    depth++
  ) {
    if (node.type === 'qualified_identifier') scope = node.childForFieldName('scope')
    const name: Node | null = node.childForFieldName('name')
    if (name === null) return null
    node = name
  }
  return cFunctionNames.has(node.type) ? { name: node, scope } : null
}

/** See `#c-declaration!`: the captures for what a C/C++ `declaration` defines, or null. */
function cDeclarationSymbol(declaration: Node): [string, Node][] | null {
  const declarators = declaration.childrenForFieldName('declarator')
  for (const declarator of declarators) {
    const found = cFunctionName(declarator)
    if (found === null) continue
    if (found.scope === null)
      return [
        ['definition.function', declaration],
        ['name', found.name],
      ]
    return [
      ['definition.method', declaration],
      ['name', found.name],
      ['receiver', found.scope],
    ]
  }
  // a constant: a `const`/`constexpr` qualifier before an `x = ...` declarator
  let last = -1
  for (const declarator of declarators)
    if (declarator.type === 'init_declarator') last = declarator.startIndex
  if (last < 0) return null
  let qualifierEnd = -1
  // qualifiers come before the declarators: stop at the last one that could follow a qualifier
  for (let child = declaration.firstNamedChild; child !== null && child.startIndex < last; ) {
    if (child.type === 'type_qualifier') {
      const text = child.text
      if (text === 'const' || text === 'constexpr') {
        qualifierEnd = child.endIndex
        break
      }
    }
    child = child.nextNamedSibling
  }
  if (qualifierEnd < 0) return null
  for (const declarator of declarators) {
    if (declarator.type !== 'init_declarator' || declarator.startIndex < qualifierEnd) continue
    const name = declarator.childForFieldName('declarator')
    if (name !== null && name.type === 'identifier')
      return [
        ['definition.constant', declaration],
        ['name', name],
      ]
  }
  return null
}

/** See `#kotlin-class!`: the kind and name of a Kotlin `class_declaration`, or null without a name. */
function kotlinClass(declaration: Node): { kind: 'interface' | 'enum' | 'class'; name: Node } | null {
  // the keyword comes before the name: read tokens up to the first type_identifier
  let afterInterface = false
  let name: Node | null = declaration.firstChild
  for (; name !== null; name = name.nextSibling) {
    const type = name.type
    if (type === 'type_identifier') break
    if (type === 'interface' && !name.isNamed) afterInterface = true
  }
  if (name === null) return null
  if (afterInterface) return { kind: 'interface', name }
  for (let child = name.nextNamedSibling; child !== null; child = child.nextNamedSibling)
    if (child.type === 'enum_class_body') return { kind: 'enum', name }
  return { kind: 'class', name }
}

/** The node itself or its rightmost named descendant with one of `types`, by last named children. */
function rightmost(start: Node, types: ReadonlySet<string>): Node | null {
  let node: Node | null = start
  for (let depth = 0; node !== null && depth < 64; depth++) {
    if (types.has(node.type)) return node
    node = node.lastNamedChild
  }
  return null
}

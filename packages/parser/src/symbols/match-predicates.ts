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
 *
 * Other predicates are ignored, as web-tree-sitter ignores them.
 */
export const matchPredicateOperators = [
  'type?',
  'not-type?',
  'rightmost!',
  'field!',
  'child!',
  'parent!',
  'parent-type?',
  'text?',
  'c-function-name!',
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
    default:
      return undefined
  }
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

/** The node itself or its rightmost named descendant with one of `types`, by last named children. */
function rightmost(start: Node, types: ReadonlySet<string>): Node | null {
  let node: Node | null = start
  for (let depth = 0; node !== null && depth < 64; depth++) {
    if (types.has(node.type)) return node
    node = node.lastNamedChild
  }
  return null
}

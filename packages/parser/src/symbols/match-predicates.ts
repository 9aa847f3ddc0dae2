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
 *
 * Other predicates are ignored, as web-tree-sitter ignores them.
 */
export const matchPredicateOperators = ['type?', 'not-type?', 'rightmost!'] as const

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
  const types = new Set(
    operands.slice(1).flatMap((operand) => (operand.type === 'string' ? [operand.value] : [])),
  )
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
    default:
      return undefined
  }
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

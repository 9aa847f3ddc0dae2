// Type-level tests: the state type flows from the zod schema into nodes, updates, routes and
// results. `pnpm typecheck` checks the @ts-expect-error lines; vitest runs the rest.
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod/v4'
import { createGraph, END, type NodeContext, type RunResult, START, send } from '../src/index'

const schema = z.object({ count: z.number(), names: z.array(z.string()), note: z.string().optional() })
type State = z.infer<typeof schema>

describe('types', () => {
  it('types nodes, updates, routes, send inputs and results from the schema', async () => {
    const graph = createGraph({ state: schema, reducers: { names: (a, b) => [...a, ...b] } })
      .addNode('a', (state, context) => {
        expectTypeOf(state.count).toEqualTypeOf<number>()
        expectTypeOf(state.names).toEqualTypeOf<string[]>()
        expectTypeOf(context).toMatchTypeOf<NodeContext>()
        return { count: state.count + 1 }
      })
      .addNode<{ file: string }>('b', (_state, context) => {
        expectTypeOf(context.input.file).toEqualTypeOf<string>()
        return { names: [context.input.file] }
      })
      // @ts-expect-error a node cannot write a key of the wrong type
      .addNode('bad', () => ({ count: 'one' }))
      .addEdge(START, 'a')
      .addConditionalEdges('a', (state) => {
        expectTypeOf(state).toMatchTypeOf<State>()
        return [send('b', { file: 'x.ts' }), END]
      })
      .compile()
    const result = await graph.run({ count: 0, names: [] })
    expectTypeOf(result).toMatchTypeOf<RunResult<State>>()
    expectTypeOf(result.state.count).toEqualTypeOf<number>()
    // @ts-expect-error the result has no key the schema lacks
    result.state.missing
    // @ts-expect-error a reducer must take and return the key's type
    createGraph({ state: schema, reducers: { count: (a: string) => a } })
  })
})

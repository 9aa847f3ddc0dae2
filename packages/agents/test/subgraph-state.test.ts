import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod/v4'
import {
  type Checkpointer,
  createFileCheckpointer,
  createGraph,
  createMemoryCheckpointer,
  END,
  interrupt,
  START,
  type SubgraphState,
  type ThreadState,
} from '../src/index'

const root = mkdtempSync(join(tmpdir(), 'ql-agents-subgraph-state-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const state = z.object({ log: z.array(z.string()).default([]), n: z.number().default(0) })
const reducers = { log: (current: string[], update: string[]) => [...current, ...update] }

/** inner: prep -> ask (interrupts) -> finish; outer: before -> sub -> after. */
function depthOne(checkpointer: Checkpointer) {
  const inner = createGraph({ state, reducers, name: 'inner' })
    .addNode('prep', (s) => ({ log: ['prep'], n: s.n + 100 }))
    .addNode('ask', () => ({ log: [`ask:${interrupt<string>({ question: 'ok?' })}`] }))
    .addNode('finish', () => ({ log: ['finish'] }))
    .addEdge(START, 'prep')
    .addEdge('prep', 'ask')
    .addEdge('ask', 'finish')
    .addEdge('finish', END)
    .compile()
  return createGraph({ state, reducers, name: 'outer' })
    .addNode('before', (s) => ({ n: s.n + 1, log: ['before'] }))
    .addNode('sub', inner)
    .addNode('after', () => ({ log: ['after'] }))
    .addEdge(START, 'before')
    .addEdge('before', 'sub')
    .addEdge('sub', 'after')
    .addEdge('after', END)
    .compile({ checkpointer })
}

/** outer: middle (warm -> leaf (setup -> ask) -> cool). */
function depthTwo(checkpointer: Checkpointer) {
  const leaf = createGraph({ state, reducers, name: 'leaf' })
    .addNode('setup', () => ({ log: ['setup'] }))
    .addNode('ask', () => ({ log: [`ask:${interrupt<string>('deep?')}`] }))
    .addEdge(START, 'setup')
    .addEdge('setup', 'ask')
    .compile()
  const middle = createGraph({ state, reducers, name: 'middle' })
    .addNode('warm', () => ({ log: ['warm'], n: 5 }))
    .addNode('leaf', leaf)
    .addNode('cool', () => ({ log: ['cool'] }))
    .addEdge(START, 'warm')
    .addEdge('warm', 'leaf')
    .addEdge('leaf', 'cool')
    .compile()
  return createGraph({ state, reducers, name: 'outer' })
    .addNode('middle', middle)
    .addEdge(START, 'middle')
    .compile({ checkpointer })
}

describe('getState of a thread interrupted inside subgraphs', () => {
  it('types subgraphs as an optional record of SubgraphState', () => {
    expectTypeOf<ThreadState<{ a: number }>['subgraphs']>().toEqualTypeOf<
      Record<string, SubgraphState> | undefined
    >()
    expectTypeOf<SubgraphState['state']>().toEqualTypeOf<Record<string, unknown>>()
    expectTypeOf<SubgraphState['subgraphs']>().toEqualTypeOf<Record<string, SubgraphState> | undefined>()
  })

  it('shows the subgraph state, step, graph and open interrupt, read by a fresh graph over a file checkpointer', async () => {
    const directory = join(root, 'one')
    const paused = await depthOne(createFileCheckpointer(directory)).run({}, { threadId: 't' })
    expect(paused.interrupts.map((item) => item.id)).toEqual(['1:sub:0/1:ask:0#0'])

    const view = await depthOne(createFileCheckpointer(directory)).getState('t')
    expect(view).toMatchObject({ status: 'interrupted', step: 1, state: { log: ['before'], n: 1 } })
    expect(view?.subgraphs).toEqual({
      '1:sub:0': {
        node: 'sub',
        graph: 'inner',
        // what `prep` wrote over the input the subgraph got; `ask` has not written yet
        state: { log: ['before', 'prep'], n: 101 },
        step: 1,
        interrupts: [{ id: '1:ask:0#0', node: 'ask', payload: { question: 'ok?' } }],
        next: [{ id: '1:ask:0', node: 'ask' }],
      },
    })
    // the parent's interrupt id is the entry's key, '/', then the id inside the subgraph
    const [key] = Object.keys(view?.subgraphs ?? {})
    expect(`${key}/${view?.subgraphs?.[key as string]?.interrupts[0]?.id}`).toBe(paused.interrupts[0]?.id)

    const done = await depthOne(createFileCheckpointer(directory)).resume('t', 'yes')
    expect(done.state).toEqual({ log: ['before', 'prep', 'ask:yes', 'finish', 'after'], n: 101 })
    const after = await depthOne(createFileCheckpointer(directory)).getState('t')
    expect(after?.status).toBe('done')
    expect(after).not.toHaveProperty('subgraphs')
  })

  it('nests the state of a subgraph interrupted inside a subgraph (depth 2)', async () => {
    const directory = join(root, 'two')
    const paused = await depthTwo(createFileCheckpointer(directory)).run({}, { threadId: 't' })
    expect(paused.interrupts.map((item) => item.id)).toEqual(['0:middle:0/1:leaf:0/1:ask:0#0'])

    const view = await depthTwo(createFileCheckpointer(directory)).getState('t')
    expect(view?.subgraphs).toEqual({
      '0:middle:0': {
        node: 'middle',
        graph: 'middle',
        state: { log: ['warm'], n: 5 },
        step: 1,
        interrupts: [{ id: '1:leaf:0/1:ask:0#0', node: 'ask', path: ['leaf'], payload: 'deep?' }],
        next: [{ id: '1:leaf:0', node: 'leaf' }],
        subgraphs: {
          '1:leaf:0': {
            node: 'leaf',
            graph: 'leaf',
            state: { log: ['warm', 'setup'], n: 5 },
            step: 1,
            interrupts: [{ id: '1:ask:0#0', node: 'ask', payload: 'deep?' }],
            next: [{ id: '1:ask:0', node: 'ask' }],
          },
        },
      },
    })

    const done = await depthTwo(createFileCheckpointer(directory)).resume('t', 'down here')
    expect(done.state).toEqual({ log: ['warm', 'setup', 'ask:down here', 'cool'], n: 5 })
    expect(await depthTwo(createFileCheckpointer(directory)).getState('t')).not.toHaveProperty('subgraphs')
  })

  it('has no subgraphs for a thread that is not interrupted, or interrupted outside subgraphs', async () => {
    const through = createGraph({ state, reducers, name: 'through' })
      .addNode('a', () => ({ log: ['a'] }))
      .addEdge(START, 'a')
      .compile()
    const plain = createGraph({ state, reducers, name: 'plain' })
      .addNode('sub', through)
      .addNode('ask', () => ({ log: [`ask:${interrupt<string>('top?')}`] }))
      .addEdge(START, 'sub')
      .addEdge('sub', 'ask')
      .addEdge('ask', END)
      .compile({ checkpointer: createMemoryCheckpointer() })
    const paused = await plain.run({}, { threadId: 'p' })
    expect(paused.status).toBe('interrupted')
    expect(await plain.getState('p')).not.toHaveProperty('subgraphs')
    await plain.resume('p', 'y')
    const done = await plain.getState('p')
    expect(done?.state.log).toEqual(['a', 'ask:y'])
    expect(done).not.toHaveProperty('subgraphs')
  })

  it('drops a subgraph once it is answered while a sibling still waits', async () => {
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('ask', () => ({ log: [`inner:${interrupt<string>('inner?')}`] }))
      .addEdge(START, 'ask')
      .compile()
    const graph = createGraph({ state, reducers, name: 'both' })
      .addNode('sub', inner)
      .addNode('top', () => ({ log: [`top:${interrupt<string>('top?')}`] }))
      .addEdge(START, 'sub')
      .addEdge(START, 'top')
      .compile({ checkpointer: createMemoryCheckpointer() })
    const paused = await graph.run({}, { threadId: 'b' })
    const inside = paused.interrupts.find((item) => item.path !== undefined)
    expect(inside?.id).toBe('0:sub:0/0:ask:0#0')
    expect(Object.keys((await graph.getState('b'))?.subgraphs ?? {})).toEqual(['0:sub:0'])

    const still = await graph.resume('b', { answers: { [inside?.id as string]: 'in' } })
    expect(still.status).toBe('interrupted')
    expect(still.interrupts.map((item) => item.node)).toEqual(['top'])
    // the subgraph finished: its snapshot from the first interrupt is no longer shown
    const view = await graph.getState('b')
    expect(view?.status).toBe('interrupted')
    expect(view).not.toHaveProperty('subgraphs')
  })
})

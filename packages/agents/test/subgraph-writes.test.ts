import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import {
  type Checkpointer,
  type CheckpointRecord,
  type CompiledGraph,
  createFileCheckpointer,
  createGraph,
  createMemoryCheckpointer,
  END,
  type Executor,
  type GraphEvent,
  interrupt,
  START,
} from '../src/index'

const root = mkdtempSync(join(tmpdir(), 'ql-agents-subgraph-writes-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const append = (current: string[], update: string[]) => [...current, ...update]
const state = z.object({
  messages: z.array(z.string()).default([]),
  title: z.string().default(''),
  n: z.number().default(0),
})
const reducers = { messages: append }
type Chat = z.infer<typeof state>

describe('a subgraph node updates its parent with what its nodes wrote', () => {
  it('appends a reducer key once: the messages the subgraph was given are not added again', async () => {
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('reply', (s) => ({ messages: [`m${s.messages.length + 1}`] }))
      .addEdge(START, 'reply')
      .compile()
    const graph = createGraph({ state, reducers, name: 'outer' })
      .addNode('sub', inner)
      .addEdge(START, 'sub')
      .compile()
    const { state: result } = await graph.run({ messages: ['m1', 'm2'] })
    expect(result.messages).toEqual(['m1', 'm2', 'm3'])
  })

  it('applies several writes to a reducer key in the order the subgraph applied them', async () => {
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('a', () => ({ messages: ['a'] }))
      .addNode('b', () => ({ messages: ['b'] }))
      .addNode('c', () => ({ messages: ['c'] }))
      .addEdge(START, 'a')
      .addEdge(START, 'b')
      .addEdge(['a', 'b'], 'c')
      .compile()
    const graph = createGraph({ state, reducers, name: 'outer' })
      .addNode('first', () => ({ messages: ['first'] }))
      .addNode('sub', inner)
      .addEdge(START, 'first')
      .addEdge('first', 'sub')
      .compile()
    const { state: result } = await graph.run({})
    expect(result.messages).toEqual(['first', 'a', 'b', 'c'])
  })

  it('ends an overwrite key with the subgraph’s last write, and leaves keys it did not write alone', async () => {
    // the subgraph's own schema defaults `title`; the parent's value must survive all the same
    const innerState = z.object({ n: z.number().default(0), title: z.string().default('from inner') })
    const inner = createGraph({ state: innerState, name: 'inner' })
      .addNode('one', (s) => ({ n: s.n + 1 }))
      .addNode('two', (s) => ({ n: s.n * 10 }))
      .addEdge(START, 'one')
      .addEdge('one', 'two')
      .compile()
    const optional = z.object({ n: z.number(), title: z.string().optional() })
    const graph = createGraph({ state: optional, name: 'outer' })
      .addNode('sub', inner)
      .addEdge(START, 'sub')
      .compile()
    expect((await graph.run({ n: 4, title: 'mine' })).state).toEqual({ n: 50, title: 'mine' })
    // the parent has no title at all: the subgraph's default does not leak into it
    expect((await graph.run({ n: 0 })).state).toEqual({ n: 10 })
  })

  it('is an empty update when the subgraph writes no key the parent has', async () => {
    const innerState = z.object({ scratch: z.string().default('') })
    const inner = createGraph({ state: innerState, name: 'inner' })
      .addNode('work', () => ({ scratch: 'tmp' }))
      .addEdge(START, 'work')
      .compile()
    const checkpointer = createMemoryCheckpointer()
    const ends: GraphEvent[] = []
    const graph = createGraph({ state, reducers, name: 'outer' })
      .addNode('sub', inner)
      .addEdge(START, 'sub')
      .compile({ checkpointer })
    graph.on('node-end', (event) => {
      if (event.path === undefined) ends.push(event)
    })
    const { state: result } = await graph.run({ messages: ['m1'], title: 't' }, { threadId: 'empty' })
    expect(result).toEqual({ messages: ['m1'], title: 't', n: 0 })
    const log = await checkpointer.read('empty')
    const step = log.find((record) => record.type === 'step')
    expect(step).toMatchObject({ writes: [{ id: '0:sub:0', node: 'sub', update: {} }] })
    // its node-end event reports the writes to the parent's keys: none
    expect(ends).toMatchObject([{ node: 'sub', update: {} }])
  })

  it('composes two subgraphs deep: every write reaches the top once, in order', async () => {
    const leaf = createGraph({ state, reducers, name: 'leaf' })
      .addNode('deep', () => ({ messages: ['deep'], title: 'leaf' }))
      .addEdge(START, 'deep')
      .compile()
    const middle = createGraph({ state, reducers, name: 'middle' })
      .addNode('warm', () => ({ messages: ['warm'], title: 'warm' }))
      .addNode('leaf', leaf)
      .addNode('cool', (s) => ({ messages: [`cool:${s.messages.length}`] }))
      .addEdge(START, 'warm')
      .addEdge('warm', 'leaf')
      .addEdge('leaf', 'cool')
      .compile()
    const graph = createGraph({ state, reducers, name: 'outer' })
      .addNode('middle', middle)
      .addEdge(START, 'middle')
      .compile()
    const { state: result } = await graph.run({ messages: ['m1', 'm2'] })
    expect(result).toEqual({ messages: ['m1', 'm2', 'warm', 'deep', 'cool:4'], title: 'leaf', n: 0 })
  })

  it('gives the same parent state when the subgraph node runs through an executor', async () => {
    let worker: CompiledGraph<Chat> | undefined
    const executor: Executor = {
      // a worker that loaded the same module; the JSON round trip is what a real one does
      execute: async (task, signal) =>
        JSON.parse(
          JSON.stringify(
            await (worker as CompiledGraph<Chat>).executeTask(JSON.parse(JSON.stringify(task)), signal),
          ),
        ),
    }
    const build = (remote: boolean) => {
      const inner = createGraph({ state, reducers, name: 'inner' })
        .addNode('one', () => ({ messages: ['one'], n: 1 }))
        .addNode('two', () => ({ messages: ['two'], n: 2 }))
        .addEdge(START, 'one')
        .addEdge('one', 'two')
        .compile()
      return createGraph({ state, reducers, name: 'outer' })
        .addNode('sub', inner, remote ? { executor } : {})
        .addEdge(START, 'sub')
        .compile()
    }
    worker = build(false)
    const local = await build(false).run({ messages: ['m1'] })
    const remote = await build(true).run({ messages: ['m1'] })
    expect(local.state).toEqual({ messages: ['m1', 'one', 'two'], title: '', n: 2 })
    expect(remote.state).toEqual(local.state)
  })
})

/** inner: before -> ask (interrupts) -> after, each appending; outer: start -> sub -> end. */
function pausingGraph(checkpointer: Checkpointer, runs: Record<string, number>) {
  const hit = (name: string) => {
    runs[name] = (runs[name] ?? 0) + 1
  }
  const inner = createGraph({ state, reducers, name: 'inner' })
    .addNode('before', () => {
      hit('before')
      return { messages: ['before'], n: 1 }
    })
    .addNode('ask', () => {
      hit('ask')
      return { messages: [`ask:${interrupt<string>('ok?')}`] }
    })
    .addNode('after', () => {
      hit('after')
      return { messages: ['after'], n: 2 }
    })
    .addEdge(START, 'before')
    .addEdge('before', 'ask')
    .addEdge('ask', 'after')
    .addEdge('after', END)
    .compile()
  return createGraph({ state, reducers, name: 'outer' })
    .addNode('start', () => ({ messages: ['start'] }))
    .addNode('sub', inner)
    .addNode('end', () => ({ messages: ['end'] }))
    .addEdge(START, 'start')
    .addEdge('start', 'sub')
    .addEdge('sub', 'end')
    .compile({ checkpointer })
}

const RESUMED = {
  messages: ['m1', 'start', 'before', 'ask:yes', 'after', 'end'],
  title: '',
  n: 2,
}

describe('a subgraph interrupted and resumed', () => {
  it('counts the writes before and after the interrupt once (same process)', async () => {
    const runs: Record<string, number> = {}
    const graph = pausingGraph(createMemoryCheckpointer(), runs)
    const paused = await graph.run({ messages: ['m1'] }, { threadId: 'same' })
    expect(paused.status).toBe('interrupted')
    expect(paused.state.messages).toEqual(['m1', 'start'])
    const done = await graph.resume('same', 'yes')
    expect(done).toMatchObject({ status: 'done', state: RESUMED })
    expect(runs).toEqual({ before: 1, ask: 2, after: 1 })
  })

  it('counts them once in a fresh graph over a file checkpointer, and folds the log to the same state', async () => {
    const directory = join(root, 'fresh')
    const runs: Record<string, number> = {}
    await pausingGraph(createFileCheckpointer(directory), runs).run({ messages: ['m1'] }, { threadId: 'f' })
    const done = await pausingGraph(createFileCheckpointer(directory), runs).resume('f', 'yes')
    expect(done).toMatchObject({ status: 'done', state: RESUMED })
    expect(runs).toEqual({ before: 1, ask: 2, after: 1 })

    const again = pausingGraph(createFileCheckpointer(directory), {})
    expect((await again.getState('f'))?.state).toEqual(RESUMED)
    const history = await again.history('f')
    expect(history.map((checkpoint) => checkpoint.state.messages)).toEqual([
      ['m1'],
      ['m1', 'start'],
      ['m1', 'start', 'before', 'ask:yes', 'after'],
      RESUMED.messages,
    ])
  })

  it('keeps the writes of a subgraph interrupted twice, across a fresh graph each time', async () => {
    const directory = join(root, 'twice')
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('one', () => ({ messages: [`one:${interrupt<string>('1?')}`] }))
      .addNode('mid', () => ({ messages: ['mid'] }))
      .addNode('two', () => ({ messages: [`two:${interrupt<string>('2?')}`] }))
      .addEdge(START, 'one')
      .addEdge('one', 'mid')
      .addEdge('mid', 'two')
      .compile()
    const build = () =>
      createGraph({ state, reducers, name: 'outer' })
        .addNode('sub', inner)
        .addEdge(START, 'sub')
        .compile({ checkpointer: createFileCheckpointer(directory) })
    await build().run({ messages: ['m1'] }, { threadId: 't' })
    expect((await build().resume('t', 'x')).status).toBe('interrupted')
    const done = await build().resume('t', 'y')
    expect(done.state.messages).toEqual(['m1', 'one:x', 'mid', 'two:y'])
  })

  it('counts writes once two subgraphs deep, around an interrupt in the inner one', async () => {
    const directory = join(root, 'deep')
    const leaf = createGraph({ state, reducers, name: 'leaf' })
      .addNode('pre', () => ({ messages: ['pre'] }))
      .addNode('ask', () => ({ messages: [`ask:${interrupt<string>('?')}`] }))
      .addEdge(START, 'pre')
      .addEdge('pre', 'ask')
      .compile()
    const middle = createGraph({ state, reducers, name: 'middle' })
      .addNode('warm', () => ({ messages: ['warm'] }))
      .addNode('leaf', leaf)
      .addNode('cool', () => ({ messages: ['cool'] }))
      .addEdge(START, 'warm')
      .addEdge('warm', 'leaf')
      .addEdge('leaf', 'cool')
      .compile()
    const build = () =>
      createGraph({ state, reducers, name: 'outer' })
        .addNode('middle', middle)
        .addEdge(START, 'middle')
        .compile({ checkpointer: createFileCheckpointer(directory) })
    const paused = await build().run({ messages: ['m1'] }, { threadId: 'deep' })
    expect(paused.state.messages).toEqual(['m1'])
    const done = await build().resume('deep', 'yes')
    expect(done.state.messages).toEqual(['m1', 'warm', 'pre', 'ask:yes', 'cool'])
    expect((await build().getState('deep'))?.state.messages).toEqual(done.state.messages)
  })

  it('still folds and resumes a log written when a subgraph node returned its whole state', async () => {
    const checkpointer = createMemoryCheckpointer()
    // what the previous version wrote: the subgraph's result state as the node's one update, and a
    // snapshot without `writes` for a subgraph that was interrupted
    const old: CheckpointRecord[] = [
      {
        type: 'start',
        graph: 'outer',
        version: 1,
        state: { messages: [] },
        next: [{ id: '0:start:0', node: 'start' }],
        at: 1,
      },
      {
        type: 'step',
        step: 0,
        writes: [{ id: '0:start:0', node: 'start', update: { messages: ['start'] } }],
        next: [{ id: '1:sub:0', node: 'sub' }],
        at: 2,
      },
      {
        type: 'interrupt',
        step: 1,
        interrupts: [{ id: '1:sub:0/1:ask:0#0', node: 'ask', path: ['sub'], payload: 'ok?' }],
        memo: {
          '1:sub:0': {
            subgraph: {
              format: 1,
              threadId: 'inner-thread',
              graph: 'inner',
              version: 1,
              state: { messages: ['start', 'before'], title: '', n: 1 },
              step: 1,
              next: [{ id: '1:ask:0', node: 'ask' }],
              joins: {},
              done: [],
              answers: {},
              memo: {},
              interrupts: [{ id: '1:ask:0#0', node: 'ask', payload: 'ok?' }],
            },
          },
        },
        at: 3,
      },
    ]
    await checkpointer.append('legacy', 0, old)
    const runs: Record<string, number> = {}
    const graph = pausingGraph(checkpointer, runs)
    expect(await graph.getState('legacy')).toMatchObject({
      status: 'interrupted',
      state: { messages: ['start'] },
    })
    const done = await graph.resume('legacy', 'yes')
    // that version's behaviour for a run it began: the whole state, appended (before never ran here)
    expect(done.state.messages).toEqual(['start', 'start', 'before', 'ask:yes', 'after', 'end'])
    expect(runs).toEqual({ ask: 1, after: 1 })

    // a finished old log (the whole-state write of a subgraph node) folds as it did
    const finished: CheckpointRecord[] = [
      { type: 'start', graph: 'outer', version: 1, state: { messages: ['m1'] }, next: [], at: 1 },
      {
        type: 'step',
        step: 0,
        writes: [{ id: '0:sub:0', node: 'sub', update: { messages: ['m1', 'm2'], title: '', n: 0 } }],
        next: [],
        at: 2,
      },
      { type: 'end', step: 1, at: 2 },
    ]
    await checkpointer.append('legacy-done', 0, finished)
    expect(await graph.getState('legacy-done')).toMatchObject({
      status: 'done',
      state: { messages: ['m1', 'm1', 'm2'], title: '', n: 0 },
    })
  })
})

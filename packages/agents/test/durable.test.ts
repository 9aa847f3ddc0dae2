import { describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import {
  CheckpointConflictError,
  type CheckpointRecord,
  createGraph,
  createMemoryCheckpointer,
  END,
  type GraphEvent,
  interrupt,
  START,
  ThreadStateError,
} from '../src/index'

const state = z.object({ n: z.number(), log: z.array(z.string()).default([]) })
const append = (current: string[], update: string[]) => [...current, ...update]

function approvalGraph(checkpointer = createMemoryCheckpointer(), runs: string[] = []) {
  return createGraph({ state, reducers: { log: append }, name: 'approval' })
    .addNode('draft', (s) => {
      runs.push('draft')
      return { n: s.n + 1, log: ['drafted'] }
    })
    .addNode('approve', () => {
      runs.push('approve')
      const answer = interrupt<string>({ question: 'ship it?' })
      return { log: [`answer:${answer}`] }
    })
    .addNode('ship', () => {
      runs.push('ship')
      return { log: ['shipped'] }
    })
    .addEdge(START, 'draft')
    .addEdge('draft', 'approve')
    .addEdge('approve', 'ship')
    .addEdge('ship', END)
    .compile({ checkpointer })
}

describe('interrupt and resume', () => {
  it('ends the run as interrupted with the payload, and resumes with the answer without re-running finished steps', async () => {
    const runs: string[] = []
    const graph = approvalGraph(createMemoryCheckpointer(), runs)
    const first = await graph.run({ n: 0 }, { threadId: 't1' })
    expect(first.status).toBe('interrupted')
    expect(first.interrupts).toEqual([
      { id: '1:approve:0#0', node: 'approve', payload: { question: 'ship it?' } },
    ])
    expect(first.state).toEqual({ n: 1, log: ['drafted'] })

    const second = await graph.resume('t1', 'yes')
    expect(second).toMatchObject({
      status: 'done',
      step: 3,
      state: { n: 1, log: ['drafted', 'answer:yes', 'shipped'] },
    })
    expect(runs).toEqual(['draft', 'approve', 'approve', 'ship'])
  })

  it('resumes in another graph instance sharing the store (another process, in effect)', async () => {
    const store = createMemoryCheckpointer()
    await approvalGraph(store).run({ n: 5 }, { threadId: 'shared' })
    const result = await approvalGraph(store).resume('shared', 'ok')
    expect(result.state.log).toEqual(['drafted', 'answer:ok', 'shipped'])
  })

  it('does not re-run parallel branches that finished when a sibling interrupted', async () => {
    const runs: string[] = []
    const graph = createGraph({ state, reducers: { log: append } })
      .addNode('fast', () => {
        runs.push('fast')
        return { log: ['fast'] }
      })
      .addNode('asks', (_s, context) => {
        runs.push('asks')
        return { log: [`asks:${context.interrupt<string>('ok?')}`] }
      })
      .addNode('asks-too', () => {
        runs.push('asks-too')
        return { log: [`too:${interrupt<string>('and this?')}`] }
      })
      .addEdge(START, 'fast')
      .addEdge(START, 'asks')
      .addEdge(START, 'asks-too')
      .compile({ checkpointer: createMemoryCheckpointer() })
    const first = await graph.run({ n: 0 }, { threadId: 'p' })
    expect(first.interrupts.map((i) => i.node)).toEqual(['asks', 'asks-too'])
    const [a, b] = first.interrupts
    const done = await graph.resume('p', { answers: { [a?.id as string]: 'A', [b?.id as string]: 'B' } })
    expect(done.status).toBe('done')
    expect(done.state.log).toEqual(['fast', 'asks:A', 'too:B'])
    expect(runs.filter((r) => r === 'fast')).toHaveLength(1)
  })

  it('answers several interrupts of one node in order', async () => {
    const graph = createGraph({ state, reducers: { log: append } })
      .addNode('two', (_s, context) => {
        const first = context.interrupt<string>('first?')
        const second = context.interrupt<string>('second?')
        return { log: [first, second] }
      })
      .addEdge(START, 'two')
      .compile({ checkpointer: createMemoryCheckpointer() })
    const one = await graph.run({ n: 0 }, { threadId: 'x' })
    expect(one.interrupts[0]?.payload).toBe('first?')
    const two = await graph.resume('x', '1st')
    expect(two.status).toBe('interrupted')
    expect(two.interrupts[0]).toMatchObject({ id: '0:two:0#1', payload: 'second?' })
    const three = await graph.resume('x', { answers: { '0:two:0#1': '2nd' } })
    expect(three.state.log).toEqual(['1st', '2nd'])
  })

  it('refuses to resume what cannot be resumed, with ThreadStateError', async () => {
    const graph = approvalGraph()
    await expect(graph.resume('missing', 'x')).rejects.toSatisfy(ThreadStateError.isInstance)
    await graph.run({ n: 0 }, { threadId: 'w' })
    await expect(graph.resume('w')).rejects.toThrow(/waits for an answer/)
    await expect(graph.resume('w', { answers: { nope: 1 } })).rejects.toThrow(/no open interrupt "nope"/)
    await graph.resume('w', 'y')
    await expect(graph.resume('w', 'again')).rejects.toThrow(/has finished/)
    await expect(graph.run({ n: 0 }, { threadId: 'w' })).rejects.toThrow(/already exists/)
    const noStore = createGraph({ state })
      .addNode('a', () => ({}))
      .addEdge(START, 'a')
      .compile()
    await expect(noStore.resume('w', 1)).rejects.toThrow(/checkpointer/)
  })

  it('throws when interrupt() is called outside a node', () => {
    expect(() => interrupt('x')).toThrow(/outside a running graph node/)
  })
})

describe('checkpoints', () => {
  it('resumes a run whose node failed from the last completed step, running the failed step again', async () => {
    let failing = true
    const runs: string[] = []
    const store = createMemoryCheckpointer()
    const graph = createGraph({ state, reducers: { log: append } })
      .addNode('one', () => {
        runs.push('one')
        return { log: ['one'] }
      })
      .addNode('two', () => {
        runs.push('two')
        if (failing) throw new Error('disk full')
        return { log: ['two'] }
      })
      .addEdge(START, 'one')
      .addEdge('one', 'two')
      .compile({ checkpointer: store })
    await expect(graph.run({ n: 0 }, { threadId: 'f' })).rejects.toMatchObject({
      code: 'node_failed',
      node: 'two',
    })
    expect(await graph.getState('f')).toMatchObject({ status: 'stopped', step: 1, next: [{ node: 'two' }] })
    failing = false
    const result = await graph.resume('f')
    expect(result.state.log).toEqual(['one', 'two'])
    expect(runs).toEqual(['one', 'two', 'two'])
  })

  it('writes what changed, not the whole state: bytes per step do not grow with the graph or the history', async () => {
    const big = z.object({ n: z.number(), blob: z.string() })
    const bytesPerStep = async (nodes: number) => {
      const log: CheckpointRecord[][] = []
      const store = createMemoryCheckpointer()
      const recording = {
        read: store.read,
        delete: store.delete,
        append: async (threadId: string, expected: number, records: readonly CheckpointRecord[]) => {
          log.push([...records])
          return store.append(threadId, expected, records)
        },
      }
      let builder = createGraph({ state: big })
      for (let i = 0; i < nodes; i++) {
        builder = builder.addNode(`n${i}`, (s) => ({ n: s.n + 1 }))
        builder = builder.addEdge(i === 0 ? START : `n${i - 1}`, `n${i}`)
      }
      await builder
        .compile({ checkpointer: recording })
        .run({ n: 0, blob: 'x'.repeat(10_000) }, { threadId: 'b' })
      const steps = log.slice(1).flat()
      const sizes = steps.filter((r) => r.type === 'step').map((r) => JSON.stringify({ ...r, at: 0 }).length)
      return { first: sizes[0] as number, last: sizes[sizes.length - 2] as number }
    }
    const small = await bytesPerStep(10)
    const large = await bytesPerStep(200)
    // the 10 KB blob is written once (in the start record), never per step
    expect(small.first).toBeLessThan(200)
    // per-step bytes only grow with the digits of the step number
    expect(large.last - small.first).toBeLessThan(20)
  })

  it('lists history and forks a thread from any checkpoint (time travel)', async () => {
    const graph = createGraph({ state, reducers: { log: append } })
      .addNode('a', () => ({ n: 1, log: ['a'] }))
      .addNode('b', () => ({ n: 2, log: ['b'] }))
      .addEdge(START, 'a')
      .addEdge('a', 'b')
      .compile({ checkpointer: createMemoryCheckpointer() })
    await graph.run({ n: 0 }, { threadId: 'h' })
    const history = await graph.history('h')
    expect(history.map((c) => [c.step, c.state.n, c.next.map((t) => t.node)])).toEqual([
      [0, 0, ['a']],
      [1, 1, ['b']],
      [2, 2, []],
    ])
    const forked = await graph.fork('h', 1, 'h-fork')
    expect(await graph.getState(forked)).toMatchObject({
      status: 'stopped',
      step: 1,
      state: { n: 1, log: ['a'] },
    })
    const rerun = await graph.resume(forked)
    expect(rerun.state).toEqual({ n: 2, log: ['a', 'b'] })
    await expect(graph.fork('h', 9)).rejects.toThrow(/no checkpoint after 9 steps/)
  })

  it('detects two writers on one thread: exactly one wins, the other gets CheckpointConflictError', async () => {
    const store = createMemoryCheckpointer()
    const graph = approvalGraph(store)
    await graph.run({ n: 0 }, { threadId: 'race' })
    const outcomes = await Promise.allSettled([
      graph.resume('race', 'a'),
      approvalGraph(store).resume('race', 'b'),
    ])
    const won = outcomes.filter((o) => o.status === 'fulfilled')
    const lost = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[]
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(CheckpointConflictError.isInstance(lost[0]?.reason)).toBe(true)
    const final = await graph.getState('race')
    expect(final?.state.log).toHaveLength(3)
  })

  it('refuses a thread written with another schema version unless migrate is given', async () => {
    const store = createMemoryCheckpointer()
    const v1 = approvalGraph(store)
    await v1.run({ n: 3 }, { threadId: 'old' })
    const v2 = (migrate?: (s: Record<string, unknown>) => { n: number; log: string[] }) =>
      createGraph({ state, reducers: { log: append }, name: 'approval', version: 2 })
        .addNode('draft', () => ({}))
        .addNode('approve', () => ({ log: [`v2:${interrupt<string>('?')}`] }))
        .addNode('ship', () => ({}))
        .addEdge(START, 'draft')
        .addEdge('draft', 'approve')
        .addEdge('approve', 'ship')
        .compile({ checkpointer: store, ...(migrate ? { migrate } : {}) })
    await expect(v2().resume('old', 'x')).rejects.toThrow(/version 1.*version 2.*migrate/)
    const migrated = await v2((s) => ({ n: (s.n as number) * 10, log: s.log as string[] })).resume('old', 'x')
    expect(migrated.state).toEqual({ n: 40, log: ['drafted', 'v2:x'] })
    const other = createGraph({ state, name: 'other' })
      .addNode('a', () => ({}))
      .addEdge(START, 'a')
    await expect(other.compile({ checkpointer: store }).resume('old', 1)).rejects.toThrow(
      /belongs to graph "approval"/,
    )
  })

  it.each(['sync', 'async', 'exit'] as const)('durability %s keeps the same log', async (durability) => {
    const store = createMemoryCheckpointer()
    const graph = approvalGraph(store)
    await graph.run({ n: 0 }, { threadId: 'd', durability })
    await graph.resume('d', 'ok', { durability })
    const log = await store.read('d')
    expect(log.map((r) => r.type)).toEqual(
      ['start', 'step', 'task', 'interrupt', 'resume', 'step', 'step', 'end'].filter((t) => t !== 'task'),
    )
  })
})

describe('events', () => {
  it('streams typed events in order and ends with the result', async () => {
    const graph = createGraph({ state })
      .addNode('a', (s, context) => {
        context.emit({ progress: 0.5 })
        return { n: s.n + 1 }
      })
      .addEdge(START, 'a')
      .compile()
    const run = graph.stream({ n: 1 }, { threadId: 's' })
    const events: GraphEvent[] = []
    for await (const event of run) events.push(event)
    expect(events.map((e) => e.type)).toEqual([
      'run-start',
      'node-start',
      'custom',
      'node-end',
      'state',
      'run-end',
    ])
    expect(events[2]).toMatchObject({ type: 'custom', node: 'a', data: { progress: 0.5 } })
    expect(events[3]).toMatchObject({ type: 'node-end', node: 'a', update: { n: 2 } })
    expect((await run.result).state.n).toBe(2)
  })

  it('delivers events to on() listeners of every run, and stops after unsubscribing', async () => {
    const graph = createGraph({ state })
      .addNode('a', () => ({}))
      .addEdge(START, 'a')
      .compile()
    const ends: string[] = []
    const off = graph.on('node-end', (event) => ends.push(event.node))
    await graph.run({ n: 0 })
    off()
    await graph.run({ n: 0 })
    expect(ends).toEqual(['a'])
  })

  it('makes the stream throw the run error after the events before it', async () => {
    const graph = createGraph({ state })
      .addNode('a', () => {
        throw new Error('nope')
      })
      .addEdge(START, 'a')
      .compile()
    const run = graph.stream({ n: 0 })
    const seen: string[] = []
    await expect(
      (async () => {
        for await (const event of run) seen.push(event.type)
      })(),
    ).rejects.toMatchObject({ code: 'node_failed' })
    expect(seen).toEqual(['run-start', 'node-start', 'run-error'])
    await expect(run.result).rejects.toMatchObject({ code: 'node_failed' })
  })
})

describe('large values by reference', () => {
  it('keeps a node output above the threshold in the blob store, once, and only a reference in the checkpoints', async () => {
    const { createMemoryBlobStore } = await import('../src/index')
    const blobs = createMemoryBlobStore()
    const store = createMemoryCheckpointer()
    const big = 'x'.repeat(200_000)
    const build = () =>
      createGraph({ state: z.object({ doc: z.string(), n: z.number() }), name: 'blobs' })
        .addNode('write', () => ({ doc: big }))
        .addNode('again', () => ({ doc: big, n: 1 }))
        .addNode('ask', () => ({ n: interrupt<number>('?') }))
        .addEdge(START, 'write')
        .addEdge('write', 'again')
        .addEdge('again', 'ask')
        .compile({ checkpointer: store, blobs: { store: blobs, thresholdBytes: 1_024 } })
    await build().run({ doc: '', n: 0 }, { threadId: 'b' })
    const raw = JSON.stringify(await store.read('b'))
    expect(raw.length).toBeLessThan(3_000)
    expect(blobs.size).toBe(1)
    // a new instance reads the value back through the reference, and finishes the thread
    const done = await build().resume('b', 7)
    expect(done.state).toEqual({ doc: big, n: 7 })
    expect((await build().getState('b'))?.state.doc).toHaveLength(200_000)
  })

  it('fails with ThreadStateError when a referenced value is missing', async () => {
    const { createMemoryBlobStore } = await import('../src/index')
    const store = createMemoryCheckpointer()
    const graph = (blobStore: ReturnType<typeof createMemoryBlobStore>) =>
      createGraph({ state: z.object({ doc: z.string() }), name: 'lost' })
        .addNode('write', () => ({ doc: 'y'.repeat(5_000) }))
        .addEdge(START, 'write')
        .compile({ checkpointer: store, blobs: { store: blobStore, thresholdBytes: 100 } })
    await graph(createMemoryBlobStore()).run({ doc: '' }, { threadId: 'l' })
    await expect(graph(createMemoryBlobStore()).getState('l')).rejects.toSatisfy(ThreadStateError.isInstance)
  })
})

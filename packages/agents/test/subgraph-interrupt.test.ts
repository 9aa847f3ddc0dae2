import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Message } from '@ql/provider'
import { createMockChatModel } from '@ql/provider/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import {
  agentNode,
  appendMessages,
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
  ThreadStateError,
  type ToolApprovalRequest,
  tool,
} from '../src/index'

const root = mkdtempSync(join(tmpdir(), 'ql-agents-subgraph-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

// the parent appends to `log` too: a subgraph node's update is what its nodes wrote, so the
// parent's entries are not appended a second time
const state = z.object({ log: z.array(z.string()).default([]), n: z.number().default(0) })
const reducers = { log: (current: string[], update: string[]) => [...current, ...update] }
type Log = z.infer<typeof state>

/** Counts how often each node ran. */
function counter() {
  const runs: Record<string, number> = {}
  return {
    runs,
    hit(name: string) {
      runs[name] = (runs[name] ?? 0) + 1
    },
  }
}

/** inner: prep -> ask (interrupts, memoises a draft first) -> finish; outer: before -> sub -> after (those log and count in `n`). */
function reviewGraph(checkpointer: Checkpointer, count = counter(), drafts = { made: 0 }) {
  const inner = createGraph({ state, reducers, name: 'inner' })
    .addNode('prep', () => {
      count.hit('prep')
      return { log: ['prep'] }
    })
    .addNode('ask', async (_s, context) => {
      count.hit('ask')
      const draft = await context.memo('draft', () => `draft-${++drafts.made}`)
      const answer = interrupt<string>({ question: 'ok?', draft })
      return { log: [`${draft}:${answer}`] }
    })
    .addNode('finish', () => {
      count.hit('finish')
      return { log: ['finish'] }
    })
    .addEdge(START, 'prep')
    .addEdge('prep', 'ask')
    .addEdge('ask', 'finish')
    .addEdge('finish', END)
    .compile()
  return createGraph({ state, reducers, name: 'outer' })
    .addNode('before', (s) => {
      count.hit('before')
      return { n: s.n + 1, log: ['before'] }
    })
    .addNode('sub', inner)
    .addNode('after', (s) => {
      count.hit('after')
      return { n: s.n + 10, log: ['after'] }
    })
    .addEdge(START, 'before')
    .addEdge('before', 'sub')
    .addEdge('sub', 'after')
    .addEdge('after', END)
    .compile({ checkpointer })
}

const DONE = { log: ['before', 'prep', 'draft-1:yes', 'finish', 'after'], n: 11 }

describe('interrupts inside subgraphs', () => {
  it('interrupts the parent with the path and a usable id, and resumes inside the subgraph', async () => {
    const count = counter()
    const drafts = { made: 0 }
    const graph = reviewGraph(createMemoryCheckpointer(), count, drafts)
    const paused = await graph.run({}, { threadId: 'one' })
    expect(paused.status).toBe('interrupted')
    expect(paused.interrupts).toEqual([
      { id: '1:sub:0/1:ask:0#0', node: 'ask', path: ['sub'], payload: { question: 'ok?', draft: 'draft-1' } },
    ])
    // the parent's state is the one before the subgraph's step: the subgraph's work is not applied yet
    expect(paused.state).toEqual({ log: ['before'], n: 1 })

    const done = await graph.resume('one', 'yes')
    expect(done).toMatchObject({ status: 'done', state: DONE })
    // prep (completed before the interrupt) did not run again; ask ran again and got the answer
    expect(count.runs).toEqual({ before: 1, prep: 1, ask: 2, finish: 1, after: 1 })
    // its memo was replayed: the draft was made once
    expect(drafts.made).toBe(1)
  })

  it('resumes from a file checkpointer in a fresh graph (another process, in effect), answered by id', async () => {
    const directory = join(root, 'fresh')
    const count = counter()
    const drafts = { made: 0 }
    const paused = await reviewGraph(createFileCheckpointer(directory), count, drafts).run(
      {},
      { threadId: 'file-1' },
    )
    const id = paused.interrupts[0]?.id as string
    expect(id).toBe('1:sub:0/1:ask:0#0')

    const fresh = reviewGraph(createFileCheckpointer(directory), count, drafts)
    const waiting = await fresh.getState('file-1')
    expect(waiting).toMatchObject({
      status: 'interrupted',
      step: 1,
      interrupts: [{ id, node: 'ask', path: ['sub'] }],
      next: [{ id: '1:sub:0', node: 'sub' }],
    })
    const done = await fresh.resume('file-1', { answers: { [id]: 'yes' } })
    expect(done).toMatchObject({ status: 'done', step: 3, state: DONE })
    expect(count.runs).toEqual({ before: 1, prep: 1, ask: 2, finish: 1, after: 1 })
    expect(drafts.made).toBe(1)

    // history and state describe the parent's steps, the subgraph's work as the one step it is
    const again = reviewGraph(createFileCheckpointer(directory))
    expect(await again.getState('file-1')).toMatchObject({
      status: 'done',
      step: 3,
      interrupts: [],
      next: [],
    })
    const history = await again.history('file-1')
    expect(history.map((checkpoint) => [checkpoint.step, checkpoint.state])).toEqual([
      [0, { log: [], n: 0 }],
      [1, { log: ['before'], n: 1 }],
      [2, { log: ['before', 'prep', 'draft-1:yes', 'finish'], n: 1 }],
      [3, DONE],
    ])
    await expect(again.resume('file-1', 'more')).rejects.toSatisfy(ThreadStateError.isInstance)
  })

  it('works two subgraphs deep, relaying events with their path while resuming', async () => {
    const count = counter()
    const leaf = createGraph({ state, name: 'leaf' })
      .addNode('setup', (s) => {
        count.hit('setup')
        return { log: [...s.log, 'setup'] }
      })
      .addNode('ask', (s, context) => {
        count.hit('ask')
        context.emit('asking')
        return { log: [...s.log, `answer:${context.interrupt<string>('deep?')}`] }
      })
      .addEdge(START, 'setup')
      .addEdge('setup', 'ask')
      .compile()
    const middle = createGraph({ state, name: 'middle' })
      .addNode('warm', (s) => {
        count.hit('warm')
        return { log: [...s.log, 'warm'] }
      })
      .addNode('leaf', leaf)
      .addNode('cool', (s) => {
        count.hit('cool')
        return { log: [...s.log, 'cool'] }
      })
      .addEdge(START, 'warm')
      .addEdge('warm', 'leaf')
      .addEdge('leaf', 'cool')
      .compile()
    const build = (checkpointer: Checkpointer) =>
      createGraph({ state, name: 'outer' })
        .addNode('middle', middle)
        .addEdge(START, 'middle')
        .compile({ checkpointer })
    const directory = join(root, 'deep')

    const paused = await build(createFileCheckpointer(directory)).run({}, { threadId: 'deep' })
    expect(paused.interrupts).toEqual([
      { id: '0:middle:0/1:leaf:0/1:ask:0#0', node: 'ask', path: ['middle', 'leaf'], payload: 'deep?' },
    ])

    const events: GraphEvent[] = []
    const run = build(createFileCheckpointer(directory)).resumeStream('deep', 'down here')
    for await (const event of run) events.push(event)
    expect(await run.result).toMatchObject({
      status: 'done',
      state: { log: ['warm', 'setup', 'answer:down here', 'cool'] },
    })
    expect(count.runs).toEqual({ warm: 1, setup: 1, ask: 2, cool: 1 })
    expect(events.find((event) => event.type === 'custom')).toMatchObject({
      node: 'ask',
      data: 'asking',
      path: ['middle', 'leaf'],
    })
    const ends = events
      .filter((event) => event.type === 'node-end')
      .map((event) => [event.node, event.path ?? []])
    expect(ends).toEqual([
      ['ask', ['middle', 'leaf']],
      ['leaf', ['middle']],
      ['cool', ['middle']],
      ['middle', []],
    ])
    const starts = events
      .filter((event) => event.type === 'run-start')
      .map((event) => [event.resumed, event.path])
    expect(starts).toEqual([
      [true, undefined],
      [true, ['middle']],
      [true, ['middle', 'leaf']],
    ])
  })

  it('answers two parallel interrupting branches of a subgraph one at a time, by id', async () => {
    const count = counter()
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('a', () => {
        count.hit('a')
        return { log: [`a:${interrupt<string>('a?')}`] }
      })
      .addNode('b', () => {
        count.hit('b')
        return { log: [`b:${interrupt<string>('b?')}`] }
      })
      .addNode('merge', () => {
        count.hit('merge')
        return { log: ['merge'] }
      })
      .addEdge(START, 'a')
      .addEdge(START, 'b')
      .addEdge(['a', 'b'], 'merge')
      .compile()
    const build = () =>
      createGraph({ state, reducers, name: 'outer' })
        .addNode('sub', inner)
        .addEdge(START, 'sub')
        .compile({ checkpointer })
    const checkpointer = createMemoryCheckpointer()

    const paused = await build().run({}, { threadId: 'par' })
    expect(paused.interrupts.map((item) => [item.id, item.node, item.path, item.payload])).toEqual([
      ['0:sub:0/0:a:0#0', 'a', ['sub'], 'a?'],
      ['0:sub:0/0:b:1#0', 'b', ['sub'], 'b?'],
    ])

    const half = await build().resume('par', { answers: { '0:sub:0/0:a:0#0': 'A' } })
    expect(half.status).toBe('interrupted')
    expect(half.interrupts.map((item) => item.id)).toEqual(['0:sub:0/0:b:1#0'])
    // an answer for an interrupt that is no longer open is refused, as at the top level
    await expect(build().resume('par', { answers: { '0:sub:0/0:a:0#0': 'again' } })).rejects.toSatisfy(
      ThreadStateError.isInstance,
    )

    const done = await build().resume('par', { answers: { '0:sub:0/0:b:1#0': 'B' } })
    expect(done).toMatchObject({ status: 'done', state: { log: ['a:A', 'b:B', 'merge'] } })
    // a finished when it was answered and was not run again for b's answer
    expect(count.runs).toEqual({ a: 2, b: 3, merge: 1 })
  })

  it('handles the parent and a subgraph interrupting in the same step', async () => {
    const count = counter()
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('prep', () => {
        count.hit('prep')
        return { log: ['prep'] }
      })
      .addNode('ask', () => {
        count.hit('ask')
        return { log: [`inner:${interrupt<string>('inner?')}`] }
      })
      .addEdge(START, 'prep')
      .addEdge('prep', 'ask')
      .compile()
    const checkpointer = createMemoryCheckpointer()
    const graph = createGraph({ state, reducers, name: 'outer' })
      .addNode('top', () => {
        count.hit('top')
        return { log: [`top:${interrupt<string>('top?')}`] }
      })
      .addNode('sub', inner)
      .addNode('join', () => {
        count.hit('join')
        return { log: ['join'] }
      })
      .addEdge(START, 'top')
      .addEdge(START, 'sub')
      .addEdge(['top', 'sub'], 'join')
      .compile({ checkpointer })

    const paused = await graph.run({}, { threadId: 'both' })
    expect(paused.interrupts).toEqual([
      { id: '0:top:0#0', node: 'top', payload: 'top?' },
      { id: '0:sub:1/1:ask:0#0', node: 'ask', path: ['sub'], payload: 'inner?' },
    ])

    // answering the parent's interrupt alone leaves the subgraph waiting as it was: nothing in it runs
    const half = await graph.resume('both', { answers: { '0:top:0#0': 'T' } })
    expect(half.interrupts.map((item) => item.id)).toEqual(['0:sub:1/1:ask:0#0'])
    expect(count.runs).toEqual({ top: 2, prep: 1, ask: 1 })

    const done = await graph.resume('both', 'I')
    expect(done).toMatchObject({ status: 'done', state: { log: ['top:T', 'prep', 'inner:I', 'join'] } })
    expect(count.runs).toEqual({ top: 2, prep: 1, ask: 2, join: 1 })

    // both at once, with one value
    const again = await graph.run({}, { threadId: 'both-at-once' })
    expect(again.interrupts).toHaveLength(2)
    expect(await graph.resume('both-at-once', 'X')).toMatchObject({
      status: 'done',
      state: { log: ['top:X', 'prep', 'inner:X', 'join'] },
    })
  })

  it('keeps a subgraph that interrupts again after a resume, with its later steps', async () => {
    const count = counter()
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('first', () => {
        count.hit('first')
        return { log: [`first:${interrupt<string>('1?')}`] }
      })
      .addNode('middle', () => {
        count.hit('middle')
        return { log: ['middle'] }
      })
      .addNode('second', () => {
        count.hit('second')
        return { log: [`second:${interrupt<string>('2?')}`] }
      })
      .addEdge(START, 'first')
      .addEdge('first', 'middle')
      .addEdge('middle', 'second')
      .compile()
    const directory = join(root, 'twice')
    const build = () =>
      createGraph({ state, reducers, name: 'outer' })
        .addNode('sub', inner)
        .addEdge(START, 'sub')
        .compile({ checkpointer: createFileCheckpointer(directory) })
    const one = await build().run({}, { threadId: 'twice' })
    expect(one.interrupts.map((item) => item.id)).toEqual(['0:sub:0/0:first:0#0'])
    const two = await build().resume('twice', 'x')
    expect(two.interrupts.map((item) => item.id)).toEqual(['0:sub:0/2:second:0#0'])
    const done = await build().resume('twice', 'y')
    expect(done).toMatchObject({ status: 'done', state: { log: ['first:x', 'middle', 'second:y'] } })
    expect(count.runs).toEqual({ first: 2, middle: 1, second: 2 })
  })

  it('cancels a resumed subgraph with its parent, and the thread still resumes', async () => {
    let hang = true
    let innerSignal: AbortSignal | undefined
    let started!: () => void
    const waiting = new Promise<void>((resolve) => {
      started = resolve
    })
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('ask', () => ({ log: [`ask:${interrupt<string>('?')}`] }))
      .addNode('work', (_s, context) => {
        if (!hang) return { log: ['worked'] }
        innerSignal = context.signal
        started()
        return new Promise<Partial<Log>>(() => {})
      })
      .addEdge(START, 'ask')
      .addEdge('ask', 'work')
      .compile()
    const graph = createGraph({ state, reducers, name: 'outer' })
      .addNode('sub', inner)
      .addEdge(START, 'sub')
      .compile({ checkpointer: createMemoryCheckpointer() })
    await graph.run({}, { threadId: 'cancel' })
    const controller = new AbortController()
    const resumed = graph.resume('cancel', 'go', { signal: controller.signal })
    await waiting
    controller.abort()
    await expect(resumed).rejects.toMatchObject({ code: 'aborted' })
    expect(innerSignal?.aborted).toBe(true)

    hang = false
    expect(await graph.getState('cancel')).toMatchObject({ status: 'stopped' })
    expect(await graph.resume('cancel')).toMatchObject({
      status: 'done',
      state: { log: ['ask:go', 'worked'] },
    })
  })

  it('interrupts without a checkpointer as a top-level node does: the run ends interrupted, and cannot be resumed', async () => {
    const inner = createGraph({ state, reducers, name: 'inner' })
      .addNode('ask', () => ({ log: [interrupt<string>('?')] }))
      .addEdge(START, 'ask')
      .compile()
    const graph = createGraph({ state, reducers, name: 'outer' })
      .addNode('sub', inner)
      .addEdge(START, 'sub')
      .compile()
    const result = await graph.run({})
    expect(result).toMatchObject({
      status: 'interrupted',
      interrupts: [{ id: '0:sub:0/0:ask:0#0', node: 'ask', path: ['sub'], payload: '?' }],
    })
    await expect(graph.resume(result.threadId, 'x')).rejects.toSatisfy(ThreadStateError.isInstance)
  })

  it('runs a subgraph node through an executor, answers and memo crossing as JSON', async () => {
    const count = counter()
    let worker: CompiledGraph<Log> | undefined
    const executor: Executor = {
      // a worker that loaded the same graph module; the round trip through JSON is what a real one does
      execute: async (task, signal) =>
        JSON.parse(
          JSON.stringify(
            await (worker as CompiledGraph<Log>).executeTask(JSON.parse(JSON.stringify(task)), signal),
          ),
        ),
    }
    const build = () => {
      const inner = createGraph({ state, reducers, name: 'inner' })
        .addNode('prep', () => {
          count.hit('prep')
          return { log: ['prep'] }
        })
        .addNode('a', () => ({ log: [`a:${interrupt<string>('a?')}`] }))
        .addNode('b', () => ({ log: [`b:${interrupt<string>('b?')}`] }))
        .addEdge(START, 'prep')
        .addEdge('prep', 'a')
        .addEdge('prep', 'b')
        .compile()
      return createGraph({ state, reducers, name: 'outer' })
        .addNode('sub', inner, { executor })
        .addEdge(START, 'sub')
        .compile({ checkpointer })
    }
    const checkpointer = createMemoryCheckpointer()
    worker = build()
    const graph = build()
    const paused = await graph.run({}, { threadId: 'remote' })
    expect(paused.interrupts.map((item) => item.id)).toEqual(['0:sub:0/1:a:0#0', '0:sub:0/1:b:1#0'])
    const half = await graph.resume('remote', { answers: { '0:sub:0/1:a:0#0': 'A' } })
    expect(half.interrupts.map((item) => item.id)).toEqual(['0:sub:0/1:b:1#0'])
    expect(await graph.resume('remote', 'B')).toMatchObject({
      status: 'done',
      state: { log: ['prep', 'a:A', 'b:B'] },
    })
    expect(count.runs).toEqual({ prep: 1 })
  })

  it('asks for a tool approval from an agent inside a subgraph without calling the model again', async () => {
    const deleted: string[] = []
    const remove = tool({
      name: 'delete_branch',
      input: z.object({ name: z.string() }),
      needsApproval: true,
      execute: ({ name }) => {
        deleted.push(name)
        return `deleted ${name}`
      },
    })
    const model = createMockChatModel({
      script: [
        { toolCalls: [{ id: 'c1', name: 'delete_branch', input: { name: 'old' } }] },
        { text: 'Deleted.' },
      ],
    })
    const messages = z.object({ messages: z.array(z.custom<Message>()) })
    const agent = createGraph({ state: messages, reducers: { messages: appendMessages }, name: 'agent' })
      .addNode('agent', agentNode({ model, tools: [remove] }))
      .addEdge(START, 'agent')
      .compile()
    // the parent appends too: it gets the agent's new messages, not the conversation again
    const graph = createGraph({ state: messages, reducers: { messages: appendMessages }, name: 'chat' })
      .addNode('assistant', agent)
      .addEdge(START, 'assistant')
      .compile({ checkpointer: createMemoryCheckpointer() })

    const paused = await graph.run(
      { messages: [{ role: 'user', content: 'delete old' }] },
      { threadId: 'chat' },
    )
    expect(paused.interrupts).toHaveLength(1)
    expect(paused.interrupts[0]?.path).toEqual(['assistant'])
    expect(paused.interrupts[0]?.payload as ToolApprovalRequest).toMatchObject({
      type: 'tool-approval',
      toolCall: { id: 'c1', name: 'delete_branch' },
    })
    expect(deleted).toEqual([])

    const done = await graph.resume('chat', true)
    expect(done.status).toBe('done')
    expect(deleted).toEqual(['old'])
    expect(done.state.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ])
    expect(done.state.messages.at(-1)).toMatchObject({ role: 'assistant' })
    // the agent's memoised first model call was replayed from the parent's checkpoint
    expect(model.calls).toHaveLength(2)
  })

  it('still folds and resumes a log written before subgraph interrupts existed', async () => {
    const checkpointer = createMemoryCheckpointer()
    // what the previous version wrote for a top-level interrupt: no `path`, a memo of the node's own
    const old: CheckpointRecord[] = [
      {
        type: 'start',
        graph: 'legacy',
        version: 1,
        state: { log: [] },
        next: [{ id: '0:ask:0', node: 'ask' }],
        at: 1,
      },
      {
        type: 'interrupt',
        step: 0,
        interrupts: [{ id: '0:ask:0#0', node: 'ask', payload: 'ok?' }],
        memo: { '0:ask:0': { note: 'kept' } },
        at: 2,
      },
    ]
    await checkpointer.append('legacy-1', 0, old)
    const graph = createGraph({ state, reducers, name: 'legacy' })
      .addNode('ask', async (_s, context) => {
        const note = await context.memo('note', () => 'made again')
        return { log: [`${note}:${interrupt<string>('ok?')}`] }
      })
      .addEdge(START, 'ask')
      .compile({ checkpointer })
    expect(await graph.getState('legacy-1')).toMatchObject({
      status: 'interrupted',
      interrupts: [{ id: '0:ask:0#0', node: 'ask', payload: 'ok?' }],
    })
    expect(await graph.resume('legacy-1', 'yes')).toMatchObject({
      status: 'done',
      state: { log: ['kept:yes'] },
    })
  })
})

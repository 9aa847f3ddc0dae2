// The graphs the agents benchmark runs, built the same way for @ql/agents, LangGraph.js and a
// plain async loop (the floor): a chain of N nodes that each add 1, and a fan-out over N items
// whose results meet in one node.
import {
  Annotation,
  END as LG_END,
  START as LG_START,
  Send as LGSend,
  MemorySaver,
  StateGraph,
} from '@langchain/langgraph'
import { type Checkpointer, createGraph, END, START, send } from '@ql/agents'
import { z } from 'zod/v4'

export type Runner = (thread: string) => Promise<number>

/** @ql/agents: a chain of `nodes` nodes; returns the final counter. */
export function qlChain(nodes: number, checkpointer?: Checkpointer): Runner {
  let builder = createGraph({ state: z.object({ n: z.number() }), name: `chain-${nodes}` })
  for (let i = 0; i < nodes; i++) {
    builder = builder.addNode(`n${i}`, (state) => ({ n: state.n + 1 }))
    builder = builder.addEdge(i === 0 ? START : `n${i - 1}`, `n${i}`)
  }
  const graph = builder
    .addEdge(`n${nodes - 1}`, END)
    .compile({ stepLimit: nodes + 10, ...(checkpointer ? { checkpointer } : {}) })
  return async (thread) => (await graph.run({ n: 0 }, checkpointer ? { threadId: thread } : {})).state.n
}

/** LangGraph.js: the same chain. */
export function langGraphChain(nodes: number, checkpointer?: MemorySaver): Runner {
  const State = Annotation.Root({ n: Annotation<number>() })
  let graph: any = new StateGraph(State)
  for (let i = 0; i < nodes; i++)
    graph = graph.addNode(`n${i}`, (state: { n: number }) => ({ n: state.n + 1 }))
  for (let i = 0; i < nodes; i++) graph = graph.addEdge(i === 0 ? LG_START : `n${i - 1}`, `n${i}`)
  const app = graph.addEdge(`n${nodes - 1}`, LG_END).compile(checkpointer ? { checkpointer } : {})
  return async (thread) =>
    (await app.invoke({ n: 0 }, { recursionLimit: nodes + 10, configurable: { thread_id: thread } }))
      .n as number
}

/** The floor: the same work as a plain async loop. */
export function plainChain(nodes: number): Runner {
  const steps = Array.from({ length: nodes }, () => async (state: { n: number }) => ({ n: state.n + 1 }))
  return async () => {
    let state = { n: 0 }
    for (const step of steps) state = { ...state, ...(await step(state)) }
    return state.n
  }
}

/** @ql/agents: fan out over `width` items with `send`, fan in through a reducer; returns the sum. */
export function qlFanOut(width: number): Runner {
  const graph = createGraph({
    state: z.object({ items: z.array(z.number()), results: z.array(z.number()), total: z.number() }),
    reducers: { results: (a, b) => a.concat(b) },
  })
    .addNode('split', () => ({}))
    .addNode<number>('work', (_state, context) => ({ results: [context.input * 2] }))
    .addNode('join', (state) => ({ total: state.results.reduce((a, b) => a + b, 0) }))
    .addEdge(START, 'split')
    .addConditionalEdges('split', (state) => state.items.map((item) => send('work', item)))
    .addEdge('work', 'join')
    .addEdge('join', END)
    .compile()
  const items = Array.from({ length: width }, (_, i) => i)
  return async () => (await graph.run({ items, results: [], total: 0 })).state.total
}

/** LangGraph.js: the same fan-out with `Send`. */
export function langGraphFanOut(width: number): Runner {
  const State = Annotation.Root({
    items: Annotation<number[]>(),
    results: Annotation<number[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    total: Annotation<number>(),
  })
  const app = new StateGraph(State)
    .addNode('split', () => ({}))
    .addNode('work', (state: { item?: number }) => ({ results: [(state.item ?? 0) * 2] }))
    .addNode('join', (state) => ({ total: state.results.reduce((a, b) => a + b, 0) }))
    .addEdge(LG_START, 'split')
    .addConditionalEdges('split', (state) => state.items.map((item) => new LGSend('work', { item })))
    .addEdge('work', 'join')
    .addEdge('join', LG_END)
    .compile()
  const items = Array.from({ length: width }, (_, i) => i)
  return async () => (await app.invoke({ items, total: 0 })).total as number
}

/** The floor for the fan-out: Promise.all over the items, then a sum. */
export function plainFanOut(width: number): Runner {
  const items = Array.from({ length: width }, (_, i) => i)
  return async () => {
    const results = await Promise.all(items.map(async (item) => item * 2))
    return results.reduce((a, b) => a + b, 0)
  }
}

/** Bytes LangGraph's MemorySaver holds for its threads (checkpoints and pending writes). */
export function memorySaverBytes(saver: MemorySaver): number {
  let bytes = 0
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) bytes += value.byteLength
    else if (typeof value === 'string') bytes += Buffer.byteLength(value)
    else if (Array.isArray(value)) for (const item of value) walk(item)
    else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) walk(item)
  }
  walk((saver as unknown as { storage: unknown }).storage)
  walk((saver as unknown as { writes: unknown }).writes)
  return bytes
}

export { MemorySaver }

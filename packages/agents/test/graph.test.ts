import { AbortedError, TimeoutError, UnavailableError } from '@ql/provider'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod/v4'
import {
  createGraph,
  END,
  GraphValidationError,
  InvalidUpdateError,
  NodeFailedError,
  START,
  StepLimitError,
  send,
} from '../src/index'

const counter = z.object({ n: z.number(), log: z.array(z.string()).default([]) })
const append = (current: string[], update: string[]) => [...current, ...update]

describe('running a graph', () => {
  it('runs a chain and returns the typed state', async () => {
    const graph = createGraph({ state: counter })
      .addNode('double', (state) => ({ n: state.n * 2 }))
      .addNode('inc', (state) => ({ n: state.n + 1 }))
      .addEdge(START, 'double')
      .addEdge('double', 'inc')
      .addEdge('inc', END)
      .compile()
    const result = await graph.run({ n: 20 })
    expect(result).toMatchObject({ status: 'done', state: { n: 41, log: [] }, step: 2, interrupts: [] })
  })

  it('follows conditional edges and loops until the route ends', async () => {
    const graph = createGraph({ state: counter, reducers: { log: append } })
      .addNode('inc', (state) => ({ n: state.n + 1, log: [`n=${state.n + 1}`] }))
      .addEdge(START, 'inc')
      .addConditionalEdges('inc', (state) => (state.n < 3 ? 'inc' : END), { targets: ['inc', END] })
      .compile()
    const { state } = await graph.run({ n: 0 })
    expect(state).toEqual({ n: 3, log: ['n=1', 'n=2', 'n=3'] })
  })

  it('fans out over a dynamic list with send and meets again through a reducer', async () => {
    const state = z.object({ files: z.array(z.string()), written: z.array(z.string()).default([]) })
    const seen: unknown[] = []
    const graph = createGraph({ state, reducers: { written: append } })
      .addNode('plan', () => ({}))
      .addNode<string>('write', async (_s, context) => {
        seen.push(context.input)
        await Promise.resolve()
        return { written: [`${context.input}!`] }
      })
      .addNode('summary', (s) => ({ files: [`${s.written.length} written`] }))
      .addEdge(START, 'plan')
      .addConditionalEdges('plan', (s) => s.files.map((file) => send('write', file)))
      .addEdge('write', 'summary')
      .addEdge('summary', END)
      .compile()
    const result = await graph.run({ files: ['a.ts', 'b.ts', 'c.ts'] })
    expect(seen).toEqual(['a.ts', 'b.ts', 'c.ts'])
    expect(result.state.written).toEqual(['a.ts!', 'b.ts!', 'c.ts!'])
    // three parallel tasks lead to one summary, not three
    expect(result.state.files).toEqual(['3 written'])
    expect(result.step).toBe(3)
  })

  it('runs parallel branches of different lengths and joins them once both are done', async () => {
    const calls: string[] = []
    const graph = createGraph({ state: counter, reducers: { log: append } })
      .addNode('a', () => ({ log: ['a'] }))
      .addNode('a2', () => ({ log: ['a2'] }))
      .addNode('b', () => ({ log: ['b'] }))
      .addNode('join', (s) => {
        calls.push(s.log.join(','))
        return { n: s.log.length }
      })
      .addEdge(START, 'a')
      .addEdge(START, 'b')
      .addEdge('a', 'a2')
      .addEdge(['a2', 'b'], 'join')
      .addEdge('join', END)
      .compile()
    const { state } = await graph.run({ n: 0 })
    expect(calls).toEqual(['a,b,a2'])
    expect(state.n).toBe(3)
  })

  it('runs a compiled graph as a node (a subgraph) and keeps only the keys the parent has', async () => {
    const inner = createGraph({
      state: z.object({ n: z.number(), scratch: z.string().default('') }),
      name: 'inner',
    })
      .addNode('square', (s) => ({ n: s.n * s.n, scratch: 'tmp' }))
      .addEdge(START, 'square')
      .compile()
    const outer = createGraph({ state: counter }).addNode('inner', inner).addEdge(START, 'inner').compile()
    const { state } = await outer.run({ n: 7 })
    expect(state).toEqual({ n: 49, log: [] })
  })

  it('ends a loop that does not end with StepLimitError', async () => {
    const graph = createGraph({ state: counter })
      .addNode('spin', (s) => ({ n: s.n + 1 }))
      .addEdge(START, 'spin')
      .addEdge('spin', 'spin')
      .compile({ stepLimit: 25 })
    const error = await graph.run({ n: 0 }).catch((e: unknown) => e)
    expect(StepLimitError.isInstance(error)).toBe(true)
    expect((error as StepLimitError).stepLimit).toBe(25)
  })
})

describe('bad updates', () => {
  const one = (node: (s: z.infer<typeof counter>) => unknown) =>
    createGraph({ state: counter })
      .addNode('node', node as never)
      .addEdge(START, 'node')
      .compile()

  it('rejects an unknown key, naming the node and the key', async () => {
    const error = await one(() => ({ nope: 1 }))
      .run({ n: 0 })
      .catch((e: unknown) => e)
    expect(InvalidUpdateError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ nodes: ['node'], key: 'nope' })
  })

  it('rejects a value of the wrong type', async () => {
    const error = await one(() => ({ n: 'one' }))
      .run({ n: 0 })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'invalid_update', key: 'n' })
  })

  it('rejects a non-object update', async () => {
    const error = await one(() => 42)
      .run({ n: 0 })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'invalid_update',
      message: expect.stringContaining('returned number'),
    })
  })

  it('rejects input that does not match the schema', async () => {
    const error = await one(() => ({}))
      .run({ n: 'x' } as never)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'invalid_update', message: expect.stringContaining('input') })
  })

  it('rejects two parallel writes to a key without a reducer, naming both nodes', async () => {
    const graph = createGraph({ state: counter })
      .addNode('a', () => ({ n: 1 }))
      .addNode('b', () => ({ n: 2 }))
      .addEdge(START, 'a')
      .addEdge(START, 'b')
      .compile()
    const error = await graph.run({ n: 0 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'invalid_update', nodes: ['a', 'b'], key: 'n' })
  })

  it('rejects a route to an unknown node', async () => {
    const graph = createGraph({ state: counter })
      .addNode('a', () => ({}))
      .addEdge(START, 'a')
      .addConditionalEdges('a', () => 'ghost')
      .compile()
    const error = await graph.run({ n: 0 }).catch((e: unknown) => e)
    expect(GraphValidationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ nodes: ['a', 'ghost'] })
  })
})

describe('compile() validation', () => {
  const base = () => createGraph({ state: counter }).addNode('a', () => ({}))

  it.each([
    ['an edge to an unknown node', () => base().addEdge(START, 'a').addEdge('a', 'b'), ['b']],
    ['an edge from an unknown node', () => base().addEdge(START, 'a').addEdge('x', 'a'), ['x']],
    ['no entry', () => base().addEdge('a', END), ['__start__']],
    [
      'an unreachable node',
      () =>
        base()
          .addNode('lost', () => ({}))
          .addEdge(START, 'a'),
      ['lost'],
    ],
    [
      'a conditional edge to an unknown target',
      () =>
        base()
          .addEdge(START, 'a')
          .addConditionalEdges('a', () => END, { targets: ['zzz'] }),
      ['zzz'],
    ],
    [
      'parallel nodes declaring the same key without a reducer',
      () =>
        base()
          .addNode('b', () => ({}), { writes: ['n'] })
          .addNode('c', () => ({}), { writes: ['n'] })
          .addEdge(START, 'a')
          .addEdge('a', 'b')
          .addEdge('a', 'c'),
      ['b', 'c'],
    ],
  ])('rejects %s, naming the node', (_name, build, nodes) => {
    const error = (() => {
      try {
        build().compile()
      } catch (e) {
        return e
      }
    })()
    expect(GraphValidationError.isInstance(error)).toBe(true)
    expect((error as GraphValidationError).nodes).toEqual(nodes)
  })

  it('accepts parallel writers of a key that has a reducer', () => {
    expect(() =>
      createGraph({ state: counter, reducers: { log: append } })
        .addNode('b', () => ({}), { writes: ['log'] })
        .addNode('c', () => ({}), { writes: ['log'] })
        .addEdge(START, 'b')
        .addEdge(START, 'c')
        .compile(),
    ).not.toThrow()
  })

  it('rejects duplicate and reserved node names, and a schema that is not a zod object', () => {
    expect(() => base().addNode('a', () => ({}))).toThrow(/already has a node named "a"/)
    expect(() => base().addNode(END, () => ({}))).toThrow(GraphValidationError)
    expect(() => createGraph({ state: z.string() as never })).toThrow(/zod object schema/)
    expect(() => createGraph({ state: counter, reducers: { ghost: append } as never })).toThrow(/"ghost"/)
    expect(() =>
      base()
        .addNode('w', () => ({}), { writes: ['ghost' as never] })
        .addEdge(START, 'a')
        .compile(),
    ).toThrow(/"ghost"/)
  })
})

describe('failures, retries, cancellation', () => {
  it('wraps a node error in NodeFailedError naming the node and step, with the cause', async () => {
    const cause = new UnavailableError({ message: 'upstream down' })
    const graph = createGraph({ state: counter })
      .addNode('ok', () => ({ n: 1 }))
      .addNode('boom', () => {
        throw cause
      })
      .addEdge(START, 'ok')
      .addEdge('ok', 'boom')
      .compile()
    const error = await graph.run({ n: 0 }).catch((e: unknown) => e)
    expect(NodeFailedError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ node: 'boom', step: 1, retryable: true, cause })
  })

  it('retries retryable failures per the node policy, and not the others', async () => {
    let calls = 0
    const flaky = createGraph({ state: counter })
      .addNode(
        'flaky',
        (_s, context) => {
          calls++
          if (context.attempt < 3) throw new UnavailableError({ message: 'try again' })
          return { n: context.attempt }
        },
        { retry: { retries: 3, minDelayMs: 0, maxDelayMs: 0 } },
      )
      .addEdge(START, 'flaky')
      .compile()
    expect((await flaky.run({ n: 0 })).state.n).toBe(3)
    expect(calls).toBe(3)

    let fatal = 0
    const never = createGraph({ state: counter })
      .addNode(
        'bad',
        () => {
          fatal++
          throw new TypeError('a bug')
        },
        { retry: { retries: 3, minDelayMs: 0 } },
      )
      .addEdge(START, 'bad')
      .compile()
    await expect(never.run({ n: 0 })).rejects.toMatchObject({ code: 'node_failed' })
    expect(fatal).toBe(1)
  })

  it('honours retryAfterMs, and fails at once when the hint is longer than the cap', async () => {
    vi.useFakeTimers()
    try {
      let calls = 0
      const graph = createGraph({ state: counter })
        .addNode(
          'limited',
          () => {
            calls++
            if (calls === 1) throw new UnavailableError({ message: 'wait', retryAfterMs: 2_000 })
            return { n: calls }
          },
          { retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 } },
        )
        .addEdge(START, 'limited')
        .compile()
      const running = graph.run({ n: 0 })
      await vi.advanceTimersByTimeAsync(1_999)
      expect(calls).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      expect((await running).state.n).toBe(2)

      let long = 0
      const capped = createGraph({ state: counter })
        .addNode(
          'capped',
          () => {
            long++
            throw new UnavailableError({ message: 'come back in an hour', retryAfterMs: 3_600_000 })
          },
          { retry: { retries: 2, maxRetryAfterMs: 10_000 } },
        )
        .addEdge(START, 'capped')
        .compile()
      await expect(capped.run({ n: 0 })).rejects.toMatchObject({ code: 'node_failed' })
      expect(long).toBe(1)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  it('times a node out with TimeoutError and aborts its signal', async () => {
    vi.useFakeTimers()
    try {
      let reason: unknown
      const graph = createGraph({ state: counter })
        .addNode(
          'slow',
          (_s, context) =>
            new Promise(() => {
              context.signal.addEventListener('abort', () => {
                reason = context.signal.reason
              })
            }),
          { timeoutMs: 100 },
        )
        .addEdge(START, 'slow')
        .compile()
      const running = graph.run({ n: 0 }).catch((e: unknown) => e)
      await vi.advanceTimersByTimeAsync(100)
      const error = await running
      expect(error).toMatchObject({ code: 'node_failed', node: 'slow' })
      expect(TimeoutError.isInstance((error as NodeFailedError).cause)).toBe(true)
      expect(TimeoutError.isInstance(reason)).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('cancels promptly: the run rejects with AbortedError even when a node ignores its signal, and every node signal aborts', async () => {
    const controller = new AbortController()
    const signals: AbortSignal[] = []
    let started!: () => void
    const bothStarted = new Promise<void>((resolve) => {
      let count = 0
      started = () => {
        if (++count === 2) resolve()
      }
    })
    const graph = createGraph({ state: counter, reducers: { log: append } })
      .addNode('listens', (_s, context) => {
        signals.push(context.signal)
        started()
        return new Promise(() => {})
      })
      .addNode('ignores', (_s, context) => {
        signals.push(context.signal)
        started()
        return new Promise(() => {})
      })
      .addEdge(START, 'listens')
      .addEdge(START, 'ignores')
      .compile()
    const running = graph.run({ n: 0 }, { signal: controller.signal }).catch((e: unknown) => e)
    await bothStarted
    controller.abort()
    const error = await running
    expect(AbortedError.isInstance(error)).toBe(true)
    expect(signals.map((s) => s.aborted)).toEqual([true, true])
  })

  it('stops at the run deadline with TimeoutError, leaving no timer', async () => {
    vi.useFakeTimers()
    try {
      const graph = createGraph({ state: counter })
        .addNode('forever', () => new Promise(() => {}))
        .addEdge(START, 'forever')
        .compile()
      const running = graph.run({ n: 0 }, { deadlineMs: 1_000 }).catch((e: unknown) => e)
      await vi.advanceTimersByTimeAsync(1_000)
      expect(TimeoutError.isInstance(await running)).toBe(true)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  it('rejects at once for an already aborted signal, running nothing', async () => {
    let ran = false
    const graph = createGraph({ state: counter })
      .addNode('a', () => {
        ran = true
        return {}
      })
      .addEdge(START, 'a')
      .compile()
    await expect(graph.run({ n: 0 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'aborted',
    })
    expect(ran).toBe(false)
  })
})

import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod/v4'
import { createGraph, type GraphEvent, START } from '../src/index'

const state = z.object({ n: z.number() })

describe('subgraphs', () => {
  it('relays subgraph events with their path', async () => {
    const inner = createGraph({ state, name: 'inner' })
      .addNode('leaf', (s, context) => {
        context.emit('from the leaf')
        return { n: s.n + 1 }
      })
      .addEdge(START, 'leaf')
      .compile()
    const middle = createGraph({ state, name: 'middle' })
      .addNode('inner', inner)
      .addEdge(START, 'inner')
      .compile()
    const outer = createGraph({ state, name: 'outer' })
      .addNode('middle', middle)
      .addEdge(START, 'middle')
      .compile()
    const events: GraphEvent[] = []
    for await (const event of outer.stream({ n: 0 })) events.push(event)
    const custom = events.find((event) => event.type === 'custom')
    expect(custom).toMatchObject({ node: 'leaf', data: 'from the leaf', path: ['middle', 'inner'] })
    const ends = events
      .filter((event) => event.type === 'node-end')
      .map((event) => [event.node, event.path ?? []])
    expect(ends).toEqual([
      ['leaf', ['middle', 'inner']],
      ['inner', ['middle']],
      ['middle', []],
    ])
  })

  it('cancels a subgraph with its parent', async () => {
    const controller = new AbortController()
    let innerSignal: AbortSignal | undefined
    let started!: () => void
    const running = new Promise<void>((resolve) => {
      started = resolve
    })
    const inner = createGraph({ state, name: 'inner' })
      .addNode('wait', (_s, context) => {
        innerSignal = context.signal
        started()
        return new Promise(() => {})
      })
      .addEdge(START, 'wait')
      .compile()
    const outer = createGraph({ state }).addNode('sub', inner).addEdge(START, 'sub').compile()
    const run = outer.run({ n: 0 }, { signal: controller.signal })
    await running
    controller.abort()
    await expect(run).rejects.toMatchObject({ code: 'aborted' })
    expect(innerSignal?.aborted).toBe(true)
  })
})

describe('context.sleep', () => {
  it('waits, and rejects at once when the run is cancelled, leaving no timer', async () => {
    vi.useFakeTimers()
    try {
      const controller = new AbortController()
      let woke = 0
      const graph = createGraph({ state })
        .addNode('nap', async (s, context) => {
          await context.sleep(1_000)
          woke++
          await context.sleep(60_000)
          return { n: s.n + 1 }
        })
        .addEdge(START, 'nap')
        .compile()
      const run = graph.run({ n: 0 }, { signal: controller.signal }).catch((e: unknown) => e)
      await vi.advanceTimersByTimeAsync(1_000)
      expect(woke).toBe(1)
      controller.abort()
      expect(await run).toMatchObject({ code: 'aborted' })
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})

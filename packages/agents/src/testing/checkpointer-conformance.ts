import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert/strict'
import { z } from 'zod/v4'
import type { CheckpointRecord } from '../checkpoint/checkpoint-record'
import type { Checkpointer } from '../checkpoint/checkpointer'
import { CheckpointConflictError } from '../errors/graph-errors'
import { END, START } from '../graph/constants'
import { createGraph } from '../graph/create-graph'
import { interrupt } from '../run/interrupt'

/** One case of the checkpointer conformance kit: a name, and a function that throws when the store fails it. */
export interface ConformanceCase {
  name: string
  run(): Promise<void>
}

/**
 * The shared spec every {@link Checkpointer} must pass, for stores written by anyone. It is plain
 * assertions, so it runs under any test framework:
 *
 * ```ts
 * for (const test of checkpointerConformance(() => createMyStore())) it(test.name, test.run)
 * ```
 *
 * `create` is called once per case and should return an empty store (a fresh folder, a fresh
 * schema or key prefix); `cleanup`, when given, runs after each case with that store.
 */
export function checkpointerConformance(
  create: () => Checkpointer | Promise<Checkpointer>,
  cleanup?: (store: Checkpointer) => void | Promise<void>,
): ConformanceCase[] {
  const withStore = (name: string, body: (store: Checkpointer) => Promise<void>): ConformanceCase => ({
    name,
    async run() {
      const store = await create()
      try {
        await body(store)
      } finally {
        await cleanup?.(store)
      }
    },
  })
  const record = (step: number, extra: Record<string, unknown> = {}): CheckpointRecord => ({
    type: 'step',
    step,
    writes: [{ id: `${step}:n:0`, node: 'n', update: { step, ...extra } }],
    next: [{ id: `${step + 1}:n:0`, node: 'n' }],
    at: 1_700_000_000_000 + step,
  })

  return [
    withStore('reads an unknown thread as an empty log', async (store) => {
      deepStrictEqual([...(await store.read('never-written'))], [])
    }),
    withStore('appends records and reads them back equal, in order', async (store) => {
      await store.append('t', 0, [record(0), record(1)])
      await store.append('t', 2, [record(2)])
      deepStrictEqual([...(await store.read('t'))], [record(0), record(1), record(2)])
    }),
    withStore('refuses an append at the wrong length, writing nothing', async (store) => {
      await store.append('t', 0, [record(0)])
      for (const stale of [0, 2, 7]) {
        await rejects(store.append('t', stale, [record(9)]), (error) =>
          CheckpointConflictError.isInstance(error),
        )
      }
      await rejects(store.append('fresh', 1, [record(0)]), (error) =>
        CheckpointConflictError.isInstance(error),
      )
      deepStrictEqual([...(await store.read('t'))], [record(0)])
      deepStrictEqual([...(await store.read('fresh'))], [])
    }),
    withStore('lets exactly one of several racing writers win', async (store) => {
      await store.append('race', 0, [record(0)])
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, writer) => store.append('race', 1, [record(1, { writer })])),
      )
      const won = results.filter((result) => result.status === 'fulfilled')
      strictEqual(won.length, 1, `exactly one writer must win, ${won.length} did`)
      for (const result of results) {
        if (result.status === 'rejected')
          ok(CheckpointConflictError.isInstance(result.reason), String(result.reason))
      }
      strictEqual((await store.read('race')).length, 2)
    }),
    withStore('keeps threads apart, whatever their ids look like', async (store) => {
      const ids = ['a', 'A', '../escape', 'a/b', 'with space', 'ünïcödé-🧵', '.', '..', 'x'.repeat(200)]
      for (const [index, id] of ids.entries()) await store.append(id, 0, [record(index)])
      for (const [index, id] of ids.entries()) deepStrictEqual([...(await store.read(id))], [record(index)])
    }),
    withStore('round-trips JSON values exactly: unicode, nesting, a 1 MB string', async (store) => {
      const value = {
        text: 'é\u2028"\\\n🧵',
        nested: { list: [1, 2.5, -0.125, null, true, { deep: ['x'] }] },
        big: 'x'.repeat(1_000_000),
      }
      await store.append('v', 0, [record(0, value)])
      deepStrictEqual([...(await store.read('v'))], [record(0, value)])
    }),
    withStore('deletes a thread; deleting a missing one is not an error', async (store) => {
      await store.append('gone', 0, [record(0)])
      await store.delete('gone')
      deepStrictEqual([...(await store.read('gone'))], [])
      await store.delete('never-there')
      await store.append('gone', 0, [record(5)])
      deepStrictEqual([...(await store.read('gone'))], [record(5)])
    }),
    withStore(
      'carries a graph through an interrupt and a resume by another graph instance',
      async (store) => {
        const build = () =>
          createGraph({
            state: z.object({ log: z.array(z.string()) }),
            reducers: { log: (a, b) => [...a, ...b] },
          })
            .addNode('ask', () => ({ log: [`answer:${interrupt<string>('?')}`] }))
            .addNode('after', () => ({ log: ['after'] }))
            .addEdge(START, 'ask')
            .addEdge('ask', 'after')
            .addEdge('after', END)
            .compile({ checkpointer: store })
        const paused = await build().run({ log: [] }, { threadId: 'hitl' })
        strictEqual(paused.status, 'interrupted')
        const done = await build().resume('hitl', 'yes')
        deepStrictEqual(done.state, { log: ['answer:yes', 'after'] })
      },
    ),
  ]
}

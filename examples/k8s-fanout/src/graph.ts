// The fan-out graph. The host builds it with a Kubernetes executor on the heavy node; the worker
// (ql-worker, in each Job's pod) loads a bundle of this same module and takes its `graph` export
// to run the one task it was handed. Both sides must build the graph the same way.
import { createHash } from 'node:crypto'
import { hostname } from 'node:os'
import { createGraph, END, type Executor, START, send } from '@ql/agents'
import { z } from 'zod/v4'

/** How many SHA-256 rounds one item costs: the stand-in for real heavy work (a model call, a build). */
export const ROUNDS = 20_000

/** What the heavy node hands back for one item. */
export const resultSchema = z.object({
  item: z.string(),
  digest: z.string(),
  /** The pod that did the work (HOSTNAME is the pod name in Kubernetes and in the fake cluster). */
  pod: z.string(),
  pid: z.number(),
})
export type CrunchResult = z.infer<typeof resultSchema>

export const stateSchema = z.object({
  items: z.array(z.string()),
  results: z.array(resultSchema).default([]),
  summary: z.string().default(''),
})
export type FanoutState = z.infer<typeof stateSchema>

/** The heavy work for one item: `rounds` chained SHA-256 hashes. */
export function crunch(item: string, rounds = ROUNDS): string {
  let digest = createHash('sha256').update(item).digest()
  for (let round = 1; round < rounds; round++) digest = createHash('sha256').update(digest).digest()
  return digest.toString('hex').slice(0, 16)
}

/**
 * split → one `crunch` task per item (`send`) → join. With `executor`, every `crunch` task runs
 * as a Kubernetes Job; `split` and `join` stay in the host.
 */
export function fanoutGraph(executor?: Executor) {
  return createGraph({
    name: 'k8s-fanout',
    state: stateSchema,
    reducers: { results: (current: CrunchResult[], update: CrunchResult[]) => [...current, ...update] },
  })
    .addNode('split', () => ({}))
    .addNode<string>(
      'crunch',
      (_state, context) => {
        const item = String(context.input)
        const pod = process.env.HOSTNAME ?? hostname()
        return { results: [{ item, digest: crunch(item), pod, pid: process.pid }] }
      },
      {
        ...(executor === undefined ? {} : { executor }),
        timeoutMs: 5 * 60_000,
        retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 },
      },
    )
    .addNode('join', (state) => {
      const pods = new Set(state.results.map((result) => result.pod))
      return {
        summary: `${state.results.length} of ${state.items.length} items crunched in ${pods.size} pods`,
      }
    })
    .addEdge(START, 'split')
    .addConditionalEdges('split', (state) => state.items.map((item) => send('crunch', item)))
    .addEdge('crunch', 'join')
    .addEdge('join', END)
}

/** What ql-worker loads (`QL_GRAPH_MODULE`, export `graph`). */
export const graph = fanoutGraph().compile()

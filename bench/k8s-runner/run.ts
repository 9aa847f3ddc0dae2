// @ql/k8s-runner: dispatch N nodes (default 500) of a fan-out graph as Kubernetes Jobs through the
// fake cluster (in a child process, so the host's CPU is the executor's and the graph engine's),
// and print API requests per node and host CPU per node — beside a naive executor that polls each
// Job (GET every 250 ms) the way a hand-written integration often does. Each pod is a tiny shell
// command that writes a canned result, so the figures are the control plane's, not the work's.
//
//   cd bench && pnpm run bench:k8s-runner                 (500 nodes)
//   cd bench && pnpm run bench:k8s-runner --nodes 100
//   cd bench && pnpm run bench:k8s-runner --https        (TLS, as a real API server: handshakes count)

import { fork } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createGraph, END, type Executor, START, send } from '@ql/agents'
import { z } from 'zod/v4'
import {
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
} from '../../packages/k8s-runner/node_modules/@kubernetes/client-node/dist/index.js'
import { createKubernetesExecutor } from '../../packages/k8s-runner/src/index.ts'

const { values: flags } = parseArgs({
  options: {
    nodes: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '50' },
    https: { type: 'boolean', default: false },
  },
})
const NODES = Number(flags.nodes)
const CONCURRENCY = Number(flags.concurrency)

const child = fork(join(import.meta.dirname, 'fake-cluster-process.ts'), flags.https ? ['--https'] : [], {
  execArgv: [
    '--conditions=@ql/source',
    '--import',
    join(import.meta.dirname, '..', 'parser', 'register-ts.mjs'),
  ],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
const ask = <T>(type: string) =>
  new Promise<T>((resolve) => {
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== type) return
      child.off('message', onMessage)
      resolve(message)
    }
    child.on('message', onMessage)
    if (type !== 'ready') child.send({ type })
  })
const { url, token, certificate } = await ask<{ url: string; token: string; certificate?: string }>('ready')
const kubeConfig = new KubeConfig()
kubeConfig.loadFromOptions({
  clusters: [
    certificate === undefined
      ? { name: 'fake', server: url, skipTLSVerify: true }
      : { name: 'fake', server: url, caData: Buffer.from(certificate).toString('base64') },
  ],
  users: [{ name: 'fake', token }],
  contexts: [{ name: 'fake', cluster: 'fake', user: 'fake', namespace: 'default' }],
  currentContext: 'fake',
})

const RESULT = JSON.stringify({ ql: 'v1', result: { kind: 'ok', update: { done: ['x'] } } })
const COMMAND = ['sh', '-c', `printf '%s' '${RESULT}' > "$QL_TERMINATION_FILE"`]

function graphWith(executor: Executor) {
  return createGraph({
    name: 'bench',
    state: z.object({ n: z.number(), done: z.array(z.string()).default([]) }),
    reducers: { done: (a: string[], b: string[]) => [...a, ...b] },
  })
    .addNode('split', () => ({}))
    .addNode('work', () => ({ done: ['local'] }), { executor })
    .addEdge(START, 'split')
    .addConditionalEdges('split', (state) => Array.from({ length: state.n }, (_, k) => send('work', k)))
    .addEdge('work', END)
    .compile()
}

/** What a quick hand-written integration does: create, then GET the Job every 250 ms until it ends. */
function pollingExecutor(): Executor {
  const batch = kubeConfig.makeApiClient(BatchV1Api)
  const core = kubeConfig.makeApiClient(CoreV1Api)
  let active = 0
  const queue: (() => void)[] = []
  return {
    async execute(task) {
      if (active >= CONCURRENCY) await new Promise<void>((resolve) => queue.push(resolve))
      active++
      try {
        const name = `poll-${task.threadId}-${task.taskId.replaceAll(':', '-')}`.toLowerCase().slice(0, 60)
        await core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name }, data: { 'task.json': JSON.stringify(task) } },
        })
        await batch.createNamespacedJob({
          namespace: 'default',
          body: {
            metadata: { name },
            spec: {
              backoffLimit: 0,
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [
                    {
                      name: 'worker',
                      image: 'x',
                      command: COMMAND,
                      env: [{ name: 'QL_TERMINATION_FILE', value: '/dev/termination-log' }],
                    },
                  ],
                },
              },
            },
          },
        })
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 250))
          const job = await batch.readNamespacedJob({ name, namespace: 'default' })
          if (job.status?.conditions?.some((c) => c.type === 'Complete' || c.type === 'Failed')) break
        }
        const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: `job-name=${name}` })
        const message = pods.items[0]?.status?.containerStatuses?.[0]?.state?.terminated?.message ?? '{}'
        await core.deleteNamespacedConfigMap({ name, namespace: 'default' })
        return (JSON.parse(message) as { result: never }).result
      } finally {
        active--
        queue.shift()?.()
      }
    },
  }
}

interface Stats {
  total: number
  byVerb: Record<string, number>
  connections: number
  handshakes: number
}

async function measure(
  label: string,
  executor: Executor & { close?: () => Promise<void> },
  threadId: string,
) {
  await ask('reset')
  const graph = graphWith(executor)
  const cpu = process.cpuUsage()
  const started = performance.now()
  const { state } = await graph.run({ n: NODES }, { threadId })
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  await executor.close?.()
  if (state.done.length !== NODES)
    throw new Error(`${label}: ${state.done.length} results, expected ${NODES}`)
  const stats = await ask<Stats>('stats')
  const hostCpuMs = (used.user + used.system) / 1000
  return { label, stats, hostCpuMs, wallMs }
}

console.log(
  `@ql/k8s-runner dispatch: ${NODES} nodes, concurrency ${CONCURRENCY}, ${flags.https ? 'HTTPS' : 'HTTP'}; ${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}`,
)
const ql = await measure(
  '@ql/k8s-runner (one watch)',
  createKubernetesExecutor({
    kubeConfig,
    image: 'bench',
    command: COMMAND,
    concurrency: CONCURRENCY,
    watchIdleMs: 0,
  }),
  'ql',
)
const polling = await measure('naive per-Job polling (250 ms)', pollingExecutor(), 'poll')

const rows = [ql, polling]
console.log('')
console.log(
  '| executor | API requests / node | connections (TLS handshakes) | host CPU / node | wall | requests by verb |',
)
console.log('|---|---:|---:|---:|---:|---|')
for (const row of rows) {
  const verbs = Object.entries(row.stats.byVerb)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([verb, count]) => `${verb} ${count}`)
    .join(', ')
  console.log(
    `| ${row.label} | ${(row.stats.total / NODES).toFixed(2)} | ${row.stats.connections} (${row.stats.handshakes}) | ${((row.hostCpuMs * 1000) / NODES).toFixed(0)} µs | ${(row.wallMs / 1000).toFixed(1)} s | ${verbs} |`,
  )
}
console.log('')
console.log(
  `ratio (polling / @ql): API requests ${(polling.stats.total / ql.stats.total).toFixed(2)}x, host CPU ${(polling.hostCpuMs / ql.hostCpuMs).toFixed(2)}x`,
)
const perNode = ql.stats.total / NODES
console.log(
  `goal: <= 5 API requests per node and no per-Job polling: ${perNode <= 5 && !ql.stats.byVerb['get jobs'] ? 'met' : 'NOT met'} (${perNode.toFixed(2)}, ${ql.stats.byVerb['get jobs'] ?? 0} Job GETs)`,
)
child.send({ type: 'close' })

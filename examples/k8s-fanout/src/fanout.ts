// Runs the fan-out: on the fake cluster of @ql/k8s-runner/testing (offline, every pod a local
// process) unless a real cluster is asked for, in which case Jobs go to the cluster in KUBECONFIG.
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { createKubernetesExecutor, type KubernetesExecutor } from '@ql/k8s-runner'
import { type FakeCluster, startFakeCluster } from '@ql/k8s-runner/testing'
import { bundleWorker } from './bundle'
import { type CrunchResult, fanoutGraph } from './graph'

/** Where the Jobs go when not on the fake cluster. */
export interface RealClusterOptions {
  /** The worker image (built from `Dockerfile.example`, see the README). */
  image: string
  /** Default: the kubeconfig context's namespace, else `default`. */
  namespace?: string
  /** The graph module inside the image (default `/app/dist/graph.mjs`). */
  workerModule?: string
  /** The container's command (default `['ql-worker']`, the bin of @ql/k8s-runner in the image). */
  command?: string[]
}

export interface FanoutOptions {
  /** How many items to fan out (one Job each). */
  items: number
  /** Omit for the fake cluster. */
  cluster?: RealClusterOptions
  /** Where progress lines go (default: nowhere). */
  print?: (line: string) => void
  /** Max Jobs at once (default 16). */
  concurrency?: number
  /** The thread id (default a fresh one): it names and labels the run's Jobs. */
  threadId?: string
}

/** One Job the run created. */
export interface FanoutJob {
  name: string
  /** How many pod processes the fake cluster started for it (fake cluster only). */
  processStarts?: number
}

export interface FanoutResult {
  mode: 'fake' | 'cluster'
  threadId: string
  results: CrunchResult[]
  summary: string
  jobs: FanoutJob[]
  /** Jobs and pods of the run still in the cluster after cleanup (the fake cluster only; 0 expected). */
  leftover?: { jobs: number; pods: number }
  /** The label selector of the run's objects, for `kubectl get jobs,pods -l …`. */
  selector: string
}

const WORKDIR = join(import.meta.dirname, '..', '.tmp')

/** Runs `items` items through split → crunch (as Jobs) → join, then deletes the run's objects. */
export async function runFanout(options: FanoutOptions): Promise<FanoutResult> {
  const print = options.print ?? (() => {})
  const threadId = options.threadId ?? `fanout-${randomUUID().slice(0, 8)}`
  const items = Array.from({ length: options.items }, (_, k) => `item-${k + 1}`)
  if (options.cluster !== undefined) {
    const { cluster } = options
    print(`real cluster (KUBECONFIG), image ${cluster.image}: ${items.length} Jobs`)
    const executor = createKubernetesExecutor({
      image: cluster.image,
      ...(cluster.namespace === undefined ? {} : { namespace: cluster.namespace }),
      ...(cluster.command === undefined ? {} : { command: cluster.command }),
      worker: { module: cluster.workerModule ?? '/app/dist/graph.mjs' },
      concurrency: options.concurrency ?? 16,
    })
    return run(executor, 'cluster', threadId, items, print)
  }

  print(
    `offline: a fake Kubernetes cluster on 127.0.0.1 runs each pod as a local process (the image is ignored)`,
  )
  const bundles = join(WORKDIR, `bundles-${process.pid}-${threadId}`)
  let fake: FakeCluster | undefined
  try {
    const [bundle, started] = await Promise.all([bundleWorker(bundles), startFakeCluster()])
    fake = started
    print(`fake cluster at ${fake.url}`)
    const executor = createKubernetesExecutor({
      kubeConfig: fake.kubeConfig(),
      image: 'registry.example.com/k8s-fanout:1',
      command: [process.execPath, bundle.workerEntry],
      worker: { module: bundle.graphModule },
      concurrency: options.concurrency ?? 16,
    })
    return await run(executor, 'fake', threadId, items, print, fake)
  } finally {
    await fake?.close()
    rmSync(bundles, { recursive: true, force: true })
  }
}

const ofThread = (threadId: string) => (object: { metadata: { annotations?: Record<string, string> } }) =>
  object.metadata.annotations?.['ql.dev/thread-id'] === threadId

async function run(
  executor: KubernetesExecutor,
  mode: 'fake' | 'cluster',
  threadId: string,
  items: string[],
  print: (line: string) => void,
  fake?: FakeCluster,
): Promise<FanoutResult> {
  const selector = executor.selectorFor(threadId)
  try {
    const graph = fanoutGraph(executor).compile()
    const stream = graph.stream({ items }, { threadId })
    for await (const event of stream) {
      if (event.type === 'node-retry')
        print(`retrying ${event.node} (${event.taskId}): ${String(event.error)}`)
      if (event.type === 'node-end' && event.node === 'crunch') {
        const [result] = (event.update as { results?: CrunchResult[] }).results ?? []
        if (result !== undefined)
          print(`  ${result.item} → ${result.digest} (pod ${result.pod}, pid ${result.pid})`)
      }
    }
    const { state } = await stream.result
    const jobs: FanoutJob[] =
      fake === undefined
        ? []
        : fake
            .list('jobs')
            .filter(ofThread(threadId))
            .map((job) => ({
              name: job.metadata.name,
              processStarts: fake.processStarts.get(job.metadata.name) ?? 0,
            }))
    print(state.summary)
    if (jobs.length > 0) {
      print(`Jobs it ran (${jobs.length}):`)
      for (const job of jobs) print(`  ${job.name}  (pod processes started: ${job.processStarts})`)
    } else print(`Jobs: kubectl get jobs,pods -l ${selector}`)

    // the run is over: delete its anchor, and with it (garbage collection) every Job and pod
    await executor.deleteRun(threadId)
    let leftover: FanoutResult['leftover']
    if (fake !== undefined) {
      await fake.waitFor(
        () =>
          fake.list('jobs').filter(ofThread(threadId)).length === 0 &&
          fake.list('pods').filter(ofThread(threadId)).length === 0,
        { message: "the run's Jobs and pods are deleted" },
      )
      leftover = {
        jobs: fake.list('jobs').filter(ofThread(threadId)).length,
        pods: fake.list('pods').filter(ofThread(threadId)).length,
      }
      print(`cleaned up: ${leftover.jobs} Jobs and ${leftover.pods} pods left`)
    } else print(`cleaned up: deleted the run's anchor ConfigMap; its Jobs and pods go with it`)
    return {
      mode,
      threadId,
      results: state.results,
      summary: state.summary,
      jobs,
      ...(leftover === undefined ? {} : { leftover }),
      selector,
    }
  } finally {
    await executor.close()
  }
}

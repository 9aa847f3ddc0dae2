import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFileCheckpointer } from '@ql/agents'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKubernetesExecutor } from '../src/index'
import { type FakeCluster, type FakeObject, startFakeCluster } from '../src/testing/index'
import { fanOutGraph } from './fixtures/fan-out-graph'
import { BUNDLE_TIMEOUT, BUNDLES, bundle, bundleWorker, PROCESS_TEST_TIMEOUT, removeBundles } from './helpers'

let cluster: FakeCluster
let worker: Awaited<ReturnType<typeof bundleWorker>>
let host: string

beforeAll(async () => {
  ;[worker, host] = await Promise.all([
    bundleWorker(),
    bundle(join(import.meta.dirname, 'fixtures', 'resume-host.ts'), 'resume-host', [
      '@kubernetes/client-node',
    ]),
  ])
  cluster = await startFakeCluster()
}, BUNDLE_TIMEOUT)
afterAll(async () => {
  await cluster?.close()
  removeBundles()
})

const finished = (job: FakeObject | undefined) =>
  ((job?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Complete' && c.status === 'True',
  )

describe('a host killed mid-run', () => {
  it(
    'resumes in another process without starting a finished node’s Job again',
    async () => {
      const directory = join(BUNDLES, 'checkpoints')
      const gate = join(BUNDLES, 'gate-open')
      const items = ['ok-a', 'ok-b', `gate:${gate}`]
      const threadId = 'killed-host'
      const child: ChildProcess = spawn(
        process.execPath,
        [
          host,
          cluster.url,
          cluster.token,
          directory,
          threadId,
          JSON.stringify(worker.command),
          worker.worker.module,
          ...items,
        ],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      )
      const jobs = () =>
        cluster.list('jobs').filter((job) => job.metadata.annotations?.['ql.dev/thread-id'] === threadId)
      // two nodes finished, the third is running: then the host dies
      await cluster.waitFor(
        () =>
          jobs().length === 3 &&
          jobs().filter(finished).length === 2 &&
          cluster
            .list('pods')
            .some(
              (pod) =>
                pod.metadata.annotations?.['ql.dev/thread-id'] === threadId &&
                (pod.status as { phase?: string }).phase === 'Running',
            ),
        { message: 'two finished Jobs and one running pod', timeoutMs: 120_000 },
      )
      const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
      child.kill('SIGKILL')
      expect(await exited).toBe('SIGKILL')
      const before = new Map(jobs().map((job) => [job.metadata.name, job.metadata.uid]))

      // another host resumes the thread from its checkpoints
      await using executor = createKubernetesExecutor({
        kubeConfig: cluster.kubeConfig(),
        image: 'registry.example.com/fan-out:1',
        command: worker.command,
        worker: worker.worker,
      })
      const graph = fanOutGraph(executor).compile({ checkpointer: createFileCheckpointer(directory) })
      cluster.resetRequests()
      const resumed = graph.resume(threadId)
      // the running Job is adopted as it is; only then may its node finish
      await cluster.waitFor(
        () =>
          cluster.requests.filter((r) => r.verb === 'create' && r.resource === 'jobs' && r.status === 409)
            .length === 3,
        { message: 'three Jobs adopted' },
      )
      writeFileSync(gate, 'open')
      const result = await resumed
      expect(result.status).toBe('done')
      expect(result.state.results).toHaveLength(3)
      expect(executor.stats()).toMatchObject({ created: 0, adopted: 3 })
      // the same three Jobs, each of which ran exactly one pod process
      expect(new Map(jobs().map((job) => [job.metadata.name, job.metadata.uid]))).toEqual(before)
      for (const name of before.keys()) expect(cluster.processStarts.get(name)).toBe(1)
      // and no result came from this process
      expect(result.state.results.some((r) => r.endsWith(`:${process.pid}`))).toBe(false)
    },
    PROCESS_TEST_TIMEOUT,
  )
})

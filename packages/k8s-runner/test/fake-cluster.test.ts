// The fake cluster through the real @kubernetes/client-node: what it promises beyond what the
// executor tests already use.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BatchV1Api, CoreV1Api, type V1Job, Watch } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeCluster, startFakeCluster } from '../src/testing/index'
import { PROCESS_TEST_TIMEOUT } from './helpers'

let cluster: FakeCluster
let batch: BatchV1Api
let core: CoreV1Api
beforeAll(async () => {
  cluster = await startFakeCluster({ bookmarkIntervalMs: 0, historyLimit: 50 })
  batch = cluster.kubeConfig().makeApiClient(BatchV1Api)
  core = cluster.kubeConfig().makeApiClient(CoreV1Api)
})
afterAll(() => cluster.close())

const job = (name: string, command: string[], spec: Partial<NonNullable<V1Job['spec']>> = {}): V1Job => ({
  metadata: { name, labels: { suite: 'fake', name } },
  spec: {
    backoffLimit: 0,
    ...spec,
    template: {
      metadata: { labels: { suite: 'fake' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'any', command }] },
    },
  },
})
const condition = (name: string, type: string) =>
  (
    (cluster.get('jobs', 'default', name)?.status as { conditions?: { type: string }[] })?.conditions ?? []
  ).some((c) => c.type === type)
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: { code: number; body: string }) => ({ code: e.code, body: JSON.parse(e.body) }),
  )

describe('startFakeCluster', () => {
  it(
    "maps a pod's /tmp mount to its own directory, but leaves a file this machine has under /tmp alone",
    async () => {
      const hostDir = mkdtempSync(join(tmpdir(), 'ql-fake-host-'))
      const script = join(hostDir, 'hello.sh')
      writeFileSync(script, 'echo from-host-file\n')
      try {
        const body = job('mounts', [
          'sh',
          '-c',
          `sh ${script}; echo in-pod > /tmp/own.txt; cat /tmp/own.txt; ls ${hostDir}`,
        ])
        const container = body.spec?.template.spec?.containers[0]
        if (container !== undefined) container.volumeMounts = [{ name: 'tmp', mountPath: '/tmp' }]
        const podSpec = body.spec?.template.spec
        if (podSpec !== undefined) podSpec.volumes = [{ name: 'tmp', emptyDir: {} }]
        await batch.createNamespacedJob({ namespace: 'default', body })
        await cluster.waitFor(() => condition('mounts', 'Complete'))
        const pod = cluster.list('pods').find((p) => p.metadata.labels?.['job-name'] === 'mounts')
        const log = await core.readNamespacedPodLog({
          name: pod?.metadata.name as string,
          namespace: 'default',
        })
        // the host's script ran from where it is; the pod's own /tmp file went to its emptyDir
        expect(log).toBe('from-host-file\nin-pod\nhello.sh\n')
        expect(existsSync('/tmp/own.txt')).toBe(false)
      } finally {
        rmSync(hostDir, { recursive: true, force: true })
      }
    },
    PROCESS_TEST_TIMEOUT,
  )

  it('answers with Status bodies: 404, 409, 422', async () => {
    expect(
      await rejection(core.readNamespacedConfigMap({ name: 'absent', namespace: 'default' })),
    ).toMatchObject({
      code: 404,
      body: { kind: 'Status', reason: 'NotFound', message: 'configmaps "absent" not found', code: 404 },
    })
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'twice' }, data: {} },
    })
    expect(
      await rejection(
        core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'twice' } } }),
      ),
    ).toMatchObject({
      code: 409,
      body: { reason: 'AlreadyExists', details: { name: 'twice' } },
    })
    expect(
      await rejection(
        core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'Bad_Name' } } }),
      ),
    ).toMatchObject({
      code: 422,
      body: { reason: 'Invalid', details: { causes: [{ field: 'metadata.name' }] } },
    })
    const noRestart = job('no-restart', ['true'])
    ;(noRestart.spec as any).template.spec.restartPolicy = 'Always'
    expect(
      await rejection(batch.createNamespacedJob({ namespace: 'default', body: noRestart })),
    ).toMatchObject({ code: 422 })
    expect(
      await rejection(
        core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: 'huge' }, data: { a: 'x'.repeat(1024 * 1024 + 1) } },
        }),
      ),
    ).toMatchObject({ code: 422, body: { message: expect.stringContaining('1048576 bytes') } })
  })

  it('lists with label and field selectors', async () => {
    for (const [name, tier] of [
      ['sel-a', 'web'],
      ['sel-b', 'db'],
      ['sel-c', 'cache'],
    ]) {
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: name as string, labels: { app: 'sel', tier: tier as string } } },
      })
    }
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedConfigMap({ namespace: 'default', labelSelector, fieldSelector })).items.map(
        (i) => i.metadata?.name,
      )
    expect(await names('app=sel,tier in (web, db)')).toEqual(['sel-a', 'sel-b'])
    expect(await names('app==sel,tier!=web')).toEqual(['sel-b', 'sel-c'])
    expect(await names('app=sel,tier notin (db)')).toEqual(['sel-a', 'sel-c'])
    expect(await names('tier,!missing,app=sel')).toEqual(['sel-a', 'sel-b', 'sel-c'])
    expect(await names(undefined, 'metadata.name=sel-c')).toEqual(['sel-c'])
    expect(await names('app=sel', 'metadata.name!=sel-c')).toEqual(['sel-a', 'sel-b'])
    expect(
      await rejection(core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'a in b' })),
    ).toMatchObject({ code: 400 })
  })

  it('watches from a resource version, with bookmarks, and answers 410 Gone once the history is forgotten', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'app=watch' })
    const events: string[] = []
    const waiting: { count: number; resolve: () => void }[] = []
    const received = (count: number) =>
      new Promise<void>((resolve) => {
        if (events.length >= count) resolve()
        else waiting.push({ count, resolve })
      })
    let done!: () => void
    const ended = new Promise<void>((resolve) => {
      done = resolve
    })
    const controller = await new Watch(cluster.kubeConfig()).watch(
      '/api/v1/namespaces/default/configmaps',
      {
        labelSelector: 'app=watch',
        allowWatchBookmarks: true,
        resourceVersion: list.metadata?.resourceVersion,
      },
      (type, object) => {
        events.push(`${type} ${object.metadata?.name ?? ''}`)
        for (const w of waiting.filter((w) => events.length >= w.count)) w.resolve()
      },
      () => done(),
    )
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'w1', labels: { app: 'watch' } } },
    })
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'other' } } })
    await core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' })
    await received(2)
    cluster.sendBookmarks()
    await received(3)
    expect(events).toEqual(['ADDED w1', 'DELETED w1', 'BOOKMARK '])
    controller.abort()
    await ended

    cluster.expireWatchHistory()
    const expired: { type: string; code?: number }[] = []
    await new Promise<void>((resolve) => {
      new Watch(cluster.kubeConfig()).watch(
        '/api/v1/namespaces/default/configmaps',
        { resourceVersion: list.metadata?.resourceVersion },
        (type, object) => expired.push({ type, code: object.code }),
        () => resolve(),
      )
    })
    expect(expired).toEqual([{ type: 'ERROR', code: 410 }])
  })

  it(
    'deletes with propagation policies: Orphan keeps the pods, Foreground removes them first',
    async () => {
      await batch.createNamespacedJob({
        namespace: 'default',
        body: job('orphan', ['sh', '-c', 'exec sleep 60']),
      })
      await cluster.waitFor(() =>
        cluster
          .list('pods')
          .some((p) => p.metadata.labels?.['job-name'] === 'orphan' && (p.status as any).phase === 'Running'),
      )
      await batch.deleteNamespacedJob({ name: 'orphan', namespace: 'default', propagationPolicy: 'Orphan' })
      const orphaned = cluster.list('pods').find((p) => p.metadata.labels?.['job-name'] === 'orphan')
      expect(orphaned?.metadata.ownerReferences).toEqual([])
      await core.deleteNamespacedPod({
        name: orphaned?.metadata.name as string,
        namespace: 'default',
        gracePeriodSeconds: 0,
      })
      await cluster.waitFor(
        () => !cluster.list('pods').some((p) => p.metadata.labels?.['job-name'] === 'orphan'),
      )

      await batch.createNamespacedJob({
        namespace: 'default',
        body: job('foreground', ['sh', '-c', 'exec sleep 60']),
      })
      await cluster.waitFor(() =>
        cluster
          .list('pods')
          .some(
            (p) => p.metadata.labels?.['job-name'] === 'foreground' && (p.status as any).phase === 'Running',
          ),
      )
      const returned = await batch.deleteNamespacedJob({
        name: 'foreground',
        namespace: 'default',
        propagationPolicy: 'Foreground',
      })
      expect(returned).toBeDefined()
      await cluster.waitFor(
        () =>
          cluster.get('jobs', 'default', 'foreground') === undefined &&
          !cluster.list('pods').some((p) => p.metadata.labels?.['job-name'] === 'foreground'),
      )
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'streams a pod log with follow, cuts it with tailLines and limitBytes, and cleans up after the TTL',
    async () => {
      await batch.createNamespacedJob({
        namespace: 'default',
        body: job('logs', ['sh', '-c', 'echo one; echo two; echo three']),
      })
      const pod = await (async () => {
        await cluster.waitFor(() =>
          cluster
            .list('pods')
            .some(
              (p) => p.metadata.labels?.['job-name'] === 'logs' && (p.status as any).phase === 'Succeeded',
            ),
        )
        return cluster.list('pods').find((p) => p.metadata.labels?.['job-name'] === 'logs')?.metadata
          .name as string
      })()
      expect(await core.readNamespacedPodLog({ name: pod, namespace: 'default', tailLines: 2 })).toBe(
        'two\nthree\n',
      )
      expect(await core.readNamespacedPodLog({ name: pod, namespace: 'default', limitBytes: 3 })).toBe('one')
      expect(await core.readNamespacedPodLog({ name: pod, namespace: 'default', follow: true })).toBe(
        'one\ntwo\nthree\n',
      )
      // ttlSecondsAfterFinished: 0 removes a Job and its pod once it finished
      await batch.createNamespacedJob({
        namespace: 'default',
        body: job('ttl', ['true'], { ttlSecondsAfterFinished: 0 }),
      })
      await cluster.waitFor(() => condition('ttl', 'Complete'))
      await cluster.waitFor(
        () =>
          cluster.get('jobs', 'default', 'ttl') === undefined &&
          !cluster.list('pods').some((p) => p.metadata.labels?.['job-name'] === 'ttl'),
      )
    },
    PROCESS_TEST_TIMEOUT,
  )

  it(
    'follows a running pod log until the container ends, and retries a pod up to backoffLimit',
    async () => {
      await batch.createNamespacedJob({
        namespace: 'default',
        body: job('retry', ['sh', '-c', 'echo attempt; exit 1'], { backoffLimit: 1 }),
      })
      await cluster.waitFor(() => condition('retry', 'Failed'), { message: 'the Job failed after two pods' })
      expect(cluster.list('pods').filter((p) => p.metadata.labels?.['job-name'] === 'retry')).toHaveLength(2)
      expect(cluster.get('jobs', 'default', 'retry')?.status).toMatchObject({ failed: 2 })
      expect(condition('retry', 'FailureTarget')).toBe(true)

      await batch.createNamespacedJob({
        namespace: 'default',
        body: job('follow', ['sh', '-c', 'echo first; read line; echo never']),
      })
      await cluster.waitFor(() =>
        cluster
          .list('pods')
          .some((p) => p.metadata.labels?.['job-name'] === 'follow' && (p.status as any).phase === 'Running'),
      )
      const name = cluster.list('pods').find((p) => p.metadata.labels?.['job-name'] === 'follow')?.metadata
        .name as string
      // Running only means the process started: read the log until its first line is there (each
      // read is a request the fake serves; no timer), so deleting the Job cannot beat the echo
      while (!(await core.readNamespacedPodLog({ name, namespace: 'default' })).includes('first\n')) {}
      const followed = core.readNamespacedPodLog({ name, namespace: 'default', follow: true })
      await batch.deleteNamespacedJob({
        name: 'follow',
        namespace: 'default',
        propagationPolicy: 'Background',
      })
      expect(await followed).toContain('first\n')
    },
    PROCESS_TEST_TIMEOUT,
  )

  it('refuses requests without the token, and serves kubectl tables', async () => {
    const wrong = cluster.kubeConfig()
    wrong.users = [{ name: 'fake', token: 'nope' }]
    expect(
      await rejection(
        wrong
          .makeApiClient(CoreV1Api)
          .listNamespacedPod({ namespace: 'default' })
          .then(
            () => undefined,
            (e) => Promise.reject({ code: e.code, body: '{}' }),
          ),
      ),
    ).toMatchObject({ code: 401 })
    const response = await fetch(`${cluster.url}/apis/batch/v1/namespaces/default/jobs`, {
      headers: {
        authorization: `Bearer ${cluster.token}`,
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      },
    })
    const table = (await response.json()) as { kind: string; columnDefinitions: { name: string }[] }
    expect(table.kind).toBe('Table')
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Status',
      'Completions',
      'Duration',
      'Age',
    ])
    const missing = await fetch(`${cluster.url}/apis/apps/v1/namespaces/default/deployments`, {
      headers: { authorization: `Bearer ${cluster.token}` },
    })
    expect(missing.status).toBe(404)
  })
})

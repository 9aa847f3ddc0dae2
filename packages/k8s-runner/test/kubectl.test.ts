// What a user debugging a run reaches for: kubectl against the fake cluster (Debian's
// kubernetes-client package, or any kubectl on PATH). Skipped, saying so, when there is none.
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKubernetesExecutor } from '../src/index'
import { type FakeCluster, startFakeCluster } from '../src/testing/index'
import { PROCESS_TEST_TIMEOUT, replyWith } from './helpers'

const kubectlVersion = (() => {
  try {
    return execFileSync('kubectl', ['version', '--client'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')[0]
      ?.trim()
  } catch {
    return undefined
  }
})()
if (kubectlVersion === undefined) {
  console.warn(
    'SKIPPED: the kubectl tests need kubectl on PATH (apt-get install -y kubernetes-client); none found.',
  )
}

let cluster: FakeCluster
let kubeconfig: string
let directory: string
beforeAll(async () => {
  cluster = await startFakeCluster({ anonymous: true })
  const parent = join(import.meta.dirname, '..', '.tmp')
  mkdirSync(parent, { recursive: true })
  directory = mkdtempSync(join(parent, 'kubectl-'))
  kubeconfig = cluster.writeKubeconfig(join(directory, 'kubeconfig'))
})
afterAll(async () => {
  await cluster?.close()
  rmSync(directory, { recursive: true, force: true })
})

/** Runs kubectl without blocking this process (the fake cluster answers from it). */
function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : Number((error as { code?: number }).code ?? 1),
          stdout,
          stderr,
        }),
    )
  })
}

describe.skipIf(kubectlVersion === undefined)(
  `kubectl (${kubectlVersion ?? 'absent'}) against the fake cluster`,
  () => {
    it(
      'gets, describes, reads logs of and deletes the Jobs of a run',
      async () => {
        await using executor = createKubernetesExecutor({
          kubeConfig: cluster.kubeConfig(),
          image: 'registry.example.com/worker:1',
          command: replyWith({ kind: 'ok', update: {} }, 'echo "working on it"; '),
        })
        const threadId = 'kubectl-run'
        const task = {
          graph: 'g',
          threadId,
          step: 0,
          taskId: '0:review:0',
          node: 'review',
          attempt: 1,
          state: {},
          answers: {},
          memo: {},
        }
        await executor.execute(task, new AbortController().signal)
        const selector = executor.selectorFor(threadId)
        const [job] = cluster.list('jobs')
        const [pod] = cluster.list('pods')

        const get = await kubectl('get', 'jobs,pods', '-l', selector)
        expect(get.code, get.stderr).toBe(0)
        expect(get.stdout).toMatch(new RegExp(`job\\.batch/${job?.metadata.name}\\s+Complete\\s+1/1`))
        expect(get.stdout).toMatch(new RegExp(`pod/${pod?.metadata.name}\\s+0/1\\s+Completed`))

        const logs = await kubectl('logs', `job/${job?.metadata.name}`)
        expect(logs.code, logs.stderr).toBe(0)
        expect(logs.stdout).toBe('working on it\n')

        const describeJob = await kubectl('describe', 'job', job?.metadata.name as string)
        expect(describeJob.code, describeJob.stderr).toBe(0)
        expect(describeJob.stdout).toMatch(/Backoff Limit:\s+0/)
        expect(describeJob.stdout).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/)
        expect(describeJob.stdout).toMatch(/Normal\s+SuccessfulCreate/)

        const names = await kubectl('get', 'jobs', '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}')
        expect(names.stdout).toBe(job?.metadata.name)

        const deleted = await kubectl('delete', 'job', job?.metadata.name as string, '--cascade=background')
        expect(deleted.code, deleted.stderr).toBe(0)
        expect(deleted.stdout).toContain(`job.batch "${job?.metadata.name}" deleted`)
        await cluster.waitFor(() => cluster.list('jobs').length === 0 && cluster.list('pods').length === 0, {
          message: 'the Job and its pod are gone',
        })
        const empty = await kubectl('get', 'jobs,pods', '-l', selector)
        expect(empty.stdout + empty.stderr).toContain('No resources found')
      },
      PROCESS_TEST_TIMEOUT,
    )

    it(
      'gets a 404 it can read for a Job that does not exist',
      async () => {
        const missing = await kubectl('get', 'job', 'nope')
        expect(missing.code).not.toBe(0)
        expect(missing.stderr).toContain('jobs.batch "nope" not found')
      },
      PROCESS_TEST_TIMEOUT,
    )
  },
)

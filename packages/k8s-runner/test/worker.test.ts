import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ExecutorTask } from '@ql/agents'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { runWorker } from '../src/index'
import { workerMain } from '../src/worker/run-worker'

const graphModule = join(import.meta.dirname, 'fixtures', 'fan-out-graph.ts')
const storeModule = join(import.meta.dirname, 'fixtures', 'worker-store.ts')
let directory: string
beforeAll(() => {
  const parent = join(import.meta.dirname, '..', '.tmp')
  mkdirSync(parent, { recursive: true })
  directory = mkdtempSync(join(parent, 'worker-'))
})
afterAll(() => rmSync(directory, { recursive: true, force: true }))
afterEach(() => vi.restoreAllMocks())

let counter = 0
function files(input: string) {
  counter++
  const task: ExecutorTask = {
    graph: 'fan-out',
    threadId: 't',
    step: 1,
    taskId: `1:work:${counter}`,
    node: 'work',
    attempt: 1,
    state: { items: [input], results: [] },
    input,
    answers: {},
    memo: {},
  }
  const taskFile = join(directory, `task-${counter}.json`)
  const terminationFile = join(directory, `termination-${counter}`)
  writeFileSync(taskFile, JSON.stringify(task))
  return { taskFile, terminationFile, message: () => JSON.parse(readFileSync(terminationFile, 'utf8')) }
}

function captureStdout(): string[] {
  const lines: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk))
    return true
  })
  return lines
}

describe('runWorker', () => {
  it('runs the task and puts a small result in the termination message', async () => {
    const { taskFile, terminationFile, message } = files('ok-1')
    const outcome = await runWorker({ module: graphModule, taskFile, terminationFile, env: {} })
    expect(outcome).toMatchObject({ exitCode: 0, via: 'termination-message' })
    expect(message()).toEqual({
      ql: 'v1',
      result: { kind: 'ok', update: { results: [`ok-1:1:${process.pid}`] } },
    })
  })

  it('prints a larger result as one marked log line', async () => {
    const { taskFile, terminationFile, message } = files('big-8000')
    const stdout = captureStdout()
    const outcome = await runWorker({ module: graphModule, taskFile, terminationFile, env: {} })
    expect(outcome.via).toBe('log')
    expect(message()).toEqual({ ql: 'v1', log: expect.any(Number) })
    expect(stdout.join('')).toMatch(/^@@ql-result v1 \{"kind":"ok".*\}\n$/)
  })

  it('puts a result over the limit in the result store, or refuses it without one', async () => {
    const stored = files('big-5000')
    const outcome = await runWorker({
      module: storeModule,
      exportName: 'graph',
      resultStoreExport: 'results',
      maxResultBytes: 1000,
      taskFile: stored.taskFile,
      terminationFile: stored.terminationFile,
      env: {},
    })
    expect(outcome.via).toBe('store')
    const { store, bytes } = stored.message()
    const { results } = (await import(storeModule)) as typeof import('./fixtures/worker-store')
    expect(JSON.parse((await results.get(store)) as string)).toEqual(outcome.result)
    expect(bytes).toBeGreaterThan(5000)

    const refused = files('big-5000')
    const outcome2 = await runWorker({ module: graphModule, maxResultBytes: 1000, ...refused, env: {} })
    expect(outcome2.result).toMatchObject({ kind: 'error', error: { code: 'payload_too_large' } })
    expect(refused.message().result.error.message).toMatch(/over the limit of 1000/)
  })

  it('reports what it could not run as a typed error, exit code 1', async () => {
    const a = files('ok-2')
    expect(
      await runWorker({ taskFile: a.taskFile, terminationFile: a.terminationFile, env: {} }),
    ).toMatchObject({
      exitCode: 1,
      result: {
        kind: 'error',
        error: { code: 'invalid_request', message: expect.stringContaining('QL_GRAPH_MODULE') },
      },
    })
    const b = files('ok-3')
    const wrongExport = await runWorker({ module: graphModule, exportName: 'fanOutGraphX', ...b, env: {} })
    expect(wrongExport.result).toMatchObject({
      error: { message: expect.stringContaining('not a compiled graph') },
    })
    const c = files('ok-4')
    const missing = await runWorker({
      module: graphModule,
      taskFile: join(directory, 'nope.json'),
      terminationFile: c.terminationFile,
      env: {},
    })
    expect(missing.result).toMatchObject({
      error: { message: expect.stringContaining('could not read its task') },
    })
    writeFileSync(c.taskFile, '{not json')
    const broken = await runWorker({ module: graphModule, ...c, env: {} })
    expect(broken.result).toMatchObject({ error: { message: expect.stringContaining('not valid JSON') } })
    const d = files('ok-5')
    const notStore = await runWorker({ module: graphModule, resultStoreExport: 'graph', ...d, env: {} })
    expect(notStore.result).toMatchObject({
      error: { message: expect.stringContaining('is not a BlobStore') },
    })
  })

  it('accepts a function export, and redacts secret values from errors', async () => {
    const { taskFile, terminationFile, message } = files('leak')
    const env = {
      QL_SECRET_ENV: 'API_KEY',
      API_KEY: 'sk-worker-secret-42',
      QL_GRAPH_EXPORT: 'fanOutGraphFactory',
    }
    const previous = process.env.API_KEY
    process.env.API_KEY = env.API_KEY
    try {
      const outcome = await runWorker({ module: storeModule, taskFile, terminationFile, env })
      expect(outcome.result).toMatchObject({ kind: 'error' })
      expect(JSON.stringify(message())).not.toContain('sk-worker-secret-42')
      expect(JSON.stringify(message())).toContain('[REDACTED]')
    } finally {
      if (previous === undefined) delete process.env.API_KEY
      else process.env.API_KEY = previous
    }
  })

  it('reads its flags and environment as the ql-worker command', async () => {
    const { taskFile, terminationFile, message } = files('ok-6')
    const saved = { ...process.env }
    process.env.QL_TERMINATION_FILE = terminationFile
    try {
      expect(await workerMain(['--module', graphModule, '--export', 'graph', '--task', taskFile])).toBe(0)
      expect(message().result.kind).toBe('ok')
    } finally {
      process.env = saved
    }
  })
})

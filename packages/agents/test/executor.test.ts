import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UnavailableError } from '@ql/provider'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import {
  type CompiledGraph,
  createGraph,
  createMemoryCheckpointer,
  type Executor,
  type ExecutorTask,
  START,
  type TaskResult,
} from '../src/index'
import { workerGraph } from './fixtures/worker-graph'

const root = mkdtempSync(join(tmpdir(), 'ql-agents-worker-'))
const script = join(root, 'worker-graph.mjs')
beforeAll(async () => {
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures', 'worker-graph.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@ql/source'],
    outfile: script,
    logLevel: 'silent',
  })
}, 60_000)
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** An executor that runs each task in a new Node process: what a Kubernetes Job does, on one machine. */
const processExecutor: Executor = {
  execute(task, signal) {
    return new Promise<TaskResult>((resolve, reject) => {
      const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'], signal })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
      })
      child.on('error', reject)
      child.on('close', (code) =>
        code === 0 ? resolve(JSON.parse(output) as TaskResult) : reject(new Error(`worker exited ${code}`)),
      )
      child.stdin.end(JSON.stringify(task))
    })
  },
}

describe('executors', () => {
  it('runs a node in another process and applies its update', async () => {
    const graph = workerGraph(processExecutor).compile()
    const { state } = await graph.run({ text: 'hello' })
    expect(state.text).toMatch(/^HELLO!\d+$/)
    expect(state.pid).not.toBe(process.pid)
  }, 60_000)

  it('carries an interrupt, its answer and the memo across the process boundary', async () => {
    const graph = workerGraph(processExecutor).compile({ checkpointer: createMemoryCheckpointer() })
    const paused = await graph.run({ text: 'ask me' }, { threadId: 'remote' })
    expect(paused).toMatchObject({
      status: 'interrupted',
      interrupts: [{ node: 'shout', payload: { confirm: 'ask me' } }],
    })
    const done = await graph.resume('remote', true)
    // the suffix was memoised by the first worker: the second worker replays it, with the first one's pid
    const [, firstPid] = /!(\d+)$/.exec(done.state.text) ?? []
    expect(done.state.text).toBe(`ASK ME!${firstPid}`)
    expect(Number(firstPid)).not.toBe(done.state.pid)
  }, 60_000)

  it('brings a remote failure back as a typed error', async () => {
    const error = await workerGraph(processExecutor)
      .compile()
      .run({ text: 'fail now' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'node_failed', node: 'shout' })
    expect((error as { cause: { message: string } }).cause.message).toContain('cannot shout "fail now"')
  }, 60_000)

  it('retries a retryable remote failure with the node policy, in the host', async () => {
    const tasks: ExecutorTask[] = []
    let graph!: CompiledGraph<{ n: number }>
    const flaky: Executor = {
      async execute(task, signal) {
        tasks.push(task)
        if (task.attempt === 1)
          return { kind: 'error', error: new UnavailableError({ message: 'pod evicted' }).toJSON() }
        return graph.executeTask(JSON.parse(JSON.stringify(task)), signal)
      },
    }
    graph = createGraph({ state: z.object({ n: z.number() }) })
      .addNode('inc', (s) => ({ n: s.n + 1 }), {
        executor: flaky,
        retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 },
        timeoutMs: 30_000,
      })
      .addEdge(START, 'inc')
      .compile()
    expect((await graph.run({ n: 1 })).state.n).toBe(2)
    expect(tasks.map((t) => [t.taskId, t.attempt, t.timeoutMs])).toEqual([
      ['0:inc:0', 1, 30_000],
      ['0:inc:0', 2, 30_000],
    ])
  })

  it('refuses a task for another graph, an unknown node, or a malformed result', async () => {
    const graph = workerGraph().compile()
    const task: ExecutorTask = {
      graph: 'worker-graph',
      threadId: 't',
      step: 0,
      taskId: '0:x:0',
      node: 'x',
      attempt: 1,
      state: {},
      answers: {},
      memo: {},
    }
    expect(await graph.executeTask(task)).toMatchObject({
      kind: 'error',
      error: { code: 'graph_invalid', message: expect.stringContaining('no node "x"') },
    })
    expect(await graph.executeTask({ ...task, graph: 'other' })).toMatchObject({
      kind: 'error',
      error: { message: expect.stringContaining('"other"') },
    })
    const broken: Executor = { execute: async () => ({ kind: 'nonsense' }) as unknown as TaskResult }
    await expect(workerGraph(broken).compile().run({ text: 'x' })).rejects.toMatchObject({
      code: 'node_failed',
    })
  })
})

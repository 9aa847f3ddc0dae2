import type { Tracer } from '@opentelemetry/api'
import { AbortedError, isQlError, qlErrorFromJSON, TimeoutError, toQlError } from '@ql/provider'
import pRetry from 'p-retry'
import type { Interrupt, TaskRef } from '../checkpoint/checkpoint-record'
import type { Executor, ExecutorTask, TaskResult } from '../executor/executor'
import type { NodeContext } from '../graph/node-context'
import type { NodeSpec, RetryPolicy } from '../graph/types'
import { inSpan } from '../telemetry/graph-telemetry'
import type { GraphEvent, GraphEventType } from './graph-event'
import { interruptIn, isNodeInterrupt, NodeInterrupt, type TaskScope, taskScope } from './interrupt'
import { SubgraphWrites } from './subgraph-writes'

/** The typed event channel of a node context, for ready-made nodes. @internal */
export const NODE_EVENTS = Symbol.for('ql.agents.node-events')

/** @internal */
export interface NodeEvents {
  emit(event: { type: GraphEventType; node: string } & Record<string, unknown>): void
  listening(type: GraphEventType): boolean
  /** Relays an event of a subgraph run as it is (it carries its own thread, step and path). */
  forward(event: GraphEvent): void
  /** The run's tracer, for ready-made nodes' own spans. */
  tracer: Tracer
}

/** How one task ended. @internal */
export type TaskOutcome =
  | { kind: 'ok'; update: unknown }
  | { kind: 'interrupt'; interrupts: readonly Interrupt[]; memo: Record<string, unknown> | undefined }
  | { kind: 'error'; error: unknown }

/** What a task needs from its run. @internal */
export interface TaskEnvironment {
  readonly graph: string
  readonly tracer: Tracer
  readonly threadId: string
  readonly step: number
  readonly signal: AbortSignal
  readonly answers: ReadonlyMap<number, unknown>
  /** For a subgraph node's task: answers to interrupts inside the subgraph, by their id there. */
  readonly nested?: Readonly<Record<string, unknown>>
  /** What the task memoised before an earlier interrupt. */
  readonly memo: Record<string, unknown> | undefined
  emit(node: string, data: unknown): void
  /** Emits a typed event from a ready-made node (the run adds threadId and step). */
  emitEvent(event: { type: GraphEventType; node: string } & Record<string, unknown>): void
  /** True when someone receives events of this type. */
  listening(type: GraphEventType): boolean
  /** Relays a subgraph's event as it is. */
  forward(event: GraphEvent): void
  onRetry(task: TaskRef, attempt: number, delayMs: number, error: unknown): void
  onStart(task: TaskRef, attempt: number): void
}

const NO_ANSWERS: Readonly<Record<string, unknown>> = Object.freeze({})

/** Runs one task: its node with the state, under its timeout and retry policy. Never throws. @internal */
export async function runTask<State>(
  spec: NodeSpec<State>,
  task: TaskRef,
  state: State,
  env: TaskEnvironment,
): Promise<TaskOutcome> {
  const policy = spec.options.retry
  const memo = new Map<string, unknown>(env.memo === undefined ? undefined : Object.entries(env.memo))
  try {
    const update =
      policy === undefined
        ? await attempt(spec, task, state, env, 1, memo)
        : await retrying(spec, task, state, env, policy, memo)
    return { kind: 'ok', update: update ?? undefined }
  } catch (error) {
    if (isNodeInterrupt(error)) {
      return {
        kind: 'interrupt',
        interrupts: error.interrupts,
        memo: memo.size === 0 ? undefined : Object.fromEntries(memo),
      }
    }
    return { kind: 'error', error }
  }
}

function attempt<State>(
  spec: NodeSpec<State>,
  task: TaskRef,
  state: State,
  env: TaskEnvironment,
  number: number,
  memo: Map<string, unknown>,
): Promise<unknown> {
  env.onStart(task, number)
  const timeoutMs = spec.options.timeoutMs
  const controller = timeoutMs === undefined ? undefined : new AbortController()
  const signal = controller === undefined ? env.signal : linked(env.signal, controller)
  const scope: TaskScope = {
    taskId: task.id,
    node: spec.name,
    answers: env.answers,
    nested: env.nested ?? NO_ANSWERS,
    calls: 0,
    memo,
  }
  const events: NodeEvents = {
    emit: env.emitEvent,
    listening: env.listening,
    forward: env.forward,
    tracer: env.tracer,
  }
  const context: NodeContext & { [NODE_EVENTS]: NodeEvents } = {
    [NODE_EVENTS]: events,
    node: spec.name,
    step: env.step,
    threadId: env.threadId,
    input: task.input,
    signal,
    attempt: number,
    interrupt: (payload) => interruptIn(scope, payload) as never,
    emit: (data) => env.emit(spec.name, data),
    sleep: (ms) => wait(ms, signal),
    memo: async <Value>(key: string, work: () => Value | Promise<Value>): Promise<Value> => {
      if (memo.has(key)) return memo.get(key) as Value
      const value = await work()
      // what is replayed must be what a checkpoint can hold
      memo.set(key, value === undefined ? undefined : JSON.parse(JSON.stringify(value)))
      return value
    },
  }
  const executor = spec.options.executor
  const running = inSpan(
    env.tracer,
    `node ${spec.name}`,
    {
      'ql.agents.graph': env.graph,
      'ql.agents.node': spec.name,
      'ql.agents.step': env.step,
      'ql.agents.attempt': number,
      'ql.agents.remote': executor !== undefined,
    },
    () =>
      executor === undefined
        ? (taskScope.run(scope, () => Promise.resolve(spec.run(state, context))) as Promise<unknown>)
        : runRemotely(executor, spec, task, state, env, number, memo, signal),
  )
  if (controller === undefined || timeoutMs === undefined) return running
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new TimeoutError({
        message: `Node "${spec.name}" took longer than its timeout of ${timeoutMs} ms.`,
      })
      controller.abort(error)
      reject(error)
    }, timeoutMs)
    running.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

async function runRemotely<State>(
  executor: Executor,
  spec: NodeSpec<State>,
  task: TaskRef,
  state: State,
  env: TaskEnvironment,
  number: number,
  memo: Map<string, unknown>,
  signal: AbortSignal,
): Promise<unknown> {
  const request: ExecutorTask = {
    graph: env.graph,
    threadId: env.threadId,
    step: env.step,
    taskId: task.id,
    node: spec.name,
    attempt: number,
    state: state as Record<string, unknown>,
    // a subgraph node's answers inside its subgraph go by their (non-numeric) ids there
    answers: { ...env.nested, ...Object.fromEntries(env.answers) },
    memo: Object.fromEntries(memo),
  }
  if (task.input !== undefined) request.input = task.input
  if (spec.options.timeoutMs !== undefined) request.timeoutMs = spec.options.timeoutMs
  const result = await executor.execute(request, signal)
  switch (result?.kind) {
    case 'ok':
      // a subgraph node's writes come back as a list: the host applies them as a local run would
      return result.writes !== undefined ? new SubgraphWrites(result.writes) : (result.update ?? undefined)
    case 'interrupt':
      for (const [key, value] of Object.entries(result.memo ?? {})) memo.set(key, value)
      throw new NodeInterrupt(result.interrupts ?? [result.interrupt])
    case 'error':
      throw qlErrorFromJSON(result.error)
    default:
      throw new TypeError(
        `The executor of node "${spec.name}" returned ${JSON.stringify(result)}, not a TaskResult.`,
      )
  }
}

/**
 * Runs one task here, for a worker: the node's function with the task's state, answers and memo,
 * one attempt, no retry (the host retries). Never throws. @internal
 */
export async function executeHere<State>(
  spec: NodeSpec<State>,
  task: ExecutorTask,
  env: TaskEnvironment,
): Promise<TaskResult> {
  const memo = new Map<string, unknown>(Object.entries(task.memo ?? {}))
  const ref: TaskRef = { id: task.taskId, node: task.node }
  if (task.input !== undefined) ref.input = task.input
  try {
    const local = { ...spec, options: { ...spec.options, executor: undefined } }
    const update = await attempt(local, ref, task.state as State, env, task.attempt, memo)
    if (update instanceof SubgraphWrites) {
      return { kind: 'ok', update: null, writes: JSON.parse(JSON.stringify(update.updates)) }
    }
    return {
      kind: 'ok',
      update: update === undefined || update === null ? null : JSON.parse(JSON.stringify(update)),
    }
  } catch (error) {
    if (isNodeInterrupt(error)) {
      const [first, ...more] = error.interrupts as [Interrupt, ...Interrupt[]]
      return {
        kind: 'interrupt',
        interrupt: first,
        ...(more.length === 0 ? {} : { interrupts: [...error.interrupts] }),
        memo: Object.fromEntries(memo),
      }
    }
    return { kind: 'error', error: (isQlError(error) ? error : toQlError(error)).toJSON() }
  }
}

function linked(parent: AbortSignal, child: AbortController): AbortSignal {
  if (parent.aborted) child.abort(parent.reason)
  else
    parent.addEventListener('abort', () => child.abort(parent.reason), { once: true, signal: child.signal })
  return child.signal
}

async function retrying<State>(
  spec: NodeSpec<State>,
  task: TaskRef,
  state: State,
  env: TaskEnvironment,
  policy: RetryPolicy,
  memo: Map<string, unknown>,
): Promise<unknown> {
  const retries = policy.retries ?? 2
  const minDelay = policy.minDelayMs ?? 500
  const maxDelay = policy.maxDelayMs ?? 10_000
  const maxHint = policy.maxRetryAfterMs ?? 60_000
  let number = 0
  return pRetry(() => attempt(spec, task, state, env, ++number, memo), {
    retries,
    // the waits are ours (full jitter, retry hints, abortable): p-retry's own timer is zero
    minTimeout: 0,
    maxTimeout: 0,
    signal: env.signal,
    shouldRetry: ({ error }) => {
      if (isNodeInterrupt(error) || env.signal.aborted) return false
      const typed = isQlError(error) ? error : toQlError(error)
      if (!typed.retryable) return false
      return (typed.retryAfterMs ?? 0) <= maxHint
    },
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft <= 0 || isNodeInterrupt(error) || env.signal.aborted) return
      const typed = isQlError(error) ? error : toQlError(error)
      if (!typed.retryable || (typed.retryAfterMs ?? 0) > maxHint) return
      const backoff = Math.random() * Math.min(maxDelay, minDelay * 2 ** (attemptNumber - 1))
      const delayMs = Math.max(backoff, typed.retryAfterMs ?? 0)
      env.onRetry(task, attemptNumber + 1, delayMs, error)
      await wait(delayMs, env.signal)
    },
  })
}

/** Waits `ms`, or rejects with the signal's reason at once; leaves no timer behind. @internal */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal))
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** The error a cancelled run rejects with. @internal */
export function abortReason(signal: AbortSignal): unknown {
  const reason = signal.reason
  if (isQlError(reason)) return reason
  return new AbortedError({ message: 'The run was cancelled.', cause: reason })
}

import { randomUUID } from 'node:crypto'
import { SpanKind, type Tracer } from '@opentelemetry/api'
import { isQlError, TimeoutError } from '@ql/provider'
import { EventEmitter } from 'eventemitter3'
import { type BlobOptions, withBlobs } from '../checkpoint/blob-store'
import type { CheckpointRecord, Interrupt, TaskRef, TaskWrite } from '../checkpoint/checkpoint-record'
import type { Checkpointer } from '../checkpoint/checkpointer'
import {
  GraphValidationError,
  InvalidUpdateError,
  NodeFailedError,
  StepLimitError,
  ThreadStateError,
} from '../errors/graph-errors'
import type { ExecutorTask, TaskResult } from '../executor/executor'
import { END, START } from '../graph/constants'
import { isSend } from '../graph/send'
import type { BranchSpec, JoinSpec, NodeSpec, Reducers, RouteResult } from '../graph/types'
import { defaultTracer, inSpan } from '../telemetry/graph-telemetry'
import { CheckpointWriter, type Durability } from './checkpoint-writer'
import { EventQueue } from './event-queue'
import { applyWrites, foldLog, type ThreadCheckpoint, type ThreadPosition } from './fold-log'
import type { GraphEvent, GraphEventType } from './graph-event'
import { abortReason, executeHere, runTask, type TaskEnvironment, type TaskOutcome } from './run-task'
import { positionOfSnapshot, type SubgraphSnapshot } from './subgraph-snapshot'
import { type SubgraphState, subgraphStatesOf } from './subgraph-state'
import { SubgraphWrites } from './subgraph-writes'

/** The checked graph `compile()` hands to {@link CompiledGraph}. @internal */
export interface GraphPlan<State> {
  name: string
  version: string | number
  schema: { shape: Record<string, any>; parse(value: unknown): unknown }
  reducers: Reducers<State>
  nodes: ReadonlyMap<string, NodeSpec<State>>
  successors: ReadonlyMap<string, readonly string[]>
  branches: ReadonlyMap<string, readonly BranchSpec<State>[]>
  joins: readonly JoinSpec[]
}

/** Options of `compile()`. */
export interface CompileOptions<State> {
  /** Where threads are kept; without one, runs cannot be resumed (interrupts still end a run). */
  checkpointer?: Checkpointer
  /** The most steps one `run` or `resume` may take (loops end with `StepLimitError`). Default 1,000. */
  stepLimit?: number
  /** When checkpoints are written. Default `sync`. */
  durability?: Durability
  /**
   * Turns the state of a thread written with another schema `version` into this one's. Without
   * it, resuming such a thread fails with `ThreadStateError`.
   */
  migrate?: (state: Record<string, unknown>, fromVersion: string | number) => State
  /**
   * The OpenTelemetry tracer for a span per run (`invoke_workflow {graph}`), per node attempt
   * (`node {name}`), per `agentNode` (`invoke_agent {node}`) and per tool (`execute_tool {tool}`).
   * Default: the global tracer, a no-op (and free) when no OpenTelemetry SDK is installed.
   */
  tracer?: Tracer
  /**
   * Keeps node outputs larger than `thresholdBytes` (default 64 KiB of JSON) in `store` and only a
   * reference in the checkpoints. Requires a checkpointer.
   */
  blobs?: BlobOptions
}

/** Options of one run or resume. */
export interface RunOptions {
  /** The thread to write to (a new run) or to continue. Default: a new random id. */
  threadId?: string
  /** Cancels the run: every node, tool, model call and wait under it stops, and the run rejects with `AbortedError`. */
  signal?: AbortSignal
  /** The whole run's deadline in ms; past it the run is cancelled with `TimeoutError`. */
  deadlineMs?: number
  /** Overrides the compiled `stepLimit` for this run. */
  stepLimit?: number
  /** Overrides the compiled `durability` for this run. */
  durability?: Durability
}

/** How a run or resume ended. */
export interface RunResult<State> {
  /** `done`: no node left to run; `interrupted`: a node called `interrupt()` and waits for `resume()`. */
  status: 'done' | 'interrupted'
  /** The state after the last completed step. */
  state: State
  threadId: string
  /** Steps completed in the thread so far. */
  step: number
  /** The open interrupts (status `interrupted`); empty otherwise. */
  interrupts: Interrupt[]
}

/** Where a thread stands: `getState(threadId)`. */
export interface ThreadState<State> {
  state: State
  /** Steps completed. */
  step: number
  /** `stopped`: it can be resumed (its process died, a node failed, or it was forked). */
  status: 'done' | 'interrupted' | 'stopped'
  /** Open interrupts (status `interrupted`). */
  interrupts: Interrupt[]
  /** What runs next. */
  next: TaskRef[]
  /**
   * When the thread is interrupted inside subgraphs: where each interrupted subgraph stands (its
   * state, step, graph, open interrupts, and the subgraphs interrupted inside it), by its node's
   * task id, the prefix of its interrupts' ids here. Read from the snapshot the interrupt left in
   * the thread, so it costs nothing extra. Absent when no subgraph is interrupted.
   */
  subgraphs?: Record<string, SubgraphState>
}

/** A streamed run: its events as an async iterable, and how it ended. */
export interface GraphRun<State> extends AsyncIterable<GraphEvent<State>> {
  /** The run's result; rejects with the run's error. */
  readonly result: Promise<RunResult<State>>
}

/** Answers for `resume`: one value for every open interrupt, or values by interrupt id. */
export type ResumeValue = unknown

type Start =
  | { kind: 'new'; input: unknown }
  | {
      kind: 'resume'
      threadId: string
      answer: { all: unknown } | { byId: Record<string, unknown> } | undefined
    }
  /** A run as a subgraph node: fresh from `input`, or on from the snapshot of its last interrupt. */
  | {
      kind: 'nested'
      input: unknown
      snapshot: SubgraphSnapshot | undefined
      /** Answers to the snapshot's open interrupts, by their ids (at least one with a snapshot). */
      answers: Record<string, unknown>
    }

/** How a subgraph node runs its graph. @internal */
export interface SubgraphRequest {
  input: Record<string, unknown>
  /** Where the subgraph stood at its last interrupt; `undefined` for a fresh run. */
  snapshot: SubgraphSnapshot | undefined
  answers: Record<string, unknown>
  signal: AbortSignal
  /** Yield the subgraph's events (to relay them). */
  stream: boolean
}

/** A subgraph run: its events (when streamed), how it ended, and its snapshot when interrupted. @internal */
export interface SubgraphRun {
  events: AsyncIterable<GraphEvent> | undefined
  result: Promise<RunResult<Record<string, unknown>>>
  /** Where the subgraph stood when it was interrupted (read once `result` settled). */
  snapshot(): SubgraphSnapshot | undefined
  /**
   * What the subgraph's steps wrote, in order (read once `result` settled); `undefined` for a run
   * resumed from a snapshot written before writes were kept (its update is its whole state).
   */
  writes(): Record<string, unknown>[] | undefined
}

let subgraphRunner: ((graph: CompiledGraph<any>, request: SubgraphRequest) => SubgraphRun) | undefined

/**
 * Runs `graph` as a subgraph node does: without the subgraph's own checkpointer (its progress goes
 * to the parent's thread through the snapshot its interrupt leaves). @internal
 */
export function runSubgraph(graph: CompiledGraph<any>, request: SubgraphRequest): SubgraphRun {
  return (subgraphRunner as NonNullable<typeof subgraphRunner>)(graph, request)
}

const DEFAULT_STEP_LIMIT = 1_000

/**
 * A checked graph, ready to run. Runs are independent; one `CompiledGraph` serves many at once.
 */
export class CompiledGraph<State extends Record<string, unknown>> {
  /** The graph's name (kept in its checkpoints). */
  readonly name: string
  readonly #plan: GraphPlan<State>
  readonly #options: CompileOptions<State>
  readonly #events = new EventEmitter()

  static {
    subgraphRunner = (graph, request) => graph.#runNested(request)
  }

  /** @internal Use `createGraph(...).compile()`. */
  constructor(plan: GraphPlan<State>, options: CompileOptions<State>) {
    this.#plan = plan
    const { checkpointer, blobs } = options
    this.#options =
      checkpointer !== undefined && blobs !== undefined
        ? { ...options, checkpointer: withBlobs(checkpointer, blobs) }
        : options
    this.name = plan.name
  }

  /**
   * Runs the graph from `input` to the end or to an interrupt.
   *
   * @throws InvalidRequestError-like {@link NodeFailedError} when a node fails, `AbortedError` /
   * `TimeoutError` when the run is cancelled or passes its deadline, {@link StepLimitError},
   * {@link InvalidUpdateError}, `CheckpointConflictError` when another writer took the thread.
   */
  run(input: State | Partial<State>, options: RunOptions = {}): Promise<RunResult<State>> {
    return this.#execute({ kind: 'new', input }, options, undefined)
  }

  /** Runs the graph and yields its events as they happen; `result` says how it ended. */
  stream(input: State | Partial<State>, options: RunOptions = {}): GraphRun<State> {
    return this.#streamed({ kind: 'new', input }, options)
  }

  /**
   * Continues a thread: answers its open interrupts with `value` (every one of them), or with
   * `{ answers: { [interruptId]: value } }` one by one; or, for a thread that stopped (its process
   * died, a node failed), runs again from the last completed step. Works in another process when
   * the checkpointer is shared.
   *
   * @throws ThreadStateError when the thread does not exist, has finished, waits for an answer and
   * got none, or was written by another graph or schema version (without `migrate`).
   */
  resume(
    threadId: string,
    value?: ResumeValue,
    options: Omit<RunOptions, 'threadId'> = {},
  ): Promise<RunResult<State>> {
    return this.#execute({ kind: 'resume', threadId, answer: answerOf(value) }, options, undefined)
  }

  /** {@link resume}, streamed. */
  resumeStream(
    threadId: string,
    value?: ResumeValue,
    options: Omit<RunOptions, 'threadId'> = {},
  ): GraphRun<State> {
    return this.#streamed({ kind: 'resume', threadId, answer: answerOf(value) }, options)
  }

  /** The thread's checkpoints, oldest first: the state after each completed step. */
  async history(threadId: string): Promise<ThreadCheckpoint<State>[]> {
    const checkpoints: ThreadCheckpoint<State>[] = []
    foldLog<State>(await this.#store().read(threadId), this.#plan.reducers, (checkpoint) =>
      checkpoints.push(checkpoint),
    )
    return checkpoints
  }

  /**
   * The thread's current state and status, or `undefined` for a thread never written. When it is
   * interrupted inside subgraphs, `subgraphs` says where each of them stands.
   */
  async getState(threadId: string): Promise<ThreadState<State> | undefined> {
    const position = foldLog<State>(await this.#store().read(threadId), this.#plan.reducers)
    if (position === undefined) return undefined
    const interrupts = position.interrupts ?? []
    const subgraphs =
      position.status === 'interrupted'
        ? subgraphStatesOf(position.memo, interrupts, position.next)
        : undefined
    return {
      state: position.state,
      step: position.step,
      status: position.status,
      interrupts,
      next: position.next,
      ...(subgraphs === undefined ? {} : { subgraphs }),
    }
  }

  /**
   * Starts a new thread from a checkpoint of another (time travel): its state after `step` steps.
   * `resume(newThreadId)` runs it on from there. Returns the new thread's id.
   */
  async fork(threadId: string, step: number, newThreadId: string = randomUUID()): Promise<string> {
    const store = this.#store()
    const log = await store.read(threadId)
    let cut = -1
    let seen = -1
    for (let index = 0; index < log.length; index++) {
      const record = log[index] as CheckpointRecord
      if (record.type === 'start' && seen < 0) seen = 0
      if (record.type === 'step') seen = record.step + 1
      if ((record.type === 'start' || record.type === 'step') && seen === step) cut = index
    }
    if (cut < 0) {
      throw new ThreadStateError({
        message: `Thread "${threadId}" has no checkpoint after ${step} steps.`,
        threadId,
      })
    }
    const records = log
      .slice(0, cut + 1)
      .filter((record) => record.type === 'start' || record.type === 'step')
    await store.append(newThreadId, 0, records)
    return newThreadId
  }

  /**
   * Runs one task handed over by an {@link Executor} (in a worker process that loaded this same
   * graph module): the node's function, one attempt, with the task's state, answers and memo.
   * Never throws: failures come back as `{ kind: 'error', error }` (QlError JSON).
   */
  async executeTask(
    task: ExecutorTask,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<TaskResult> {
    const fail = (message: string): TaskResult => ({
      kind: 'error',
      error: new GraphValidationError({ message, nodes: [String(task?.node)] }).toJSON(),
    })
    if (typeof task !== 'object' || task === null) return fail('executeTask needs an ExecutorTask object.')
    if (task.graph !== this.name)
      return fail(`This worker loaded graph "${this.name}", but the task is for graph "${task.graph}".`)
    const spec = this.#plan.nodes.get(task.node)
    if (spec === undefined) return fail(`Graph "${this.name}" has no node "${task.node}".`)
    const answers = new Map<number, unknown>()
    let nested: Record<string, unknown> | undefined
    for (const [key, value] of Object.entries(task.answers ?? {})) {
      const index = Number(key)
      if (Number.isInteger(index)) answers.set(index, value)
      else {
        // a subgraph node's answers inside its subgraph
        nested ??= {}
        nested[key] = value
      }
    }
    const noop = () => {}
    return executeHere(spec, task, {
      graph: this.name,
      tracer: this.#options.tracer ?? defaultTracer(),
      threadId: task.threadId,
      step: task.step,
      signal,
      answers,
      ...(nested === undefined ? {} : { nested }),
      memo: undefined,
      emit: noop,
      emitEvent: noop,
      listening: () => false,
      forward: noop,
      onRetry: noop,
      onStart: noop,
    })
  }

  /** Listens to the events of every run of this graph. Returns a function that stops listening. */
  on<Type extends GraphEventType>(
    type: Type,
    listener: (event: Extract<GraphEvent<State>, { type: Type }>) => void,
  ): () => void {
    this.#events.on(type, listener)
    return () => {
      this.#events.off(type, listener)
    }
  }

  #store(): Checkpointer {
    const store = this.#options.checkpointer
    if (store === undefined) {
      throw new ThreadStateError({
        message: `Graph "${this.name}" has no checkpointer: compile({ checkpointer }) to keep threads.`,
        threadId: '',
      })
    }
    return store
  }

  #streamed(start: Start, options: RunOptions): GraphRun<State> {
    const queue = new EventQueue<GraphEvent<State>>()
    const result = closeWhenSettled(this.#execute(start, options, queue), queue)
    return { result, [Symbol.asyncIterator]: () => queue.iterate() }
  }

  async #execute(start: Start, options: RunOptions, sink: EventQueue<GraphEvent<State>> | undefined) {
    const run = new ThreadRun<State>(this.#plan, this.#options, options, this.#events, sink, false)
    return run.execute(start)
  }

  #runNested(request: SubgraphRequest): SubgraphRun {
    const start: Start = {
      kind: 'nested',
      input: request.input,
      snapshot: request.snapshot,
      answers: request.answers,
    }
    const options: RunOptions = { signal: request.signal }
    const queue = request.stream ? new EventQueue<GraphEvent<State>>() : undefined
    const run = new ThreadRun<State>(this.#plan, this.#options, options, this.#events, queue, true)
    const snapshot = () => run.snapshot
    const writes = () => run.writes
    const execution = run.execute(start) as Promise<RunResult<Record<string, unknown>>>
    if (queue === undefined) return { events: undefined, result: execution, snapshot, writes }
    const result = closeWhenSettled(execution, queue)
    const events = { [Symbol.asyncIterator]: () => queue.iterate() } as AsyncIterable<GraphEvent>
    return { events, result, snapshot, writes }
  }
}

/**
 * `execution`, ending `queue` when it settles (failing it with the error). The queue's reader
 * reports a failure, so the returned promise is marked handled: it must not also be an unhandled
 * rejection when nobody awaits it.
 */
function closeWhenSettled<T>(execution: Promise<T>, queue: EventQueue<any>): Promise<T> {
  const result = execution.then(
    (value) => {
      queue.end()
      return value
    },
    (error: unknown) => {
      queue.fail(error)
      throw error
    },
  )
  result.catch(() => {})
  return result
}

function answerOf(value: unknown): { all: unknown } | { byId: Record<string, unknown> } | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'object' && value !== null && 'answers' in value && Object.keys(value).length === 1) {
    return { byId: (value as { answers: Record<string, unknown> }).answers }
  }
  return { all: value }
}

/** One run of a thread: the step loop. @internal */
class ThreadRun<State extends Record<string, unknown>> {
  readonly #plan: GraphPlan<State>
  readonly #compiled: CompileOptions<State>
  readonly #options: RunOptions
  readonly #events: EventEmitter
  readonly #sink: EventQueue<GraphEvent<State>> | undefined
  readonly #tracer: Tracer
  readonly #cancellable: boolean
  /** Where the thread is kept; never the subgraph's own store for a run as a subgraph node. */
  readonly #store: Checkpointer | undefined
  /** A run as a subgraph node: an interrupt leaves a {@link snapshot}. */
  readonly #nested: boolean
  #threadId = ''
  /** Where a nested run stood at its interrupt. */
  snapshot: SubgraphSnapshot | undefined
  /**
   * A nested run's writes of its completed steps, in the order they were applied (what its
   * subgraph node returns); `undefined` for a top-level run, or a nested one resumed from a
   * snapshot that predates them.
   */
  writes: Record<string, unknown>[] | undefined

  constructor(
    plan: GraphPlan<State>,
    compiled: CompileOptions<State>,
    options: RunOptions,
    events: EventEmitter,
    sink: EventQueue<GraphEvent<State>> | undefined,
    nested: boolean,
  ) {
    this.#plan = plan
    this.#compiled = compiled
    this.#nested = nested
    if (nested) this.writes = []
    this.#store = nested ? undefined : compiled.checkpointer
    this.#options = options
    this.#events = events
    this.#sink = sink
    this.#tracer = compiled.tracer ?? defaultTracer()
    this.#cancellable = options.signal !== undefined || options.deadlineMs !== undefined
  }

  #listening(type: GraphEventType): boolean {
    return this.#sink !== undefined || this.#events.listenerCount(type) > 0
  }

  #emit(event: GraphEvent<State>): void {
    this.#sink?.push(event)
    if (this.#events.listenerCount(event.type) > 0) this.#events.emit(event.type, event)
  }

  execute(start: Start): Promise<RunResult<State>> {
    const name = this.#plan.name
    const threadId =
      start.kind === 'resume'
        ? start.threadId
        : start.kind === 'nested'
          ? start.snapshot?.threadId
          : this.#options.threadId
    const resumed = start.kind === 'resume' || (start.kind === 'nested' && start.snapshot !== undefined)
    return inSpan(
      this.#tracer,
      `invoke_workflow ${name}`,
      {
        'gen_ai.operation.name': 'invoke_workflow',
        'ql.agents.graph': name,
        'ql.agents.resumed': resumed,
        ...(threadId === undefined ? {} : { 'gen_ai.conversation.id': threadId }),
      },
      async (span) => {
        const result = await this.#execute(start)
        if (span.isRecording()) {
          span.setAttributes({
            'gen_ai.conversation.id': result.threadId,
            'ql.agents.status': result.status,
            'ql.agents.steps': result.step,
          })
        }
        return result
      },
      SpanKind.INTERNAL,
    )
  }

  async #execute(start: Start): Promise<RunResult<State>> {
    const plan = this.#plan
    const store = this.#store
    const controller = new AbortController()
    const signal = controller.signal
    const external = this.#options.signal
    const onAbort = () => controller.abort(external?.reason)
    if (external !== undefined) {
      if (external.aborted) controller.abort(external.reason)
      else external.addEventListener('abort', onAbort, { once: true })
    }
    const deadlineMs = this.#options.deadlineMs
    const deadline =
      deadlineMs === undefined
        ? undefined
        : setTimeout(
            () =>
              controller.abort(
                new TimeoutError({ message: `The run passed its deadline of ${deadlineMs} ms.` }),
              ),
            deadlineMs,
          )
    try {
      let position: ThreadPosition<State>
      let length: number
      const now = Date.now()
      const initial: CheckpointRecord[] = []
      if (start.kind === 'nested' && start.snapshot !== undefined) {
        // a subgraph node goes on from its last interrupt: answers go to the open interrupts
        this.#threadId = start.snapshot.threadId
        // writes of the steps before the interrupt (a snapshot from before they were kept has none)
        this.writes = start.snapshot.writes === undefined ? undefined : [...start.snapshot.writes]
        length = 0
        position = this.#checkCompatible(positionOfSnapshot<State>(start.snapshot), initial, now)
        Object.assign(position.answers, start.answers)
      } else if (start.kind === 'new' || start.kind === 'nested') {
        this.#threadId = this.#options.threadId ?? randomUUID()
        const existing =
          store === undefined || this.#options.threadId === undefined ? [] : await store.read(this.#threadId)
        if (existing.length > 0) {
          throw new ThreadStateError({
            message: `Thread "${this.#threadId}" already exists: continue it with resume(), or start a new thread.`,
            threadId: this.#threadId,
          })
        }
        length = 0
        const state = this.#parseInput(start.input)
        const next = await this.#route(START, state, -1)
        position = {
          graph: plan.name,
          version: plan.version,
          state,
          step: 0,
          next,
          joins: {},
          done: new Map(),
          answers: {},
          memo: {},
          interrupts: undefined,
          status: 'stopped',
        }
        initial.push({ type: 'start', graph: plan.name, version: plan.version, state, next, at: now })
      } else {
        this.#threadId = start.threadId
        const log = await this.#storeFor('resume').read(start.threadId)
        length = log.length
        const folded = foldLog<State>(log, plan.reducers)
        if (folded === undefined) {
          throw new ThreadStateError({
            message: `Thread "${start.threadId}" does not exist.`,
            threadId: start.threadId,
          })
        }
        position = this.#checkCompatible(folded, initial, now)
        if (position.status === 'done') {
          throw new ThreadStateError({
            message: `Thread "${start.threadId}" has finished; there is nothing to resume.`,
            threadId: start.threadId,
          })
        }
        if (position.status === 'interrupted') {
          const open = position.interrupts ?? []
          if (start.answer === undefined) {
            throw new ThreadStateError({
              message: `Thread "${start.threadId}" waits for an answer to ${open.length} interrupt(s) (${open.map((i) => i.id).join(', ')}): resume(threadId, value).`,
              threadId: start.threadId,
            })
          }
          const values: Record<string, unknown> = {}
          if ('all' in start.answer) for (const item of open) values[item.id] = start.answer.all
          else {
            for (const id of Object.keys(start.answer.byId)) {
              if (!open.some((item) => item.id === id)) {
                throw new ThreadStateError({
                  message: `Thread "${start.threadId}" has no open interrupt "${id}"; open: ${open.map((i) => i.id).join(', ')}.`,
                  threadId: start.threadId,
                })
              }
            }
            Object.assign(values, start.answer.byId)
          }
          Object.assign(position.answers, values)
          initial.push({ type: 'resume', step: position.step, values, at: now })
        }
      }
      const writer = new CheckpointWriter(
        store,
        this.#threadId,
        length,
        this.#options.durability ?? this.#compiled.durability ?? 'sync',
      )
      if (initial.length > 0) await writer.write(initial)
      if (this.#listening('run-start')) {
        this.#emit({
          type: 'run-start',
          threadId: this.#threadId,
          step: position.step,
          resumed: start.kind !== 'new' && (start.kind === 'resume' || start.snapshot !== undefined),
        })
      }
      try {
        const result = await this.#loop(position, writer, signal)
        await writer.flush()
        return result
      } catch (error) {
        // what completed is kept (exit mode writes it now); a failed flush must not hide the error
        await writer.flush().catch(() => {})
        throw error
      }
    } catch (error) {
      const thrown = signal.aborted && !isQlError(error) ? abortReason(signal) : error
      if (this.#listening('run-error'))
        this.#emit({ type: 'run-error', threadId: this.#threadId, step: -1, error: thrown })
      throw thrown
    } finally {
      if (deadline !== undefined) clearTimeout(deadline)
      external?.removeEventListener('abort', onAbort)
    }
  }

  #storeFor(what: string): Checkpointer {
    const store = this.#store
    if (store === undefined) {
      throw new ThreadStateError({
        message: `Cannot ${what} without a checkpointer: compile({ checkpointer }) keeps threads.`,
        threadId: this.#threadId,
      })
    }
    return store
  }

  #checkCompatible(
    position: ThreadPosition<State>,
    initial: CheckpointRecord[],
    now: number,
  ): ThreadPosition<State> {
    const plan = this.#plan
    if (position.graph !== plan.name) {
      throw new ThreadStateError({
        message: `Thread "${this.#threadId}" belongs to graph "${position.graph}", not "${plan.name}".`,
        threadId: this.#threadId,
      })
    }
    if (position.version === plan.version) return position
    const migrate = this.#compiled.migrate
    if (migrate === undefined) {
      throw new ThreadStateError({
        message: `Thread "${this.#threadId}" was written with state schema version ${JSON.stringify(position.version)}; this graph has version ${JSON.stringify(plan.version)}. Pass compile({ migrate }) to convert it.`,
        threadId: this.#threadId,
      })
    }
    const state = this.#parseInput(migrate(position.state, position.version))
    // the migrated state becomes a new start: later folds begin from it
    initial.push({
      type: 'start',
      graph: plan.name,
      version: plan.version,
      state,
      next: position.next,
      at: now,
    })
    return { ...position, state, version: plan.version }
  }

  #parseInput(input: unknown): State {
    try {
      return this.#plan.schema.parse(input) as State
    } catch (error) {
      throw new InvalidUpdateError({
        message: `The input does not match the state schema: ${error instanceof Error ? error.message : String(error)}`,
        nodes: [],
        key: '',
        cause: error,
      })
    }
  }

  async #loop(
    position: ThreadPosition<State>,
    writer: CheckpointWriter,
    signal: AbortSignal,
  ): Promise<RunResult<State>> {
    const stepLimit = this.#options.stepLimit ?? this.#compiled.stepLimit ?? DEFAULT_STEP_LIMIT
    let { state, step, next: tasks } = position
    let joins = position.joins
    let done = position.done
    let answers = position.answers
    let memos = position.memo
    let stepsRun = 0
    const threadId = this.#threadId
    while (tasks.length > 0) {
      if (signal.aborted) throw abortReason(signal)
      if (stepsRun >= stepLimit) {
        throw new StepLimitError({
          message: `The run took ${stepLimit} steps without finishing (a loop that does not end?); raise stepLimit if it should run longer.`,
          stepLimit,
        })
      }
      const outcomes = await this.#runStep(tasks, state, step, signal, done, answers, memos)
      if (signal.aborted) throw abortReason(signal)

      const writes: TaskWrite[] = []
      const finished: CheckpointRecord[] = []
      const interrupts: Interrupt[] = []
      let memo: Record<string, Record<string, unknown>> | undefined
      let failure: { task: TaskRef; error: unknown } | undefined
      for (let index = 0; index < tasks.length; index++) {
        const task = tasks[index] as TaskRef
        const previous = done.get(task.id)
        if (previous !== undefined) {
          for (const write of previous) writes.push(write)
          continue
        }
        const outcome = outcomes[index] as TaskOutcome
        if (outcome.kind === 'ok' && outcome.update instanceof SubgraphWrites) {
          // a subgraph node: each of its subgraph's writes, in order, as a write of this task
          const before = writes.length
          const at = Date.now()
          for (const update of outcome.update.updates) {
            const checked = this.#checkUpdate(task.node, update)
            if (!hasKeys(checked)) continue
            const write = { id: task.id, node: task.node, update: checked }
            writes.push(write)
            finished.push({ type: 'task', step, write, at })
          }
          if (writes.length === before) {
            // none to keys this graph has: one empty write, so a resume knows the task finished
            const write = { id: task.id, node: task.node, update: {} }
            writes.push(write)
            finished.push({ type: 'task', step, write, at })
          }
        } else if (outcome.kind === 'ok') {
          const update = this.#checkUpdate(task.node, outcome.update)
          const write = { id: task.id, node: task.node, update }
          writes.push(write)
          finished.push({ type: 'task', step, write, at: Date.now() })
        } else if (outcome.kind === 'interrupt') {
          for (const item of outcome.interrupts) interrupts.push(item)
          if (outcome.memo !== undefined) {
            memo ??= {}
            memo[task.id] = outcome.memo
          }
        } else failure ??= { task, error: outcome.error }
      }
      if (failure !== undefined || interrupts.length > 0) {
        // the step did not complete: keep what finished so a resume re-runs only the rest
        if (interrupts.length > 0) {
          finished.push({
            type: 'interrupt',
            step,
            interrupts,
            ...(memo === undefined ? {} : { memo }),
            at: Date.now(),
          })
        }
        if (finished.length > 0) await writer.write(finished)
        if (failure !== undefined) throw this.#nodeFailure(failure.task, failure.error, step)
        if (this.#nested) {
          // what a fold of this run's log would give: the parent keeps it to resume from
          const doneWrites: TaskWrite[] = []
          for (const list of done.values()) for (const write of list) doneWrites.push(write)
          for (const record of finished) if (record.type === 'task') doneWrites.push(record.write)
          this.snapshot = JSON.parse(
            JSON.stringify({
              format: 1,
              threadId,
              graph: this.#plan.name,
              version: this.#plan.version,
              state,
              step,
              next: tasks,
              joins,
              done: doneWrites,
              answers,
              memo: { ...memos, ...memo },
              interrupts,
              ...(this.writes === undefined ? {} : { writes: this.writes }),
            } satisfies SubgraphSnapshot),
          ) as SubgraphSnapshot
        }
        if (this.#listening('interrupt')) this.#emit({ type: 'interrupt', threadId, step, interrupts })
        if (this.#listening('run-end')) this.#emit({ type: 'run-end', threadId, step, status: 'interrupted' })
        return { status: 'interrupted', state, threadId, step, interrupts }
      }

      state = this.#apply(state, writes, tasks.length > 1)
      const collected = this.writes
      if (collected !== undefined)
        for (const write of writes) if (hasKeys(write.update)) collected.push(write.update)
      const routed = await this.#next(tasks, state, step, joins)
      joins = routed.joins
      tasks = routed.next
      const record: CheckpointRecord = { type: 'step', step, writes, next: tasks, at: Date.now() }
      if (Object.keys(joins).length > 0) record.joins = joins
      const records: CheckpointRecord[] = [record]
      if (tasks.length === 0) records.push({ type: 'end', step: step + 1, at: record.at })
      step++
      stepsRun++
      done = new Map()
      answers = {}
      memos = {}
      const written = writer.write(records)
      if (written !== undefined) await written
      if (this.#listening('state')) this.#emit({ type: 'state', threadId, step, state })
    }
    if (this.#listening('run-end')) this.#emit({ type: 'run-end', threadId, step, status: 'done' })
    return { status: 'done', state, threadId, step, interrupts: [] }
  }

  #nodeFailure(task: TaskRef, error: unknown, step: number): unknown {
    if (InvalidUpdateError.isInstance(error) || GraphValidationError.isInstance(error)) return error
    const typed = isQlError(error) ? error : undefined
    return new NodeFailedError({
      message: `Node "${task.node}" failed in step ${step}: ${error instanceof Error ? error.message : String(error)}`,
      node: task.node,
      step,
      cause: error,
      retryable: typed?.retryable ?? false,
      ...(typed?.retryAfterMs === undefined ? {} : { retryAfterMs: typed.retryAfterMs }),
    })
  }

  async #runStep(
    tasks: readonly TaskRef[],
    state: State,
    step: number,
    runSignal: AbortSignal,
    done: ReadonlyMap<string, unknown>,
    answers: Record<string, unknown>,
    memos: Record<string, Record<string, unknown>>,
  ): Promise<(TaskOutcome | undefined)[]> {
    const plan = this.#plan
    // one task: no step controller, no race bookkeeping (the hot path of a chain)
    const several = tasks.length > 1
    const stepController = several ? new AbortController() : undefined
    let release: (() => void) | undefined
    if (stepController !== undefined) {
      const onAbort = () => stepController.abort(runSignal.reason)
      runSignal.addEventListener('abort', onAbort, { once: true })
      release = () => runSignal.removeEventListener('abort', onAbort)
    }
    const signal = stepController?.signal ?? runSignal
    const env = this.#environment(step, signal)
    try {
      const running: Promise<TaskOutcome | undefined>[] = tasks.map((task) => {
        if (done.has(task.id)) return Promise.resolve(undefined)
        const spec = plan.nodes.get(task.node) as NodeSpec<State>
        const memo = memos[task.id]
        // a subgraph task with a memo was interrupted inside: it gets the answers under its prefix
        const taskEnv: TaskEnvironment =
          spec.subgraph && memo !== undefined
            ? { ...env, answers: EMPTY_ANSWERS, memo, nested: nestedAnswersFor(task.id, answers) }
            : { ...env, answers: answersFor(task.id, answers), memo }
        const started = this.#listening('node-end') ? performance.now() : 0
        return runTask(spec, task, state, taskEnv).then((outcome) => {
          if (outcome.kind === 'error') stepController?.abort(outcome.error)
          else if (outcome.kind === 'ok' && this.#listening('node-end')) {
            this.#emit({
              type: 'node-end',
              threadId: this.#threadId,
              node: task.node,
              step,
              taskId: task.id,
              durationMs: performance.now() - started,
              update: (outcome.update instanceof SubgraphWrites
                ? outcome.update.merged(plan.schema.shape)
                : (outcome.update ?? {})) as Partial<State>,
            })
          }
          return outcome
        })
      })
      const all = several ? Promise.all(running) : (running[0] as Promise<TaskOutcome>).then((o) => [o])
      // nothing can abort a run with no caller signal and no deadline: no race to set up
      return await (this.#cancellable ? raceAbort(all, runSignal) : all)
    } finally {
      release?.()
    }
  }

  #environment(step: number, signal: AbortSignal): TaskEnvironment {
    const threadId = this.#threadId
    return {
      graph: this.#plan.name,
      tracer: this.#tracer,
      threadId,
      step,
      signal,
      answers: EMPTY_ANSWERS,
      memo: undefined,
      emit: (node, data) => {
        if (this.#listening('custom')) this.#emit({ type: 'custom', threadId, node, step, data })
      },
      emitEvent: (event) => {
        if (this.#listening(event.type))
          this.#emit({ ...event, threadId, step } as unknown as GraphEvent<State>)
      },
      listening: (type) => this.#listening(type),
      forward: (event) => {
        if (this.#listening(event.type)) this.#emit(event as GraphEvent<State>)
      },
      onStart: (task, attempt) => {
        if (this.#listening('node-start')) {
          this.#emit({ type: 'node-start', threadId, node: task.node, step, taskId: task.id, attempt })
        }
      },
      onRetry: (task, attempt, delayMs, error) => {
        if (this.#listening('node-retry')) {
          this.#emit({
            type: 'node-retry',
            threadId,
            node: task.node,
            step,
            taskId: task.id,
            attempt,
            delayMs,
            error,
          })
        }
      },
    }
  }

  #checkUpdate(node: string, update: unknown): Record<string, unknown> {
    if (update === undefined || update === null) return {}
    if (typeof update !== 'object' || Array.isArray(update)) {
      throw new InvalidUpdateError({
        message: `Node "${node}" returned ${Array.isArray(update) ? 'an array' : typeof update}; a node returns an object of the state keys it changes (or nothing).`,
        nodes: [node],
        key: '',
      })
    }
    const shape = this.#plan.schema.shape
    const spec = this.#plan.nodes.get(node)
    const record = update as Record<string, unknown>
    let filtered: Record<string, unknown> | undefined
    for (const key in record) {
      const field = shape[key]
      if (field === undefined) {
        if (spec?.subgraph) {
          filtered ??= { ...record }
          delete filtered[key]
          continue
        }
        throw new InvalidUpdateError({
          message: `Node "${node}" wrote "${key}", which the state schema does not have.`,
          nodes: [node],
          key,
        })
      }
      const checked = field.safeParse(record[key])
      if (!checked.success) {
        throw new InvalidUpdateError({
          message: `Node "${node}" wrote an invalid "${key}": ${checked.error.issues.map((issue: { message: string }) => issue.message).join('; ')}`,
          nodes: [node],
          key,
        })
      }
    }
    return filtered ?? record
  }

  /** Applies a step's writes; `several`: they come from several tasks, which must not both set a key without a reducer. */
  #apply(state: State, writes: readonly TaskWrite[], several: boolean): State {
    if (several && writes.length > 1) {
      const reducers = this.#plan.reducers as Record<string, unknown>
      const writer = new Map<string, TaskWrite>()
      for (const write of writes) {
        for (const key in write.update) {
          if (reducers[key] !== undefined) continue
          const other = writer.get(key)
          // a subgraph task's several writes are in order: the last one wins, as in the subgraph
          if (other !== undefined && other.id !== write.id) {
            throw new InvalidUpdateError({
              message: `Nodes "${other.node}" and "${write.node}" both wrote "${key}" in one step and "${key}" has no reducer: give it a reducer in createGraph({ reducers }).`,
              nodes: [other.node, write.node],
              key,
            })
          }
          writer.set(key, write)
        }
      }
    }
    return applyWrites(state, writes, this.#plan.reducers)
  }

  async #next(
    tasks: readonly TaskRef[],
    state: State,
    step: number,
    joins: Record<string, string[]>,
  ): Promise<{ next: TaskRef[]; joins: Record<string, string[]> }> {
    const names = new Set<string>()
    const next: TaskRef[] = []
    const nextStep = step + 1
    let joinState = joins
    const add = (node: string, input?: unknown, send = false) => {
      if (node === END) return
      if (!send) {
        if (names.has(node)) return
        names.add(node)
      }
      const task: TaskRef = { id: `${nextStep}:${node}:${next.length}`, node }
      if (send) task.input = input
      next.push(task)
    }
    for (const task of tasks) {
      const routed = await this.#route(task.node, state, step)
      for (const item of routed) add(item.node, item.input, item.id === SEND_ID)
      if (this.#plan.joins.length > 0) joinState = this.#advanceJoins(task.node, joinState, add)
    }
    return { next, joins: joinState }
  }

  #advanceJoins(
    node: string,
    joins: Record<string, string[]>,
    add: (node: string) => void,
  ): Record<string, string[]> {
    let result = joins
    this.#plan.joins.forEach((join, index) => {
      if (!join.sources.includes(node)) return
      const key = String(index)
      const seen = new Set(result[key] ?? [])
      seen.add(node)
      result = { ...result }
      if (join.sources.every((source) => seen.has(source))) {
        delete result[key]
        add(join.target)
      } else result[key] = [...seen]
    })
    return result
  }

  /** The tasks `from` leads to, given the state after its step. */
  async #route(from: string, state: State, step: number): Promise<TaskRef[]> {
    const plan = this.#plan
    const out: TaskRef[] = []
    const nextStep = step + 1
    for (const to of plan.successors.get(from) ?? []) out.push({ id: '', node: to })
    for (const branch of plan.branches.get(from) ?? []) {
      let result: RouteResult
      try {
        result = await branch.route(state)
      } catch (error) {
        throw new NodeFailedError({
          message: `The route after "${from}" failed: ${error instanceof Error ? error.message : String(error)}`,
          node: from,
          step,
          cause: error,
        })
      }
      const items = Array.isArray(result) ? result : [result]
      for (const item of items) {
        if (isSend(item)) {
          this.#checkTarget(from, item.node, branch, true)
          out.push({ id: SEND_ID, node: item.node, input: item.input })
        } else if (typeof item === 'string') {
          this.#checkTarget(from, item, branch, false)
          out.push({ id: '', node: item })
        } else {
          throw new GraphValidationError({
            message: `The route after "${from}" returned ${JSON.stringify(item)}; a route returns node names, END, send(...) or a list of them.`,
            nodes: [from],
          })
        }
      }
    }
    if (from !== START) return out
    // the entry: number the tasks of step 0 here, as #next does for later steps
    const names = new Set<string>()
    const entry: TaskRef[] = []
    for (const item of out) {
      if (item.node === END) continue
      const send = item.id === SEND_ID
      if (!send && names.has(item.node)) continue
      names.add(item.node)
      const task: TaskRef = { id: `${nextStep}:${item.node}:${entry.length}`, node: item.node }
      if (send) task.input = item.input
      entry.push(task)
    }
    return entry
  }

  #checkTarget(from: string, node: string, branch: BranchSpec<State>, send: boolean): void {
    const known = send ? this.#plan.nodes.has(node) : node === END || this.#plan.nodes.has(node)
    const listed = branch.targets === undefined || branch.targets.includes(node)
    if (known && listed) return
    throw new GraphValidationError({
      message: known
        ? `The route after "${from}" returned "${node}", which is not in its declared targets (${branch.targets?.join(', ')}).`
        : `The route after "${from}" returned unknown node "${node}".`,
      nodes: [from, node],
    })
  }
}

const SEND_ID = '\u0000send'
const EMPTY_ANSWERS: ReadonlyMap<number, unknown> = new Map()

function answersFor(taskId: string, answers: Record<string, unknown>): ReadonlyMap<number, unknown> {
  let map: Map<number, unknown> | undefined
  const prefix = `${taskId}#`
  for (const id in answers) {
    if (!id.startsWith(prefix)) continue
    map ??= new Map()
    map.set(Number(id.slice(prefix.length)), answers[id])
  }
  return map ?? EMPTY_ANSWERS
}

/** A subgraph task's answers to interrupts inside its subgraph, by their ids there. */
function nestedAnswersFor(taskId: string, answers: Record<string, unknown>): Record<string, unknown> {
  const nested: Record<string, unknown> = {}
  const prefix = `${taskId}/`
  for (const id in answers) if (id.startsWith(prefix)) nested[id.slice(prefix.length)] = answers[id]
  return nested
}

function hasKeys(update: Record<string, unknown>): boolean {
  for (const _ in update) return true
  return false
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal))
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

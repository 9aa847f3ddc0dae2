import type { CheckpointRecord, Interrupt, TaskRef, TaskWrite } from '../checkpoint/checkpoint-record'
import type { Reducers } from '../graph/types'

/** Where a thread stands, rebuilt from its log. @internal */
export interface ThreadPosition<State> {
  graph: string
  version: string | number
  state: State
  /** Steps completed. */
  step: number
  /** The tasks of the next step. */
  next: TaskRef[]
  joins: Record<string, string[]>
  /**
   * Tasks of the current step that already finished (a sibling interrupted or failed), with their
   * writes: one, or a subgraph node's several.
   */
  done: Map<string, TaskWrite[]>
  /** Answers given so far to the current step's interrupts. */
  answers: Record<string, unknown>
  /** What the current step's interrupted tasks memoised, by task id then key. */
  memo: Record<string, Record<string, unknown>>
  /** The open interrupts, when the last thing that happened is an interrupt. */
  interrupts: Interrupt[] | undefined
  status: 'done' | 'interrupted' | 'stopped'
}

/** One entry of a thread's history: the state after `step` steps. */
export interface ThreadCheckpoint<State> {
  /** Steps completed (0: the input, before any node ran). */
  step: number
  state: State
  /** What runs next (empty: the run finished). */
  next: TaskRef[]
  /** When it was written (ms since the epoch). */
  at: number
}

/** Applies one step's writes to a state through the reducers. @internal */
export function applyWrites<State extends Record<string, unknown>>(
  state: State,
  writes: readonly TaskWrite[],
  reducers: Reducers<State>,
): State {
  if (writes.length === 0) return state
  const next: Record<string, unknown> = { ...state }
  const reducerOf = reducers as Record<string, ((a: unknown, b: unknown) => unknown) | undefined>
  for (const write of writes) {
    for (const key in write.update) {
      const reducer = reducerOf[key]
      const value = write.update[key]
      next[key] = reducer === undefined ? value : reducer(next[key], value)
    }
  }
  return next as State
}

/** Rebuilds a thread's position from its log; `onCheckpoint` sees every checkpoint on the way. @internal */
export function foldLog<State extends Record<string, unknown>>(
  log: readonly CheckpointRecord[],
  reducers: Reducers<State>,
  onCheckpoint?: (checkpoint: ThreadCheckpoint<State>) => void,
): ThreadPosition<State> | undefined {
  let position: ThreadPosition<State> | undefined
  for (const record of log) {
    switch (record.type) {
      case 'start':
        position = {
          graph: record.graph,
          version: record.version,
          state: record.state as State,
          step: position?.step ?? 0,
          next: record.next,
          joins: {},
          done: new Map(),
          answers: {},
          memo: {},
          interrupts: undefined,
          status: record.next.length === 0 ? 'done' : 'stopped',
        }
        onCheckpoint?.({ step: position.step, state: position.state, next: record.next, at: record.at })
        break
      case 'step':
        if (position === undefined) break
        position.state = applyWrites(position.state, record.writes, reducers)
        position.step = record.step + 1
        position.next = record.next
        position.joins = record.joins ?? {}
        position.done = new Map()
        position.answers = {}
        position.memo = {}
        position.interrupts = undefined
        position.status = record.next.length === 0 ? 'done' : 'stopped'
        onCheckpoint?.({ step: position.step, state: position.state, next: record.next, at: record.at })
        break
      case 'task': {
        if (position === undefined) break
        const list = position.done.get(record.write.id)
        if (list === undefined) position.done.set(record.write.id, [record.write])
        else list.push(record.write)
        break
      }
      case 'interrupt':
        if (position === undefined) break
        position.interrupts = record.interrupts
        if (record.memo !== undefined) Object.assign(position.memo, record.memo)
        position.status = 'interrupted'
        break
      case 'resume':
        if (position === undefined) break
        Object.assign(position.answers, record.values)
        position.interrupts = undefined
        position.status = 'stopped'
        break
      case 'end':
        if (position !== undefined) position.status = 'done'
        break
    }
  }
  return position
}

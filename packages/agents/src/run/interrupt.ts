import { AsyncLocalStorage } from 'node:async_hooks'
import type { Interrupt } from '../checkpoint/checkpoint-record'

/** The task a node's code runs in, for the free function {@link interrupt}. @internal */
export interface TaskScope {
  readonly taskId: string
  readonly node: string
  /** Answers for this task's interrupts, by index. */
  readonly answers: ReadonlyMap<number, unknown>
  /** For a subgraph node's task: answers to interrupts inside the subgraph, by their id there. */
  readonly nested: Readonly<Record<string, unknown>>
  /** How many times the task called interrupt() so far in this attempt. */
  calls: number
  /** What `context.memo` calls returned, kept across attempts and (through the checkpoint) resumes. */
  readonly memo: Map<string, unknown>
}

/** @internal */
export const taskScope = new AsyncLocalStorage<TaskScope>()

const INTERRUPT = Symbol.for('ql.agents.interrupt')

/**
 * What `interrupt()` throws to stop its node; the runner catches it. Never catch it in a node.
 * A subgraph node throws one with every open interrupt of its subgraph. @internal
 */
export class NodeInterrupt extends Error {
  readonly [INTERRUPT] = true
  /** At least one. */
  readonly interrupts: readonly Interrupt[]

  constructor(interrupts: readonly Interrupt[]) {
    super(
      `Node "${interrupts[0]?.node}" interrupted the run. (If you see this, a node caught it: let it propagate.)`,
    )
    this.name = 'NodeInterrupt'
    this.interrupts = interrupts
  }
}

/** True when `error` is the signal `interrupt()` throws. @internal */
export function isNodeInterrupt(error: unknown): error is NodeInterrupt {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[INTERRUPT] === true
}

/** @internal */
export function interruptIn(scope: TaskScope, payload: unknown): unknown {
  const index = scope.calls++
  if (scope.answers.has(index)) return scope.answers.get(index)
  throw new NodeInterrupt([{ id: `${scope.taskId}#${index}`, node: scope.node, payload }])
}

/**
 * Pauses the run for outside input (a human approval, an edit). The first time, it stops the
 * node and the run ends with status `interrupted`, carrying `payload`. When the thread is
 * resumed with a value, the node runs again from its start and this call returns the value.
 * A node may call it several times; each call is answered in order. Call it only inside a node
 * (or the same as `context.interrupt`). Inside a subgraph, it interrupts the parent run as well
 * (the interrupt's `path` says through which subgraph nodes), and resuming the parent's thread
 * re-runs this node inside the subgraph, not the subgraph's completed steps.
 *
 * @throws Error when called outside a running node.
 */
export function interrupt<Resume = unknown>(payload: unknown): Resume {
  const scope = taskScope.getStore()
  if (scope === undefined) throw new Error('interrupt() was called outside a running graph node.')
  return interruptIn(scope, payload) as Resume
}

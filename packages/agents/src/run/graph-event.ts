import type { ChatStreamEvent, ToolCall, Usage } from '@ql/provider'
import type { Interrupt } from '../checkpoint/checkpoint-record'

/**
 * The events of a run, in the order they happen; `stream()` yields them and `on()` delivers them.
 * Events of a subgraph run (a compiled graph added as a node) are relayed with `path`: the
 * subgraph nodes they came through, outermost first (and the subgraph's own thread and step).
 */
export type GraphEvent<State = Record<string, unknown>> = GraphEventBody<State> & { path?: string[] }

/** The events themselves, without the `path` a relayed subgraph event carries. */
export type GraphEventBody<State = Record<string, unknown>> =
  | { type: 'run-start'; threadId: string; step: number; resumed: boolean }
  | { type: 'node-start'; threadId: string; node: string; step: number; taskId: string; attempt: number }
  | {
      type: 'node-end'
      threadId: string
      node: string
      step: number
      taskId: string
      durationMs: number
      update: Partial<State>
    }
  | {
      type: 'node-retry'
      threadId: string
      node: string
      step: number
      taskId: string
      attempt: number
      delayMs: number
      error: unknown
    }
  | { type: 'state'; threadId: string; step: number; state: State }
  | { type: 'custom'; threadId: string; node: string; step: number; data: unknown }
  /** A model's stream event, relayed by an `agentNode` with `stream: true` (text and tool-call deltas). */
  | {
      type: 'model-delta'
      threadId: string
      node: string
      step: number
      turn: number
      event: ChatStreamEvent
    }
  /** An `agentNode` finished a model call. */
  | {
      type: 'model-end'
      threadId: string
      node: string
      step: number
      turn: number
      usage: Usage
      provider: string
      modelId: string
    }
  | { type: 'tool-call'; threadId: string; node: string; step: number; turn: number; call: ToolCall }
  | {
      type: 'tool-result'
      threadId: string
      node: string
      step: number
      turn: number
      toolCallId: string
      toolName: string
      output: unknown
      isError: boolean
    }
  | { type: 'interrupt'; threadId: string; step: number; interrupts: Interrupt[] }
  | { type: 'run-end'; threadId: string; step: number; status: 'done' | 'interrupted' }
  | { type: 'run-error'; threadId: string; step: number; error: unknown }

/** The type names of {@link GraphEvent}. */
export type GraphEventType = GraphEvent['type']

// The public API of @ql/agents.

export type { AgentNodeOptions, ToolApprovalRequest } from './agent/agent-node'
export { agentNode, appendMessages } from './agent/agent-node'
export { MaxTurnsError } from './agent/max-turns-error'
export type { AgentTool, ToolContext, ToolOptions } from './agent/tool'
export { tool } from './agent/tool'
export type { BlobOptions, BlobStore } from './checkpoint/blob-store'
export { createMemoryBlobStore } from './checkpoint/blob-store'
export type { CheckpointRecord, Interrupt, TaskRef, TaskWrite } from './checkpoint/checkpoint-record'
export type { Checkpointer } from './checkpoint/checkpointer'
export { createFileCheckpointer } from './checkpoint/file-checkpointer'
export { createMemoryCheckpointer } from './checkpoint/memory-checkpointer'
export {
  CheckpointConflictError,
  GraphValidationError,
  InvalidUpdateError,
  NodeFailedError,
  StepLimitError,
  ThreadStateError,
} from './errors/graph-errors'
export type { Executor, ExecutorTask, TaskResult } from './executor/executor'
export type { End, Start } from './graph/constants'
export { END, START } from './graph/constants'
export type { CreateGraphOptions, StateSchema } from './graph/create-graph'
export { createGraph, GraphBuilder } from './graph/create-graph'
export type { NodeContext } from './graph/node-context'
export type { Send } from './graph/send'
export { isSend, send } from './graph/send'
export type {
  ConditionalEdgeOptions,
  NodeFunction,
  NodeOptions,
  Reducer,
  Reducers,
  RetryPolicy,
  Route,
  RouteResult,
  StateUpdate,
} from './graph/types'
export type { Durability } from './run/checkpoint-writer'
export type {
  CompileOptions,
  GraphRun,
  ResumeValue,
  RunOptions,
  RunResult,
  ThreadState,
} from './run/compiled-graph'
export { CompiledGraph } from './run/compiled-graph'
export type { ThreadCheckpoint } from './run/fold-log'
export type { GraphEvent, GraphEventBody, GraphEventType } from './run/graph-event'
export { interrupt } from './run/interrupt'
export type { SubgraphState } from './run/subgraph-state'

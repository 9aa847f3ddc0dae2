// @ql/agents/testing: the conformance kit for checkpointers written by anyone.

export type { ConformanceCase } from './checkpointer-conformance'
export { checkpointerConformance } from './checkpointer-conformance'

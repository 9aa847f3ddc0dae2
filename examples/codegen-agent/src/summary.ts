import type { CodegenState } from './codegen-graph'

/** What a run did, for the terminal and for machines (`--json`: the `summary` event). */
export interface Summary {
  threadId: string
  status: CodegenState['status']
  /** Write + repair attempts. */
  attempts: number
  /** Problems the parser found after each attempt. */
  problemsPerAttempt: number[]
  /** Problems left in the files written (0 when clean). */
  problemsLeft: number
  outDir: string
  files: string[]
  uncheckedFiles: string[]
  calls: number
  fallbacks: number
  answeredBy: string[]
  tokens: { input: number; output: number; total: number }
  /** US dollars (from the router's pricing table; 0 when no price is known). */
  costUsd: number
  /** Time in model calls over the whole thread, ms. */
  modelMs: number
  /** Time of this process's run, ms. */
  wallMs: number
  /** Whether this process resumed a thread that had stopped. */
  resumed: boolean
}

/** The summary of a finished thread. */
export function summarize(
  state: CodegenState,
  run: { threadId: string; wallMs: number; resumed: boolean },
): Summary {
  return {
    threadId: run.threadId,
    status: state.status,
    attempts: state.attempts,
    problemsPerAttempt: state.problemsPerAttempt,
    problemsLeft: state.problems.length,
    outDir: state.outDir,
    files: state.written,
    uncheckedFiles: state.unchecked,
    calls: state.calls,
    fallbacks: state.fallbacks,
    answeredBy: [...new Set(state.answeredBy)],
    tokens: {
      input: state.inputTokens,
      output: state.outputTokens,
      total: state.inputTokens + state.outputTokens,
    },
    costUsd: state.costUsd,
    modelMs: state.modelMs,
    wallMs: Math.round(run.wallMs),
    resumed: run.resumed,
  }
}

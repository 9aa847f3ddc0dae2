import type { Phase } from './codegen-graph'
import type { TargetInfo } from './providers'
import type { Summary } from './summary'
import type { FileProblem } from './validate-files'

/**
 * Everything the CLI reports, as plain JSON values: `--json` prints one per line, the terminal
 * renderer draws them. The first event of a run is always `mode` (offline or not).
 */
export type CliEvent =
  | { type: 'mode'; offline: boolean; message: string; targets: TargetInfo[] }
  | { type: 'thread'; threadId: string; resumed: boolean; step: number; stateDir: string; outDir: string }
  | { type: 'note'; message: string }
  | { type: 'node-start'; node: string; step: number }
  | { type: 'node-end'; node: string; step: number; durationMs: number }
  | { type: 'token'; node: string; phase: Phase; delta: string }
  | { type: 'repo-map'; files: number; tokens: number; skipped: number }
  | {
      type: 'diagnostics'
      attempt: number
      problems: FileProblem[]
      unchecked: string[]
      next: 'repair' | 'save'
    }
  | { type: 'file-written'; path: string; bytes: number }
  | {
      type: 'attempt-failed'
      targetId: string
      attempt: number
      code: string
      status?: number
      message: string
      action: string
    }
  | { type: 'retry'; targetId: string; attempt: number; delayMs: number; code: string }
  | { type: 'fallback'; from: string; to: string; reason: string; code: string }
  | { type: 'breaker'; targetId: string; state: string; previous: string }
  | {
      type: 'usage'
      targetId: string
      provider: string
      modelId: string
      inputTokens: number
      outputTokens: number
      costUsd: number | undefined
      attempts: number
      durationMs: number
    }
  | ({ type: 'summary' } & Summary)
  | { type: 'interrupted'; threadId: string; message: string }
  | { type: 'error'; code: string; message: string }

/** Prints CLI events somewhere. */
export interface Reporter {
  report(event: CliEvent): void
}

/** `--json`: one JSON object per line. */
export function createJsonReporter(write: (line: string) => void): Reporter {
  return { report: (event) => write(`${JSON.stringify(event)}\n`) }
}

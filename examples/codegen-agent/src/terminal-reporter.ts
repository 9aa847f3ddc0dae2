import { relative } from 'node:path'
import type { CliEvent, Reporter } from './cli-events'
import type { Summary } from './summary'

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan'

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
}

/**
 * Whether to colour: `--color` / `--no-color` win; else `NO_COLOR` (any value) turns colours
 * off, and they are on only when the output is a terminal.
 */
export function shouldColor(
  flag: boolean | undefined,
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
): boolean {
  if (flag !== undefined) return flag
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stream.isTTY === true
}

/**
 * The human view: graph steps as they start and end, the model's tokens as they stream (dimmed,
 * indented), router retries and failovers, the parser's diagnostics with a caret under each
 * problem, and a summary.
 */
export function createTerminalReporter(write: (text: string) => void, options: { color: boolean }): Reporter {
  const paint = (style: Style, text: string) =>
    options.color ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text
  let midLine = false
  let tokensOpen = false
  let atLineStart = false
  const line = (text: string) => {
    if (midLine) write('\n')
    midLine = false
    write(`${text}\n`)
  }
  const closeTokens = () => {
    if (tokensOpen && midLine) write('\n')
    tokensOpen = false
    midLine = false
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

  const report = (event: CliEvent): void => {
    if (event.type !== 'token') closeTokens()
    switch (event.type) {
      case 'mode': {
        line(event.offline ? paint('yellow', paint('bold', event.message)) : paint('bold', event.message))
        event.targets.forEach((target, index) => {
          const role = index === 0 ? 'first' : 'then'
          line(
            paint('dim', `  ${role} ${target.id}: ${target.provider} ${target.modelId} (${target.source})`),
          )
        })
        return
      }
      case 'thread':
        line(
          paint(
            'dim',
            event.resumed
              ? `resuming thread ${event.threadId} after step ${event.step} (state in ${event.stateDir})`
              : `thread ${event.threadId} (state in ${event.stateDir}; Ctrl-C stops it, --thread ${event.threadId} resumes it)`,
          ),
        )
        return
      case 'note':
        line(paint('yellow', `note: ${event.message}`))
        return
      case 'node-start':
        line(`${paint('cyan', '▸')} ${paint('bold', event.node)}`)
        return
      case 'node-end':
        line(`${paint('green', '✓')} ${event.node} ${paint('dim', seconds(event.durationMs))}`)
        return
      case 'token': {
        if (!tokensOpen) {
          if (midLine) write('\n')
          tokensOpen = true
          atLineStart = true
        }
        event.delta.split('\n').forEach((part, index) => {
          if (index > 0) {
            write(atLineStart ? `${paint('dim', '  │')}\n` : '\n')
            atLineStart = true
          }
          if (part === '') return
          if (atLineStart) write(paint('dim', '  │ '))
          atLineStart = false
          write(paint('dim', part))
        })
        midLine = !atLineStart
        return
      }
      case 'repo-map':
        line(paint('dim', `  repository map: ${event.files} files ranked, ${event.tokens} tokens`))
        return
      case 'diagnostics': {
        if (event.problems.length === 0) {
          line(`  ${paint('green', '✓ every file parses clean')}`)
        } else {
          for (const problem of event.problems) {
            const where =
              problem.line === 0 ? problem.path : `${problem.path}:${problem.line}:${problem.column}`
            line(`  ${paint('red', '✗')} ${where} ${paint('red', problem.message)}`)
            if (problem.line > 0) {
              line(paint('dim', `      ${problem.sourceLine}`))
              line(`      ${' '.repeat(Math.max(0, problem.caret))}${paint('red', '^')}`)
            }
          }
          line(
            paint(
              'yellow',
              event.next === 'repair'
                ? `  ${event.problems.length} problem(s) after attempt ${event.attempt}: sending the diagnostics back to the model`
                : `  ${event.problems.length} problem(s) left and no attempts left`,
            ),
          )
        }
        if (event.unchecked.length > 0)
          line(paint('dim', `  not checked (no grammar): ${event.unchecked.join(', ')}`))
        return
      }
      case 'file-written':
        line(`  wrote ${event.path} ${paint('dim', `(${event.bytes} bytes)`)}`)
        return
      case 'attempt-failed':
        line(
          paint(
            'yellow',
            `  ⚠ ${event.targetId} failed: ${event.code}${event.status === undefined ? '' : ` (HTTP ${event.status})`}`,
          ),
        )
        return
      case 'retry':
        line(paint('yellow', `  ↻ retrying ${event.targetId} in ${event.delayMs} ms`))
        return
      case 'fallback':
        line(paint('yellow', `  ⇢ failover: ${event.from} → ${event.to} (${event.code})`))
        return
      case 'breaker':
        line(paint('yellow', `  ⚡ circuit breaker of ${event.targetId}: ${event.previous} → ${event.state}`))
        return
      case 'usage': {
        const cost = event.costUsd === undefined ? 'price unknown' : `$${event.costUsd.toFixed(5)}`
        line(
          paint(
            'dim',
            `  answered by ${event.targetId} (${event.modelId}): ${event.inputTokens} in / ${event.outputTokens} out tokens, ${cost}`,
          ),
        )
        return
      }
      case 'summary':
        for (const text of summaryLines(event, paint)) line(text)
        return
      case 'interrupted':
        line(paint('yellow', event.message))
        return
      case 'error':
        line(paint('red', `error (${event.code}): ${event.message}`))
        return
    }
  }
  return { report }
}

function summaryLines(summary: Summary, paint: (style: Style, text: string) => string): string[] {
  const clean = summary.status === 'clean'
  const near = relative(process.cwd(), summary.outDir)
  const outDir = near === '' ? '.' : near.startsWith('..') ? summary.outDir : near
  const history = summary.problemsPerAttempt.join(' → ')
  return [
    '',
    paint('bold', 'Summary'),
    `  status     ${clean ? paint('green', 'clean') : paint('red', `${summary.problemsLeft} problem(s) left`)} after ${summary.attempts} attempt(s) (problems per attempt: ${history})`,
    `  files      ${summary.files.length} written to ${outDir}/: ${summary.files.join(', ')}`,
    `  model      ${summary.calls} calls, ${summary.fallbacks} fallback(s); answered by ${summary.answeredBy.join(', ')}`,
    `  tokens     ${summary.tokens.input} in, ${summary.tokens.output} out (${summary.tokens.total} total)`,
    `  cost       $${summary.costUsd.toFixed(5)}`,
    `  time       ${(summary.wallMs / 1000).toFixed(1)} s this run, ${(summary.modelMs / 1000).toFixed(1)} s in model calls${summary.resumed ? ' (resumed thread)' : ''}`,
  ]
}

import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { createFileCheckpointer, type GraphEvent } from '@ql/agents'
import { AbortedError, toQlError } from '@ql/provider'
import type { Router } from '@ql/router'
import { type CliEvent, createJsonReporter, type Reporter } from './cli-events'
import { type CodegenEvent, type CodegenState, createCodegenGraph } from './codegen-graph'
import { HELP, parseOptions, UsageError } from './options'
import { createProviders } from './providers'
import { summarize } from './summary'
import { createTerminalReporter, shouldColor } from './terminal-reporter'

/** Where the CLI writes, and what it reads; `process`'s by default. */
export interface CliIo {
  env: NodeJS.ProcessEnv
  stdout: {
    write(text: string): unknown
    isTTY?: boolean
    on?(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown
  }
  stderr: { write(text: string): unknown }
}

/**
 * Exit codes: 0 clean, 1 problems left or an error, 2 bad command line, 130 interrupted, 141 the
 * output was closed (`| head`): the run stops as on Ctrl-C and can be resumed.
 */
export const EXIT = { clean: 0, failed: 1, usage: 2, interrupted: 130, outputClosed: 141 } as const

/**
 * Runs the agent for a command line and returns the exit code. SIGINT and SIGTERM stop the run
 * (through an AbortSignal: every model call and parse in flight is cancelled, nothing half-written
 * is kept) and the thread can be resumed with `--thread`; a second Ctrl-C exits at once.
 */
export async function main(args: readonly string[], io: CliIo = process): Promise<number> {
  let options: ReturnType<typeof parseOptions>
  try {
    options = parseOptions(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`codegen-agent: ${error.message}\nRun codegen-agent --help for the options.\n`)
    return EXIT.usage
  }
  if (options.help) {
    io.stdout.write(HELP)
    return EXIT.clean
  }
  const controller = new AbortController()
  let outputClosed = false
  io.stdout.on?.('error', (error) => {
    // the reader went away (EPIPE): stop quietly, as on Ctrl-C
    outputClosed = true
    controller.abort(new AbortedError({ message: `output closed (${error.code ?? error.message})` }))
  })
  const write = (text: string) => {
    if (!outputClosed) io.stdout.write(text)
  }
  const reporter = options.json
    ? createJsonReporter(write)
    : createTerminalReporter(write, { color: shouldColor(options.color, io.stdout, io.env) })

  let stops = 0
  const stop = (signal: NodeJS.Signals) => {
    stops++
    if (stops > 1) process.exit(EXIT.interrupted)
    controller.abort(new AbortedError({ message: `stopped by ${signal}` }))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  const started = performance.now()
  const threadId = options.thread ?? `run-${randomUUID().slice(0, 8)}`
  const providers = await createProviders(io.env, options)
  try {
    reporter.report({
      type: 'mode',
      offline: providers.offline,
      message: providers.offline
        ? (providers.offlineReason ?? 'offline')
        : `online: ${providers.targets.map((target) => `${target.id} (${target.source})`).join(', ')}`,
      targets: providers.targets,
    })
    if (providers.offline && options.customTask) {
      reporter.report({
        type: 'note',
        message:
          'the offline fake providers answer the demo task with a fixed script, whatever the task says',
      })
    }
    forwardRouterEvents(providers.router, reporter)

    const stateDir = resolve(options.stateDir)
    const graph = createCodegenGraph(
      { model: providers.model, router: providers.router },
      createFileCheckpointer(stateDir),
    )
    const existing = await graph.getState(threadId)
    const resumed = existing !== undefined
    if (existing?.status === 'done') {
      reporter.report({
        type: 'note',
        message: `thread ${threadId} finished earlier; nothing to do. Its summary:`,
      })
      reporter.report({ type: 'summary', ...summarize(existing.state, { threadId, wallMs: 0, resumed }) })
      return existing.state.status === 'clean' ? EXIT.clean : EXIT.failed
    }
    const outDir = existing?.state.outDir ?? resolve(options.out)
    reporter.report({ type: 'thread', threadId, resumed, step: existing?.step ?? 0, stateDir, outDir })
    if (resumed && options.customTask && existing.state.task !== options.task) {
      reporter.report({ type: 'note', message: 'resuming: the thread keeps the task it was started with' })
    }
    if (controller.signal.aborted) throw controller.signal.reason

    const run = resumed
      ? graph.resumeStream(threadId, undefined, { signal: controller.signal })
      : graph.stream(
          {
            task: options.task,
            outDir,
            repoRoot: options.repo === undefined ? undefined : resolve(options.repo),
            maxAttempts: options.maxAttempts,
          },
          { threadId, signal: controller.signal },
        )
    let latest: CodegenState | undefined = existing?.state
    try {
      for await (const event of run) {
        if (event.type === 'state') latest = event.state
        for (const cliEvent of toCliEvents(event, latest)) reporter.report(cliEvent)
      }
    } catch {
      // the same error rejects `run.result`, handled below
    }
    const result = await run.result
    const summary = summarize(result.state, { threadId, wallMs: performance.now() - started, resumed })
    reporter.report({ type: 'summary', ...summary })
    return summary.status === 'clean' ? EXIT.clean : EXIT.failed
  } catch (error) {
    if (outputClosed) return EXIT.outputClosed
    if (controller.signal.aborted) {
      reporter.report({
        type: 'interrupted',
        threadId,
        message: `stopped; the completed steps are saved. Run again with --thread ${threadId} to resume.`,
      })
      return EXIT.interrupted
    }
    const failure = toQlError(error)
    reporter.report({ type: 'error', code: failure.code, message: failure.message })
    return EXIT.failed
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    await providers.close()
  }
}

/** The graph's events as CLI events (steps, tokens, diagnostics, files written). */
function toCliEvents(event: GraphEvent<CodegenState>, latest: CodegenState | undefined): CliEvent[] {
  switch (event.type) {
    case 'node-start':
      return [{ type: 'node-start', node: event.node, step: event.step }]
    case 'custom': {
      const data = event.data as CodegenEvent
      if (data.kind === 'token')
        return [{ type: 'token', node: event.node, phase: data.phase, delta: data.delta }]
      if (data.kind === 'repo-map')
        return [{ type: 'repo-map', files: data.files, tokens: data.tokens, skipped: data.skipped }]
      return [{ type: 'file-written', path: data.path, bytes: data.bytes }]
    }
    case 'node-end': {
      const durationMs = Math.round(event.durationMs)
      const end: CliEvent = { type: 'node-end', node: event.node, step: event.step, durationMs }
      if (event.node !== 'validate' || latest === undefined) return [end]
      const problems = event.update.problems ?? []
      const next = problems.length === 0 || latest.attempts >= latest.maxAttempts ? 'save' : 'repair'
      return [
        {
          type: 'diagnostics',
          attempt: latest.attempts,
          problems,
          unchecked: event.update.unchecked ?? [],
          next,
        },
        end,
      ]
    }
    default:
      return []
  }
}

function forwardRouterEvents(router: Router, reporter: Reporter): void {
  router.on('attempt-failed', (event) =>
    reporter.report({
      type: 'attempt-failed',
      targetId: event.targetId,
      attempt: event.attempt,
      code: event.error.code,
      ...(event.error.status === undefined ? {} : { status: event.error.status }),
      message: event.error.message,
      action: event.action,
    }),
  )
  router.on('retry', (event) =>
    reporter.report({
      type: 'retry',
      targetId: event.targetId,
      attempt: event.attempt,
      delayMs: Math.round(event.delayMs),
      code: event.error.code,
    }),
  )
  router.on('fallback', (event) =>
    reporter.report({
      type: 'fallback',
      from: event.from,
      to: event.to,
      reason: event.reason,
      code: event.error.code,
    }),
  )
  router.on('breaker', (event) =>
    reporter.report({
      type: 'breaker',
      targetId: event.targetId,
      state: event.state,
      previous: event.previous,
    }),
  )
  router.on('usage', (event) =>
    reporter.report({
      type: 'usage',
      targetId: event.targetId,
      provider: event.provider,
      modelId: event.modelId,
      inputTokens: event.usage.inputTokens,
      outputTokens: event.usage.outputTokens,
      costUsd: event.cost?.totalCost,
      attempts: event.attempts,
      durationMs: Math.round(event.durationMs),
    }),
  )
}

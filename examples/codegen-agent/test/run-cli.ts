import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { CliEvent } from '../src/cli-events'

/** The command, as `pnpm demo` runs it: the @ql packages from source, through tsx. */
export const BIN = fileURLToPath(new URL('../bin/codegen-agent.mjs', import.meta.url))

/** Starting node + tsx and loading the grammars is slow on a loaded 2-core machine: be generous. */
export const CHILD_TIMEOUT_MS = 150_000

/** Credentials that would make the CLI go online: removed from the child's environment. */
const CREDENTIALS = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'OPENAI_COMPATIBLE_BASE_URL',
]

/** How a CLI run ended. */
export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  events: CliEvent[]
  stdout: string
  stderr: string
}

/**
 * Runs the CLI as a child process. `onEvent` sees each `--json` event as it arrives, with the
 * child (to send it a signal). Kills the child and rejects after {@link CHILD_TIMEOUT_MS}.
 */
export function runCli(
  args: readonly string[],
  options: {
    cwd: string
    onEvent?: (event: CliEvent, child: { kill(signal: NodeJS.Signals): void }) => void
  },
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  for (const name of CREDENTIALS) delete env[name]
  const child = spawn(process.execPath, ['--conditions=@ql/source', BIN, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const events: CliEvent[] = []
  let stdout = ''
  let stderr = ''
  let pending = ''
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk
    pending += chunk
    let newline = pending.indexOf('\n')
    while (newline >= 0) {
      const line = pending.slice(0, newline)
      pending = pending.slice(newline + 1)
      newline = pending.indexOf('\n')
      if (!args.includes('--json') || line.trim() === '') continue
      const event = JSON.parse(line) as CliEvent
      events.push(event)
      options.onEvent?.(event, child)
    }
  })
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`the CLI did not finish in ${CHILD_TIMEOUT_MS} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`),
      )
    }, CHILD_TIMEOUT_MS)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, events, stdout, stderr })
    })
  })
}

/** The events of one type. */
export function eventsOf<Type extends CliEvent['type']>(
  run: CliRun,
  type: Type,
): Extract<CliEvent, { type: Type }>[] {
  return run.events.filter((event): event is Extract<CliEvent, { type: Type }> => event.type === type)
}

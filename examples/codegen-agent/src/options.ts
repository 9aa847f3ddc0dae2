import { parseArgs } from 'node:util'

/** The task the demo runs when none is given (the offline script answers this one). */
export const DEMO_TASK =
  'Write a small TypeScript module that turns titles into URL slugs (accents removed, a separator ' +
  'of your choice, a length cap at a word boundary), a command-line entry point, and node:test tests.'

/** What the command line asked for. */
export interface CliOptions {
  task: string
  /** Whether `task` came from the command line (the offline script only answers {@link DEMO_TASK}). */
  customTask: boolean
  repo: string | undefined
  out: string
  thread: string | undefined
  stateDir: string
  maxAttempts: number
  json: boolean
  offline: boolean
  offlineDelayMs: number
  color: boolean | undefined
  help: boolean
}

/** A command line that cannot be run; the CLI prints the message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The `--help` text. */
export const HELP = `codegen-agent: a task in, validated code out.

Usage:
  codegen-agent [options] [task...]

Plans, writes the files, parses every file with @ql/parser, feeds the diagnostics back to the model
and repairs until the code is clean or the attempts run out, then writes the files and a summary.

Providers come from the environment; the first is tried first, the others are fallbacks:
  OPENAI_API_KEY                    OpenAI           (model: CODEGEN_OPENAI_MODEL, default gpt-4.1-mini)
  ANTHROPIC_API_KEY                 Anthropic        (model: CODEGEN_ANTHROPIC_MODEL, default claude-haiku-4-5)
  AWS credentials + AWS_REGION      Amazon Bedrock   (model: CODEGEN_BEDROCK_MODEL)
  OPENAI_COMPATIBLE_BASE_URL        Ollama, vLLM, …  (model: OPENAI_COMPATIBLE_MODEL, default llama3.2;
                                                      key: OPENAI_COMPATIBLE_API_KEY, if it needs one)
With none of them it runs OFFLINE against loopback fake providers with scripted answers.

Options:
  -t, --task <text>        what to build (default: a slugify module, the demo task)
      --repo <dir>         an existing repository to use as context (a ranked map of its code)
  -o, --out <dir>          where to write the files (default: ./codegen-out)
      --thread <id>        the run's id; run again with the same id to resume it (default: new)
      --state-dir <dir>    where runs are checkpointed (default: ./.codegen-state)
      --max-attempts <n>   write + repair attempts before giving up (default: 3)
      --json               one JSON event per line on stdout, for machines
      --offline            use the fake providers even when credentials are set
      --offline-delay <ms> pause between streamed chunks of the fake providers (default: 5)
      --color, --no-color  force colours on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help               show this help

Ctrl-C stops the run (exit code 130); run again with the same --thread to resume it where it stopped.
Exit codes: 0 clean code written, 1 problems left or an error, 2 bad command line, 130 interrupted,
141 output closed (a pipe whose reader left; resumable like 130).
`

/** Reads the command line (`process.argv.slice(2)`). @throws UsageError */
export function parseOptions(args: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(args)
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  const taskParts = [values.task, ...positionals].filter((part): part is string => part !== undefined)
  const task = taskParts.join(' ').trim()
  return {
    task: task === '' ? DEMO_TASK : task,
    customTask: task !== '',
    repo: values.repo,
    out: values.out ?? 'codegen-out',
    thread: checkThread(values.thread),
    stateDir: values['state-dir'] ?? '.codegen-state',
    maxAttempts: integer('--max-attempts', values['max-attempts'] ?? '3', 1, 20),
    json: values.json ?? false,
    offline: values.offline ?? false,
    offlineDelayMs: integer('--offline-delay', values['offline-delay'] ?? '5', 0, 10_000),
    color: values['no-color'] ? false : values.color ? true : undefined,
    help: values.help ?? false,
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      task: { type: 'string', short: 't' },
      repo: { type: 'string' },
      out: { type: 'string', short: 'o' },
      thread: { type: 'string' },
      'state-dir': { type: 'string' },
      'max-attempts': { type: 'string' },
      json: { type: 'boolean' },
      offline: { type: 'boolean' },
      'offline-delay': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(text)}`)
  }
  return value
}

function checkThread(thread: string | undefined): string | undefined {
  if (thread !== undefined && !/^[\w.-]{1,100}$/.test(thread)) {
    throw new UsageError(
      `--thread must be 1 to 100 letters, digits, '.', '_' or '-'; got ${JSON.stringify(thread)}`,
    )
  }
  return thread
}

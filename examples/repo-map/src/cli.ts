import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { buildRepoMap, type RepoMap, type RepoMapProgress, type SkippedFile } from '@ql/parser'
import { HELP, parseOptions, type RepoMapOptions, UsageError } from './options'
import { createProgress, type ProgressStream } from './progress'

/** Where the CLI writes; `process`'s by default. */
export interface CliIo {
  stdout: {
    write(text: string): unknown
    on?(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown
  }
  /** The summary line and the progress display (on a terminal) go here. */
  stderr: ProgressStream
}

/** Exit codes: 0 map printed, 1 failed, 2 bad command line, 130 stopped by Ctrl-C. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const

/** What `--json` prints. */
export interface RepoMapJson {
  root: string
  maxTokens: number
  /** Tokens of `text`, by `@ql/parser`'s counter (which errs high): at most `maxTokens`. */
  tokens: number
  text: string
  /** The definitions in the map, most important first. */
  entries: RepoMap['entries']
  /** Every mapped file by PageRank, highest first. */
  files: RepoMap['files']
  /** Files left out, and why. */
  skipped: SkippedFile[]
  /** Files the walk listed (after every ignore rule). */
  listed: number
  durationMs: number
}

/** Runs the command for a command line and returns the exit code. */
export async function main(
  args: readonly string[],
  io: CliIo = process,
  signal: AbortSignal = processSignal(),
): Promise<number> {
  let options: RepoMapOptions
  try {
    options = parseOptions(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`repo-map: ${error.message}\nRun repo-map --help for the options.\n`)
    return EXIT.usage
  }
  if (options.help) {
    io.stdout.write(HELP)
    return EXIT.ok
  }
  const root = resolve(options.root)
  const kind = await stat(root).then(
    (stats) => (stats.isDirectory() ? 'directory' : 'not a directory'),
    () => 'missing',
  )
  if (kind !== 'directory') {
    io.stderr.write(`repo-map: ${options.root} is ${kind === 'missing' ? 'not there' : 'not a directory'}\n`)
    return EXIT.usage
  }
  // a reader that goes away (`| head`) ends the output quietly
  io.stdout.on?.('error', () => {})

  const started = performance.now()
  const progress = createProgress(io.stderr, {
    enabled: options.progress === 'auto' && io.stderr.isTTY === true,
  })
  // files the walk listed (after every ignore rule), as buildRepoMap reports them while reading
  let listed = 0
  const onProgress = ({ phase, done, total }: RepoMapProgress) => {
    if (phase === 'reading') {
      listed = done
      progress.update('reading files', done)
    } else if (phase === 'parsing') progress.update('parsing', done, total)
    else progress.update('ranking')
  }
  try {
    const map = await buildRepoMap(
      { root },
      {
        maxTokens: options.tokens,
        ...(options.focus.length > 0 ? { focus: options.focus } : {}),
        ignore: options.ignore,
        signal,
        onProgress,
      },
    )
    progress.stop()
    const { skipped } = map
    const durationMs = Math.round(performance.now() - started)
    if (options.json) {
      const json: RepoMapJson = {
        root,
        maxTokens: options.tokens,
        tokens: map.tokens,
        text: map.text,
        entries: map.entries,
        files: map.files,
        skipped,
        listed,
        durationMs,
      }
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
      return EXIT.ok
    }
    if (map.text !== '') io.stdout.write(map.text.endsWith('\n') ? map.text : `${map.text}\n`)
    io.stderr.write(`${summary(map, options.tokens, listed, skipped, durationMs)}\n`)
    return EXIT.ok
  } catch (error) {
    progress.stop()
    if (signal.aborted) {
      io.stderr.write('repo-map: stopped\n')
      return EXIT.interrupted
    }
    io.stderr.write(`repo-map: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.failed
  }
}

/** One line about the map: its tokens against the budget, what it holds, what was left out. */
export function summary(
  map: RepoMap,
  budget: number,
  listed: number,
  skipped: readonly SkippedFile[],
  durationMs: number,
): string {
  const count = (n: number) => n.toLocaleString('en-US')
  const files = (n: number) => `${count(n)} file${n === 1 ? '' : 's'}`
  if (map.entries.length === 0) {
    return (
      `repo-map: no definitions to show: ${files(listed)} listed, ${count(map.files.length)} with symbols` +
      (map.files.length > 0 ? ` (the budget of ${count(budget)} tokens is too small for one)` : '')
    )
  }
  const shownFiles = new Set(map.entries.map((entry) => entry.path)).size
  const reasons = new Map<string, number>()
  for (const file of skipped) reasons.set(file.reason, (reasons.get(file.reason) ?? 0) + 1)
  const why = [...reasons].map(([reason, n]) => `${reason} ${count(n)}`).join(', ')
  return (
    `repo-map: ${count(map.tokens)} of ${count(budget)} tokens · ` +
    `${count(map.entries.length)} definition${map.entries.length === 1 ? '' : 's'} from ${files(shownFiles)} · ` +
    `${files(map.files.length)} mapped, ${count(skipped.length)} left out${why ? ` (${why})` : ''} · ` +
    `${(durationMs / 1000).toFixed(1)} s`
  )
}

/** Aborts on the first Ctrl-C (or SIGTERM); a second one exits at once. */
function processSignal(): AbortSignal {
  const controller = new AbortController()
  const stop = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted)
    controller.abort()
  }
  process.once('SIGINT', stop).once('SIGTERM', stop)
  return controller.signal
}

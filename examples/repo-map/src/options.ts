import { parseArgs } from 'node:util'

/** What the command line asked for. */
export interface RepoMapOptions {
  /** The directory to map. */
  root: string
  /** The most tokens the map may take. */
  tokens: number
  /** Files being worked on and names being discussed: the map favours them and what they use. */
  focus: string[]
  /** Extra gitignore-style patterns to leave out, on top of every `.gitignore`. */
  ignore: string[]
  json: boolean
  /** `auto`: a progress display on a terminal (stderr), none otherwise. */
  progress: 'auto' | 'never'
  help: boolean
}

/** A command line that cannot be run; the CLI prints the message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The default token budget: what a model's context can spare for a map of the code around a task. */
export const DEFAULT_TOKENS = 1024

/** The `--help` text. */
export const HELP = `repo-map: the most important definitions of a code base, within a token budget.

Usage:
  repo-map [options] [directory]

Lists the directory's files as git would (every .gitignore and .git/info/exclude honoured),
parses each one with @ql/parser (tree-sitter, 34 languages), ranks the definitions by how much the
rest of the code references them (PageRank over the references) and prints the best that fit the
budget, each under its file with the signature lines around it. Offline: no model, no network.

Options:
  -t, --tokens <n>      the token budget of the map (default: ${DEFAULT_TOKENS})
  -f, --focus <items>   files you are editing or names you care about; the map favours them and
                        what they use (repeat it, or separate with commas)
      --ignore <glob>   leave out more paths, gitignore syntax (repeatable), e.g. --ignore 'dist/'
      --json            the map, its entries, the ranked files and the skipped ones as JSON
      --no-progress     no progress display (default: shown on a terminal, on stderr)
  -h, --help            show this help

The map goes to stdout; the summary line and the progress display go to stderr.
`

/** Parses the command line; throws {@link UsageError} for a bad one. */
export function parseOptions(args: readonly string[]): RepoMapOptions {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(args)
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  if (positionals.length > 1) {
    throw new UsageError(`one directory at a time, got ${positionals.length}: ${positionals.join(' ')}`)
  }
  const tokens = values.tokens === undefined ? DEFAULT_TOKENS : Number(values.tokens)
  if (!Number.isInteger(tokens) || tokens <= 0) {
    throw new UsageError(`--tokens takes a positive whole number, got ${JSON.stringify(values.tokens)}`)
  }
  const focus = (values.focus ?? [])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '')
  return {
    root: positionals[0] ?? '.',
    tokens,
    focus,
    ignore: values.ignore ?? [],
    json: values.json ?? false,
    progress: values['no-progress'] ? 'never' : 'auto',
    help: values.help ?? false,
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      tokens: { type: 'string', short: 't' },
      focus: { type: 'string', short: 'f', multiple: true },
      ignore: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

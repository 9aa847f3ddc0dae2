import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import ignore from 'ignore'

type Ignore = ReturnType<typeof ignore>

/** Options of {@link walkRepository}. */
export interface WalkRepositoryOptions {
  /** Extra gitignore-style patterns, applied from the root (for example `['dist/', '*.min.js']`). */
  readonly ignore?: readonly string[]
  /** Stops the walk: the iteration throws the signal's reason. */
  readonly signal?: AbortSignal
}

interface Rules {
  /** The directory the rules belong to, relative to the root, POSIX, `''` for the root. */
  readonly base: string
  readonly rules: Ignore
}

async function readRules(directory: string, base: string, file = '.gitignore'): Promise<Rules | undefined> {
  try {
    const text = await readFile(join(directory, file), 'utf8')
    return { base, rules: ignore({ ignorecase: false }).add(text) }
  } catch {
    return undefined
  }
}

/**
 * Git's precedence: the extra patterns first, then the `.gitignore` closest to the path, up to
 * the root's, then `.git/info/exclude`; within one file the last matching pattern wins, and the
 * first file with a matching pattern decides (so a nested `!keep.log` re-includes what the
 * root's `*.log` left out).
 */
function isIgnored(
  extra: Rules | undefined,
  stack: readonly Rules[],
  excludes: Rules | undefined,
  path: string,
  directory: boolean,
): boolean {
  const decide = ({ base, rules }: Rules): boolean | undefined => {
    const local = base === '' ? path : path.slice(base.length + 1)
    const result = rules.test(directory ? `${local}/` : local)
    return result.ignored ? true : result.unignored ? false : undefined
  }
  if (extra !== undefined && decide(extra) === true) return true
  for (let i = stack.length - 1; i >= 0; i--) {
    const decision = decide(stack[i] as Rules)
    if (decision !== undefined) return decision
  }
  return excludes === undefined ? false : decide(excludes) === true
}

/**
 * Lists the files under `root` the way git would see them: every `.gitignore` on the way down
 * is honoured (nested ones apply to their own directory, as in git) and so is
 * `.git/info/exclude`; `.git` itself is skipped, and
 * symbolic links are not followed. Yields paths relative to `root`, with `/` separators, in a
 * stable (sorted) order.
 */
export async function* walkRepository(
  root: string,
  options: WalkRepositoryOptions = {},
): AsyncGenerator<string> {
  const extra: Rules | undefined = options.ignore?.length
    ? { base: '', rules: ignore({ ignorecase: false }).add([...options.ignore]) }
    : undefined
  // the repository's own excludes (`.git/info/exclude`): below every .gitignore
  const excludes = await readRules(join(root, '.git', 'info'), '', 'exclude')
  const rootRules = await readRules(root, '')
  const ignored = (stack: readonly Rules[], path: string, directory: boolean) =>
    isIgnored(extra, stack, excludes, path, directory)
  yield* walk(root, '', rootRules ? [rootRules] : [], ignored, options.signal)
}

async function* walk(
  directory: string,
  base: string,
  stack: readonly Rules[],
  isIgnored: (stack: readonly Rules[], path: string, directory: boolean) => boolean,
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  signal?.throwIfAborted()
  const entries = await readdir(directory, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    if (entry.name === '.git') continue
    const path = base === '' ? entry.name : `${base}/${entry.name}`
    if (entry.isDirectory()) {
      if (isIgnored(stack, path, true)) continue
      const absolute = join(directory, entry.name)
      const nested = await readRules(absolute, path)
      yield* walk(absolute, path, nested ? [...stack, nested] : stack, isIgnored, signal)
    } else if (entry.isFile()) {
      if (!isIgnored(stack, path, false)) yield path
    }
  }
}

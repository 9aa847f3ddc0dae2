import { access, readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
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
  /**
   * For the rules of a directory above the root (the root is inside a git repository): the path
   * from that directory down to the root, POSIX, prefixed to every path tested.
   */
  readonly prefix?: string
  readonly rules: Ignore
}

async function readRules(
  directory: string,
  base: string,
  file = '.gitignore',
  prefix?: string,
): Promise<Rules | undefined> {
  try {
    const text = await readFile(join(directory, file), 'utf8')
    const rules = ignore({ ignorecase: false }).add(text)
    return prefix === undefined ? { base, rules } : { base, prefix, rules }
  } catch {
    return undefined
  }
}

/** True when `rules` (of a directory above the root) ignore the root or a directory on the way to it. */
function ignoresTheRoot(rules: Rules): boolean {
  const segments = (rules.prefix ?? '').split('/').filter((segment) => segment !== '')
  for (let depth = 1; depth <= segments.length; depth++) {
    if (rules.rules.ignores(`${segments.slice(0, depth).join('/')}/`)) return true
  }
  return false
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/**
 * When `root` is inside a git repository (not at its top), the `.gitignore` files of the
 * directories from the repository's top down to `root`'s parent apply to it too, as in git, and
 * so does the repository's `.git/info/exclude`. Farthest first.
 */
async function enclosingRules(root: string): Promise<{ above: Rules[]; excludes: Rules | undefined }> {
  const start = resolve(root)
  if (await exists(join(start, '.git'))) return { above: [], excludes: undefined }
  const chain: string[] = []
  for (let directory = dirname(start); ; directory = dirname(directory)) {
    chain.push(directory)
    if (await exists(join(directory, '.git'))) {
      const above: Rules[] = []
      for (const ancestor of chain.reverse()) {
        const prefix = relative(ancestor, start).split(sep).join('/')
        const rules = await readRules(ancestor, '', '.gitignore', prefix)
        if (rules !== undefined) above.push(rules)
      }
      const top = chain[0] as string
      const excludes = await readRules(
        join(top, '.git', 'info'),
        '',
        'exclude',
        relative(top, start).split(sep).join('/'),
      )
      // a root the repository itself ignores (a package in node_modules, say) was chosen on
      // purpose: it is listed on its own terms, as if it were a repository of its own
      if ([...above, ...(excludes ? [excludes] : [])].some(ignoresTheRoot))
        return { above: [], excludes: undefined }
      return { above, excludes }
    }
    if (dirname(directory) === directory) return { above: [], excludes: undefined }
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
  const decide = ({ base, prefix, rules }: Rules): boolean | undefined => {
    const inRoot = base === '' ? path : path.slice(base.length + 1)
    const local = prefix === undefined ? inRoot : `${prefix}/${inRoot}`
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
  // a root inside a repository inherits the .gitignore files above it and the repository's excludes
  const enclosing = await enclosingRules(root)
  // the repository's own excludes (`.git/info/exclude`): below every .gitignore
  const excludes = (await readRules(join(root, '.git', 'info'), '', 'exclude')) ?? enclosing.excludes
  const rootRules = await readRules(root, '')
  const ignored = (stack: readonly Rules[], path: string, directory: boolean) =>
    isIgnored(extra, stack, excludes, path, directory)
  yield* walk(
    root,
    '',
    rootRules ? [...enclosing.above, rootRules] : enclosing.above,
    ignored,
    options.signal,
  )
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

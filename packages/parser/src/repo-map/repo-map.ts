import type { SymbolKind } from '../symbols/symbol-kind'

/** A file given to `buildRepoMap`. */
export interface RepoFile {
  /** Its path, relative to the repository root, with `/` separators. Used for language detection and in the map. */
  readonly path: string
  /** Its source text. */
  readonly content: string
}

/** What `buildRepoMap` maps: a directory on disk, or files already in memory. */
export type RepoMapInput = { readonly root: string } | { readonly files: readonly RepoFile[] }

/** One definition in a repository map. */
export interface RepoMapEntry {
  /** The file it is in. */
  readonly path: string
  readonly name: string
  readonly kind: SymbolKind
  /** 1-based line where it starts. */
  readonly line: number
  /** Its signature line (see `SymbolDefinition.signature`). */
  readonly signature: string
  /** The enclosing definition's name, if any. */
  readonly enclosing?: string
  /**
   * Its importance: the PageRank of the files that reference it, shared out over the names
   * they reference, the way Aider ranks tags. Higher is more important; entries are sorted by it.
   */
  readonly rank: number
}

/** A file of the repository and its PageRank. */
export interface RankedFile {
  readonly path: string
  readonly rank: number
}

/** A file `buildRepoMap` left out, and why. */
export interface SkippedFile {
  readonly path: string
  readonly reason:
    | 'too-large'
    | 'binary'
    | 'unknown-language'
    | 'no-symbols'
    | 'parse-error'
    | 'too-deep'
    | 'budget-exceeded'
  /**
   * For `parse-error`: the error's message. For `too-deep`: how deep. For `budget-exceeded`:
   * which budget ran out (the file's, while it was parsed or its symbols extracted, or the
   * whole build's, before the file was reached).
   */
  readonly detail?: string
}

/** A ranked map of a repository's definitions, cut to a token budget. */
export interface RepoMap {
  /** The definitions shown in `text`, most important first. */
  readonly entries: RepoMapEntry[]
  /**
   * The map as text for an LLM prompt: for each file (most important first), its path, then the
   * signature lines of its chosen definitions, each with the lines of the scopes around it, and
   * `⋮` where lines are left out (Aider's format).
   */
  readonly text: string
  /** Tokens of `text` by the counter in use; at most `maxTokens`. */
  readonly tokens: number
  /** Every file with symbols, by PageRank, highest first. */
  readonly files: RankedFile[]
  /** Files that were not mapped. */
  readonly skipped: SkippedFile[]
}

/** Options of `buildRepoMap`. */
export interface BuildRepoMapOptions {
  /** The most tokens `text` may take. */
  readonly maxTokens: number
  /**
   * What the map should favour: files being edited and names being discussed. Given as an array,
   * each string that is a mapped file's path is a file, any other an identifier.
   * Focus files personalise the PageRank toward them (and what they reference); focus
   * identifiers weigh the references to those names up.
   */
  readonly focus?:
    | readonly string[]
    | { readonly files?: readonly string[]; readonly identifiers?: readonly string[] }
  /** Counts tokens of the rendered map. Default `estimateTokens` (characters / 4). */
  readonly countTokens?: (text: string) => number
  /** Files larger than this many bytes (UTF-8) are skipped. Default 1,000,000. */
  readonly maxFileBytes?: number
  /** With `{ root }`: extra gitignore-style patterns to leave out (`.gitignore` files are always honoured). */
  readonly ignore?: readonly string[]
  /**
   * How many worker threads parse the files; `1` maps them in this thread. Default: in this
   * thread, except with more than 2 cores and at least 8 MB of source (then one per core but
   * one, at most 4), in the built package (from source: always 1); measured by
   * `bench/parser/repo-map-workers.ts`. Each worker loads its own grammars. If they cannot
   * start, the files are mapped in this thread.
   */
  readonly workers?: number
  /**
   * Time budget of one file, in milliseconds: its parse and its symbols. A file that runs past
   * it is skipped (`budget-exceeded`) and the map is built from the others. Default 5,000.
   * Files with brackets nested past 2,000 deep are skipped (`too-deep`) without being parsed.
   */
  readonly fileBudgetMs?: number
  /**
   * Time budget of the whole build, in milliseconds. Files not mapped when it runs out are
   * skipped (`budget-exceeded`) and the map is built from those that were. Default 120,000.
   */
  readonly budgetMs?: number
  /** Cancels the build: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /**
   * Called as the build advances, for a progress display: each file listed and read (with
   * `{ root }`), each file parsed (with a total), and once when ranking starts. Called
   * synchronously from the build; an error it throws fails the build.
   *
   * @example
   * ```ts
   * await buildRepoMap({ root: '.' }, {
   *   maxTokens: 2048,
   *   onProgress: ({ phase, done, total }) => console.error(phase, done, total ?? ''),
   * })
   * ```
   */
  readonly onProgress?: (progress: RepoMapProgress) => void
}

/** How far {@link buildRepoMap} has got, as `onProgress` reports it. */
export interface RepoMapProgress {
  /**
   * `reading`: listing the tree and reading the files worth parsing (no total is known yet);
   * `parsing`: parsing files and extracting their symbols; `ranking`: ranking and rendering the map.
   */
  readonly phase: 'reading' | 'parsing' | 'ranking'
  /** Files listed so far (`reading`), or parsed so far (`parsing`); 0 for `ranking`. */
  readonly done: number
  /** Files to parse, during `parsing`. */
  readonly total?: number
}

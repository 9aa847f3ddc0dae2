import { open, readFile, stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { estimateTokens } from '../chunks/estimate-tokens'
import { detectLanguage } from '../detect-language'
import { getTagsQuery } from '../queries/tags-query'
import { mapFilesInWorkers, repoMapWorkerUrl } from './map-files-in-workers'
import { isSkipped, type MappedRepoFile, mapRepoFile } from './map-repo-file'
import { type RankedDefinition, rankDefinitions } from './rank-definitions'
import { type MappedDefinition, type MappedFile, renderRepoMap } from './render-repo-map'
import type {
  BuildRepoMapOptions,
  RepoFile,
  RepoMap,
  RepoMapEntry,
  RepoMapInput,
  SkippedFile,
} from './repo-map'
import { walkRepository } from './walk-repository'

const DEFAULT_MAX_FILE_BYTES = 1_000_000
const DEFAULT_FILE_BUDGET_MS = 5_000
const DEFAULT_BUDGET_MS = 120_000
const OUT_OF_TIME = "the build's budget ran out before this file was mapped"

/** The build's clock: when it must be done, and each file's budget within it. */
interface Budget {
  readonly deadline: number
  readonly fileBudgetMs: number
}

/** Milliseconds a file may take now: its own budget, or what is left of the build's if less. */
function fileTimeout(budget: Budget): number {
  return Math.max(1, Math.min(budget.fileBudgetMs, budget.deadline - performance.now()))
}

function outOfTime(budget: Budget): boolean {
  return performance.now() >= budget.deadline
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0))
    throw new RangeError(`buildRepoMap: ${name} must be a positive number, got ${value}.`)
}

/**
 * Builds a repository map the way Aider does, as a library call: every file is parsed and its
 * definitions and references extracted (each tree freed right away); files become nodes of a
 * graph with an edge from each file to the files defining the names it references, weighted
 * by how often and how specific the name is; PageRank (personalised toward `focus`) ranks the
 * files, and each file's rank is shared out over the definitions it references. The best
 * definitions that fit `maxTokens` are rendered (binary search on how many), each with the
 * signature lines of the scopes around it.
 *
 * @param input - `{ root }`: a directory, walked honouring every `.gitignore`; or `{ files }`.
 * @throws {RangeError} when `maxTokens` is not a positive number.
 * @throws the signal's reason when `options.signal` aborts.
 *
 * @example
 * ```ts
 * const map = await buildRepoMap({ root: '.' }, { maxTokens: 1024, focus: ['src/server.ts'] })
 * prompt += map.text
 * ```
 */
export async function buildRepoMap(input: RepoMapInput, options: BuildRepoMapOptions): Promise<RepoMap> {
  const { maxTokens } = options
  if (!(maxTokens > 0))
    throw new RangeError(`buildRepoMap: maxTokens must be a positive number, got ${maxTokens}.`)
  positive('fileBudgetMs', options.fileBudgetMs)
  positive('budgetMs', options.budgetMs)
  const budget: Budget = {
    deadline: performance.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS),
    fileBudgetMs: options.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS,
  }
  const count = options.countTokens ?? estimateTokens
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const skipped: SkippedFile[] = []
  const mapped: MappedRepoFile[] = []

  const inputs: RepoFile[] = []
  for await (const file of readInput(input, options, maxFileBytes, budget, skipped)) inputs.push(file)
  options.signal?.throwIfAborted()
  for (const result of await mapAll(inputs, maxFileBytes, budget, options)) {
    if (isSkipped(result)) skipped.push(result)
    else mapped.push(result)
  }
  options.signal?.throwIfAborted()
  options.onProgress?.({ phase: 'ranking', done: 0 })

  const { files: focusFiles, identifiers: focusIdentifiers } = resolveFocus(options.focus, mapped)
  const candidates = rankDefinitions(mapped, { files: focusFiles, identifiers: focusIdentifiers })
  const fileRanks = candidates.fileRanks

  // the largest number of top entries whose rendering fits the budget
  const render = (n: number) => renderRepoMap(group(candidates.list.slice(0, n)))
  let low = 0
  let high = candidates.list.length
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (count(render(middle)) <= maxTokens) low = middle
    else high = middle - 1
  }
  const chosen = candidates.list.slice(0, low)
  const text = render(low)
  const entries: RepoMapEntry[] = chosen.map(({ file, definition, rank }) => ({
    path: file.path,
    name: definition.name,
    kind: definition.kind,
    line: definition.line,
    signature: definition.signature,
    ...(definition.enclosing === undefined ? {} : { enclosing: definition.enclosing }),
    rank,
  }))
  return {
    entries,
    text,
    tokens: count(text),
    files: mapped
      .map((file, index) => ({ path: file.path, rank: fileRanks[index] ?? 0 }))
      .sort((a, b) => b.rank - a.rank || compare(a.path, b.path)),
    skipped,
  }
}

/**
 * The default number of worker threads for `bytes` of source on `cores` cores, chosen by
 * measurement (bench/parser/repo-map-workers.ts, numbers in bench/parser/repo-map-results.md):
 * on 2 cores the pool was slower than this thread at every size measured under load (1.4–3.8×
 * the time, 0.8–11 MB), and a worker's start and grammar loading cost about a second of CPU, so
 * workers are used only with more than 2 cores and at least 8 MB of source.
 */
export function defaultRepoMapWorkers(bytes: number, cores: number): number {
  if (cores <= 2 || bytes < WORKER_THRESHOLD_BYTES) return 1
  return Math.min(4, cores - 1)
}

/** Worth a worker pool only past this much source. */
const WORKER_THRESHOLD_BYTES = 8_000_000

async function mapAll(
  files: readonly RepoFile[],
  maxFileBytes: number,
  budget: Budget,
  options: BuildRepoMapOptions,
): Promise<(MappedRepoFile | SkippedFile)[]> {
  const url = repoMapWorkerUrl()
  const total = files.reduce((sum, file) => sum + file.content.length, 0)
  const { onProgress } = options
  onProgress?.({ phase: 'parsing', done: 0, total: files.length })
  // from source, workers need a TypeScript loader: only when asked for
  const workers =
    options.workers ??
    (url !== undefined && !url.pathname.endsWith('.ts')
      ? defaultRepoMapWorkers(total, availableParallelism())
      : 1)
  if (workers > 1 && url !== undefined) {
    // an error thrown by onProgress fails the build; any other worker failure falls back to this thread
    let progressFailed: { error: unknown } | undefined
    const reportMapped =
      onProgress &&
      ((done: number) => {
        try {
          onProgress({ phase: 'parsing', done, total: files.length })
        } catch (error) {
          progressFailed = { error }
          throw error
        }
      })
    try {
      const results = await mapFilesInWorkers(
        files,
        maxFileBytes,
        workers,
        url,
        budget,
        options.signal,
        reportMapped,
      )
      // files no worker finished before the build's deadline
      return Array.from(
        results,
        (result, index): MappedRepoFile | SkippedFile =>
          result ?? { path: (files[index] as RepoFile).path, reason: 'budget-exceeded', detail: OUT_OF_TIME },
      )
    } catch (error) {
      options.signal?.throwIfAborted()
      if (progressFailed !== undefined) throw progressFailed.error
      // workers unavailable here (no TypeScript loader when running from source, a sandbox): map in this thread
      void error
    }
  }
  const results: (MappedRepoFile | SkippedFile)[] = []
  for (const [index, file] of files.entries()) {
    options.signal?.throwIfAborted()
    if (outOfTime(budget)) {
      results.push({ path: file.path, reason: 'budget-exceeded', detail: OUT_OF_TIME })
      continue
    }
    results.push(await mapRepoFile(file, maxFileBytes, fileTimeout(budget)))
    onProgress?.({ phase: 'parsing', done: index + 1, total: files.length })
    // parsing is synchronous: let timers and I/O run now and then in a big repository
    if (index % 64 === 63) await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return results
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

async function* readInput(
  input: RepoMapInput,
  options: BuildRepoMapOptions,
  maxFileBytes: number,
  budget: Budget,
  skipped: SkippedFile[],
): AsyncGenerator<RepoFile> {
  if ('files' in input) {
    yield* input.files
    return
  }
  let listed = 0
  const walkOptions = {
    ...(options.ignore === undefined ? {} : { ignore: options.ignore }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }
  for await (const path of walkRepository(input.root, walkOptions)) {
    options.onProgress?.({ phase: 'reading', done: ++listed })
    if (outOfTime(budget)) {
      skipped.push({ path, reason: 'budget-exceeded', detail: OUT_OF_TIME })
      continue
    }
    const absolute = join(input.root, path)
    // cheap checks first: no read for a file that will be skipped anyway
    const language = detectLanguage(path) ?? (await shebangLanguage(absolute))
    if (language === undefined) {
      skipped.push({ path, reason: 'unknown-language' })
      continue
    }
    if (getTagsQuery(language) === undefined) {
      skipped.push({ path, reason: 'no-symbols' })
      continue
    }
    const { size } = await stat(absolute)
    if (size > maxFileBytes) {
      skipped.push({ path, reason: 'too-large' })
      continue
    }
    yield { path, content: await readFile(absolute, 'utf8') }
  }
}

/** The language named by a file's `#!` line, reading only its first bytes. */
async function shebangLanguage(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(256)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    const text = head.subarray(0, bytesRead).toString('utf8')
    return text.startsWith('#!') ? detectLanguage(path, text) : undefined
  } finally {
    await handle.close()
  }
}

function resolveFocus(
  focus: BuildRepoMapOptions['focus'],
  files: readonly MappedRepoFile[],
): { files: Set<string>; identifiers: Set<string> } {
  const paths = new Set(files.map((file) => file.path))
  const focusFiles = new Set<string>()
  const identifiers = new Set<string>()
  const addFile = (name: string) => {
    const normalized = name.replace(/\\/g, '/').replace(/^\.\//, '')
    if (paths.has(normalized)) focusFiles.add(normalized)
    else for (const path of paths) if (path.endsWith(`/${normalized}`)) focusFiles.add(path)
  }
  if (Array.isArray(focus)) {
    for (const item of focus as readonly string[]) {
      const before = focusFiles.size
      addFile(item)
      if (focusFiles.size === before) identifiers.add(item)
    }
  } else if (focus !== undefined) {
    const spec = focus as { files?: readonly string[]; identifiers?: readonly string[] }
    for (const file of spec.files ?? []) addFile(file)
    for (const identifier of spec.identifiers ?? []) identifiers.add(identifier)
  }
  return { files: focusFiles, identifiers }
}

/** Groups candidates by file, files in the order of their best candidate. */
function group(candidates: readonly RankedDefinition[]): Map<MappedFile, Set<MappedDefinition>> {
  const byFile = new Map<MappedFile, Set<MappedDefinition>>()
  for (const { file, definition } of candidates) {
    let set = byFile.get(file)
    if (set === undefined) {
      set = new Set()
      byFile.set(file, set)
    }
    set.add(definition)
  }
  return byFile
}

import { detectLanguage } from '../detect-language'
import { BudgetExceededError } from '../errors/budget-exceeded-error'
import { ParseTimeoutError } from '../errors/parse-timeout-error'
import { parseCode } from '../parse-code'
import { getTagsQuery } from '../queries/tags-query'
import type { MappedDefinition, MappedFile } from './render-repo-map'
import type { RepoFile, SkippedFile } from './repo-map'

/** A file's definitions, references and imports: all a repo map keeps of it. */
export interface MappedRepoFile extends MappedFile {
  /**
   * `[name, qualifier, count]` for every name the file references: the qualifier is what the
   * name is reached through (`util` in `util.parse()`, `Object` in `Object.keys()`), `?` for an
   * expression (`f().name`), `''` for a bare name.
   */
  readonly references: [string, string, number][]
  /** `[source, names]` of each import: where from, and the names it binds. */
  readonly imports: [string, string[]][]
}

/** The identifier (or `?` for another expression) a name at `start` is reached through: `a.b`, `a::b`, `a->b`. */
function qualifierAt(content: string, start: number): string {
  let end = start
  if (content[end - 1] === '.' && content[end - 2] !== '.') end -= 1
  else if (content.startsWith('::', end - 2) || content.startsWith('->', end - 2)) end -= 2
  else return ''
  let begin = end
  while (begin > 0 && /[\w$]/.test(content[begin - 1] as string)) begin--
  return begin === end ? '?' : content.slice(begin, end)
}

/**
 * Brackets nested deeper than this make a file pathological for tags queries (their cost grows
 * with depth times size): such a file is skipped before it is parsed. Real code stays far
 * below it: on 29,700 source files of this machine (npm packages, the Python, Go and C
 * standard libraries) the deepest nesting counted this way was 1,247, in a generated data file.
 */
export const MAX_NESTING = 2_000

/** The deepest nesting of `(`, `[` and `{` in `text`, strings and comments included, so cheap. */
function bracketDepth(text: string): number {
  let depth = 0
  let deepest = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 40 || code === 91 || code === 123) {
      depth++
      if (depth > deepest) deepest = depth
    } else if ((code === 41 || code === 93 || code === 125) && depth > 0) depth--
  }
  return deepest
}

/**
 * Parses one file, extracts its symbols and frees the tree, keeping only what a repository
 * map needs (plain data, so it can cross a worker boundary). Returns why the file was left
 * out instead when it is too large, binary, of an unknown language or one without symbols,
 * nested past {@link MAX_NESTING}, over its time budget (`timeoutMs`, for the parse and the
 * symbols), or fails to parse.
 */
export async function mapRepoFile(
  file: RepoFile,
  maxFileBytes: number,
  timeoutMs?: number,
): Promise<MappedRepoFile | SkippedFile> {
  const { path, content } = file
  if (Buffer.byteLength(content, 'utf8') > maxFileBytes) return { path, reason: 'too-large' }
  if (content.includes('\0')) return { path, reason: 'binary' }
  const language = detectLanguage(path, content)
  if (language === undefined) return { path, reason: 'unknown-language' }
  if (getTagsQuery(language) === undefined) return { path, reason: 'no-symbols' }
  const depth = bracketDepth(content)
  if (depth > MAX_NESTING)
    return { path, reason: 'too-deep', detail: `brackets nested ${depth} deep (at most ${MAX_NESTING})` }
  let parsed: Awaited<ReturnType<typeof parseCode>> | undefined
  try {
    parsed = await parseCode(content, {
      language,
      confirmDiagnostics: false, // only symbols are read: no confirmation of diagnostics
      maxBytes: maxFileBytes,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    })
    // through the ParsedCode, so the symbols run under its budget (the same `timeoutMs`)
    const symbols = parsed.symbols({ docs: false })
    const counts = new Map<string, number>()
    for (const reference of symbols.references) {
      const key = `${reference.name}\u0000${qualifierAt(content, reference.range.startIndex)}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    const references = Array.from(counts, ([key, count]): [string, string, number] => {
      const [name, qualifier] = key.split('\u0000') as [string, string]
      return [name, qualifier, count]
    })
    const imports = symbols.imports.map(({ source, names }): [string, string[]] => [source, names])
    const definitions: MappedDefinition[] = []
    const open: MappedDefinition[] = []
    for (const definition of symbols.definitions) {
      const { startIndex, endIndex } = definition.range
      while (open.length > 0 && (open[open.length - 1] as MappedDefinition).endIndex < endIndex) open.pop()
      const lineStart = content.lastIndexOf('\n', startIndex - 1) + 1
      const mapped: MappedDefinition = {
        name: definition.name,
        kind: definition.kind,
        line: definition.range.startLine,
        endLine: definition.range.endLine,
        startIndex,
        endIndex,
        signature: definition.signature,
        indent: /^[ \t]*/.exec(content.slice(lineStart, startIndex))?.[0] ?? '',
        ...(definition.enclosing === undefined ? {} : { enclosing: definition.enclosing }),
        ...(open.length === 0 ? {} : { parent: open[open.length - 1] }),
      }
      definitions.push(mapped)
      open.push(mapped)
    }
    let lineCount = 1
    for (let i = content.indexOf('\n'); i >= 0 && i < content.length - 1; i = content.indexOf('\n', i + 1))
      lineCount++
    return { path, definitions, references, imports, lineCount }
  } catch (error) {
    const detail = String((error as Error)?.message ?? error)
    if (ParseTimeoutError.isInstance(error) || BudgetExceededError.isInstance(error))
      return { path, reason: 'budget-exceeded', detail }
    return { path, reason: 'parse-error', detail }
  } finally {
    parsed?.dispose()
  }
}

/** True when `mapRepoFile` left the file out. */
export function isSkipped(result: MappedRepoFile | SkippedFile): result is SkippedFile {
  return 'reason' in result
}

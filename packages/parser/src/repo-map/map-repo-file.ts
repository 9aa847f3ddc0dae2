import { detectLanguage } from '../detect-language'
import { parseCode } from '../parse-code'
import { getTagsQuery } from '../queries/tags-query'
import { extractSymbols } from '../symbols/extract-symbols'
import type { MappedDefinition, MappedFile } from './render-repo-map'
import type { RepoFile, SkippedFile } from './repo-map'

/** A file's definitions and how often it references each name: all a repo map keeps of it. */
export interface MappedRepoFile extends MappedFile {
  /** `[name, count]` for every name the file references. */
  readonly references: [string, number][]
}

/**
 * Parses one file, extracts its symbols and frees the tree, keeping only what a repository
 * map needs (plain data, so it can cross a worker boundary). Returns why the file was left
 * out instead when it is too large, binary, of an unknown language or one without symbols,
 * or fails to parse.
 */
export async function mapRepoFile(
  file: RepoFile,
  maxFileBytes: number,
): Promise<MappedRepoFile | SkippedFile> {
  const { path, content } = file
  if (Buffer.byteLength(content, 'utf8') > maxFileBytes) return { path, reason: 'too-large' }
  if (content.includes('\0')) return { path, reason: 'binary' }
  const language = detectLanguage(path, content)
  if (language === undefined) return { path, reason: 'unknown-language' }
  if (getTagsQuery(language) === undefined) return { path, reason: 'no-symbols' }
  let parsed: Awaited<ReturnType<typeof parseCode>> | undefined
  try {
    parsed = await parseCode(content, { language, maxBytes: maxFileBytes })
    const symbols = extractSymbols(parsed, { docs: false })
    const references = new Map<string, number>()
    for (const reference of symbols.references)
      references.set(reference.name, (references.get(reference.name) ?? 0) + 1)
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
    return { path, definitions, references: [...references], lineCount }
  } catch (error) {
    return { path, reason: 'parse-error', detail: String((error as Error)?.message ?? error) }
  } finally {
    parsed?.dispose()
  }
}

/** True when `mapRepoFile` left the file out. */
export function isSkipped(result: MappedRepoFile | SkippedFile): result is SkippedFile {
  return 'reason' in result
}

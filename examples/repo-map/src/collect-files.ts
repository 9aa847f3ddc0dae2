import { open, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { detectLanguage, getTagsQuery, type RepoFile, type SkippedFile, walkRepository } from '@ql/parser'
import type { Progress } from './progress'

/** Files larger than this are left out, as `buildRepoMap` does by default. */
export const MAX_FILE_BYTES = 1_000_000

/** What {@link collectFiles} found. */
export interface CollectedFiles {
  /** The files to map: a language with symbols, not too large. */
  files: RepoFile[]
  /** Files left out before parsing, and why. */
  skipped: SkippedFile[]
  /** Every file the walk listed (after the ignore rules). */
  listed: number
  /** UTF-16 code units read (about the bytes, for ASCII code). */
  characters: number
}

/**
 * Lists `root` the way git would (`walkRepository`: every `.gitignore`, `.git/info/exclude`, plus
 * `ignore`) and reads the files `buildRepoMap` can map, with the same checks it makes when given
 * `{ root }`: a language detected from the name or the `#!` line, a symbols query for it, at most
 * {@link MAX_FILE_BYTES}. `buildRepoMap({ root })` does all of this in one call; it is done here
 * so the progress display can count files as they are found and read.
 */
export async function collectFiles(
  root: string,
  options: { ignore: readonly string[]; signal: AbortSignal; progress: Progress },
): Promise<CollectedFiles> {
  const { progress, signal } = options
  const paths: string[] = []
  for await (const path of walkRepository(root, { ignore: options.ignore, signal })) {
    paths.push(path)
    progress.update('listing files', paths.length)
  }

  const files: RepoFile[] = []
  const skipped: SkippedFile[] = []
  let characters = 0
  for (const [index, path] of paths.entries()) {
    signal.throwIfAborted()
    progress.update('reading', index + 1, paths.length)
    const absolute = join(root, path)
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
    if (size > MAX_FILE_BYTES) {
      skipped.push({ path, reason: 'too-large' })
      continue
    }
    const content = await readFile(absolute, 'utf8')
    characters += content.length
    files.push({ path, content })
  }
  return { files, skipped, listed: paths.length, characters }
}

/** The language a file's `#!` line names, reading only its first bytes. */
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

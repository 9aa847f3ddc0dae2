import { extractCodeBlocks } from '@ql/parser'

/** A file the model wrote: a path relative to the output directory, and its content. */
export interface GeneratedFile {
  path: string
  content: string
}

const PATH_TOKEN = /^(?:path|file|filename|title)=["']?([^"'\s]+)["']?$/

/**
 * Pulls the files out of a model's markdown answer: every fenced code block whose info string
 * names a path (```` ```ts src/index.ts ````, `path=src/index.ts`, `title="src/index.ts"`), or
 * whose previous line is a path (`### src/index.ts`, `` `src/index.ts`: ``). Blocks without a
 * path are not files (explanations, shell commands) and are left out.
 */
export function filesFromAnswer(answer: string): GeneratedFile[] {
  const lines = answer.split('\n')
  const files = new Map<string, string>()
  for (const block of extractCodeBlocks(answer)) {
    const path = pathFromInfo(block.info) ?? pathFromLine(lines, block.startLine - 2)
    if (path === undefined) continue
    files.set(path, block.code.endsWith('\n') ? block.code : `${block.code}\n`)
  }
  return [...files].map(([path, content]) => ({ path, content }))
}

/** `files` with `updates` applied: a file of the same path is replaced, a new one is added. */
export function mergeFiles(
  files: readonly GeneratedFile[],
  updates: readonly GeneratedFile[],
): GeneratedFile[] {
  const merged = new Map(files.map((file) => [file.path, file.content]))
  for (const file of updates) merged.set(file.path, file.content)
  return [...merged].map(([path, content]) => ({ path, content }))
}

/**
 * Checks a path the model chose before anything is written: relative, inside the output
 * directory, no `..`, no drive letters or NUL bytes. Returns the normalised path, or a reason.
 */
export function checkRelativePath(path: string): { ok: true; path: string } | { ok: false; reason: string } {
  const normalised = path.replaceAll('\\', '/').replace(/^\.\//, '')
  if (normalised === '' || normalised.includes('\0')) return { ok: false, reason: 'empty or NUL in the path' }
  if (normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised))
    return { ok: false, reason: 'absolute path' }
  if (normalised.split('/').some((part) => part === '..' || part === '')) {
    return { ok: false, reason: 'the path leaves the output directory' }
  }
  return { ok: true, path: normalised }
}

function pathFromInfo(info: string): string | undefined {
  const tokens = info.split(/\s+/).filter((token) => token !== '')
  for (const token of tokens) {
    const named = PATH_TOKEN.exec(token)
    if (named?.[1] !== undefined) return named[1]
  }
  // "ts src/index.ts": a token after the language that looks like a path
  return tokens.slice(1).find(looksLikePath)
}

function pathFromLine(lines: readonly string[], index: number): string | undefined {
  let i = index
  while (i >= 0 && (lines[i] ?? '').trim() === '') i--
  if (i < 0) return undefined
  const candidate = (lines[i] ?? '')
    .trim()
    .replace(/^#+\s*/, '')
    .replace(/^(?:file|path):\s*/i, '')
    .replace(/[*_`:]/g, '')
    .trim()
  return looksLikePath(candidate) ? candidate : undefined
}

function looksLikePath(token: string): boolean {
  return /^[\w@.-][\w@./-]*\.\w+$/.test(token)
}

import { detectLanguage, parseCode } from '@ql/parser'
import type { GeneratedFile } from './generated-files'

/** A syntax problem in a generated file, in the words the model gets back. */
export interface FileProblem {
  path: string
  /** 1-based; 0 for a problem with the file as a whole (a path that cannot be written). */
  line: number
  column: number
  message: string
  /** The line the problem is on ('' for whole-file problems), cut around the problem when long. */
  sourceLine: string
  /** Where in `sourceLine` the problem starts (0-based). */
  caret: number
}

/** What {@link validateFiles} found. */
export interface Validation {
  problems: FileProblem[]
  /** Files in a language the parser does not know: written, but not checked. */
  unchecked: string[]
  /** Files checked, with their language. */
  checked: { path: string; language: string }[]
}

/** At most this many problems per file go back to the model: the first ones are what matters. */
const MAX_PROBLEMS_PER_FILE = 10

/**
 * Parses every file with `@ql/parser` (language from the file name, or a shebang) and collects
 * its syntax diagnostics. Every tree is freed before this returns.
 */
export async function validateFiles(
  files: readonly GeneratedFile[],
  signal?: AbortSignal,
): Promise<Validation> {
  const validation: Validation = { problems: [], unchecked: [], checked: [] }
  for (const file of files) {
    signal?.throwIfAborted()
    const language = detectLanguage(file.path, file.content)
    if (language === undefined) {
      validation.unchecked.push(file.path)
      continue
    }
    const parsed = await parseCode(file.content, { language })
    try {
      validation.checked.push({ path: file.path, language })
      for (const diagnostic of parsed.diagnostics.slice(0, MAX_PROBLEMS_PER_FILE)) {
        validation.problems.push({
          path: file.path,
          line: diagnostic.line,
          column: diagnostic.column,
          message: diagnostic.message,
          sourceLine: diagnostic.sourceLine,
          caret: diagnostic.column - diagnostic.sourceLineColumn,
        })
      }
    } finally {
      parsed.dispose()
    }
  }
  return validation
}

/** Problems as the model (and a person) reads them: `path:line:column message`, the line, a caret. */
export function formatProblems(problems: readonly FileProblem[]): string {
  return problems
    .map((problem) => {
      if (problem.line === 0) return `${problem.path}: ${problem.message}`
      const caret = `${' '.repeat(Math.max(0, problem.caret))}^`
      return `${problem.path}:${problem.line}:${problem.column} ${problem.message}\n    ${problem.sourceLine}\n    ${caret}`
    })
    .join('\n')
}

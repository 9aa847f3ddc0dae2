import { languageFromFenceInfo } from '../detect-language'
import type { CodeBlock } from './code-block'

const OPENING = /^([ \t]*)(`{3,}|~{3,})(.*)$/

/**
 * The fenced code blocks of a markdown document (an LLM answer, a README), in order, with the
 * language detected from each fence's info string (```` ```ts ````, ```` ```py title="x.py" ````,
 * `~~~ {.rust}`).
 *
 * Follows CommonMark fences: ```` ``` ```` or `~~~`, three or more; a block closes at a line
 * of the same character at least as long; a backtick fence's info string cannot contain a
 * backtick; an unclosed block runs to the end of the document (`closed: false`). Unlike
 * CommonMark, fences may be indented by any amount (LLMs nest them in list items); that
 * indentation is removed from the block's lines. Indented (4-space) code blocks are not
 * extracted: they carry no language.
 */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n')
  const blocks: CodeBlock[] = []
  let i = 0
  while (i < lines.length) {
    const opening = OPENING.exec(stripCr(lines[i] as string))
    if (opening === null || (opening[2]?.startsWith('`') && opening[3]?.includes('`'))) {
      i += 1
      continue
    }
    const indent = (opening[1] as string).length
    const fence = opening[2] as string
    const info = (opening[3] as string).trim()
    const body: string[] = []
    let closed = false
    let j = i + 1
    for (; j < lines.length; j += 1) {
      const line = stripCr(lines[j] as string)
      if (isClosing(line, fence)) {
        closed = true
        break
      }
      body.push(dedent(line, indent))
    }
    // An unclosed block keeps trailing blank lines out of its code.
    while (!closed && body.length > 0 && (body.at(-1) as string).trim() === '') body.pop()
    blocks.push({
      language: info === '' ? undefined : languageFromFenceInfo(info),
      info,
      code: body.join('\n'),
      fence,
      closed,
      startLine: i + 1,
      endLine: closed ? j + 1 : lines.length,
      codeStartLine: i + 2,
    })
    i = j + 1
  }
  return blocks
}

function isClosing(line: string, fence: string): boolean {
  const trimmed = line.trim()
  if (trimmed.length < fence.length) return false
  const char = fence[0] as string
  for (let k = 0; k < trimmed.length; k += 1) if (trimmed[k] !== char) return false
  return true
}

function dedent(line: string, indent: number): string {
  let k = 0
  while (k < indent && k < line.length && (line[k] === ' ' || line[k] === '\t')) k += 1
  return line.slice(k)
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}

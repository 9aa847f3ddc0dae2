import type { Node } from 'web-tree-sitter'

/** Node types that hold a definition's body in grammars that do not name it with a `body` field. */
const bodyTypes = new Set([
  'class_body',
  'function_body',
  'enum_class_body',
  'do_block',
  'block',
  'compound_statement',
  'declaration_list',
  'field_declaration_list',
  'template_body',
  'statement_block',
  'protocol_body',
  'enum_body',
  'interface_body',
  'object_type',
])

const maxLength = 240

/**
 * A definition's header on one line: from the start of its first line (or of the outermost
 * node wrapping it, if that starts later on the line) up to where its body starts, or to the
 * end of its first line when it has no body; whitespace runs collapsed, at most 240 characters.
 */
export function signatureLine(
  definition: Node,
  wrapperStart: number,
  code: string,
  body: Node | null = definition.childForFieldName('body'),
): string {
  const lineStart = code.lastIndexOf('\n', definition.startIndex - 1) + 1
  const start = Math.max(lineStart, Math.min(wrapperStart, definition.startIndex))
  let end = -1
  if (body !== null && body.startIndex > definition.startIndex) end = body.startIndex
  else {
    for (const child of definition.namedChildren) {
      if (child !== null && bodyTypes.has(child.type) && child.startIndex > definition.startIndex) {
        end = child.startIndex
        break
      }
    }
  }
  if (end < 0) {
    const newline = code.indexOf('\n', definition.startIndex)
    end = newline < 0 || newline > definition.endIndex ? definition.endIndex : newline
  }
  const text = code
    .slice(start, Math.min(end, start + maxLength * 4))
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text
}

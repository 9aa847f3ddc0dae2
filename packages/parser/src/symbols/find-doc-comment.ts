import type { Node } from 'web-tree-sitter'

/** Nodes that wrap a definition without being one: doc comments sit before the wrapper. */
const wrapperTypes = new Set([
  'export_statement',
  'decorated_definition',
  'ambient_declaration',
  'template_declaration',
  'lexical_declaration',
  'variable_declaration',
  'const_declaration',
  'var_declaration',
  'type_declaration',
  'field_declaration',
  'expression_statement',
  'declaration',
  'static_final_declaration_list',
])

/** Nodes that may sit between a doc comment and its definition. */
const attributeTypes = new Set([
  'attribute_item',
  'inner_attribute_item',
  'annotation',
  'marker_annotation',
  'attribute_list',
  'decorator',
  'signature',
])

/** True for node types that wrap a definition without being one (`export_statement`, `decorated_definition`, ...). */
export function isDefinitionWrapper(type: string): boolean {
  return wrapperTypes.has(type)
}

/** True for attribute and decorator nodes, which belong to the definition after them. */
export function isAttribute(type: string): boolean {
  return attributeTypes.has(type)
}

/** Languages whose comments are `//`, `/* *\/` and `<!-- -->` only, and whose decorators never end in `;`, `{` or `}`. */
const slashCommentLanguages = new Set(['javascript', 'typescript', 'tsx'])

/**
 * For {@link slashCommentLanguages}: false when the text alone shows that no comment ends close
 * enough above a definition starting at `start` to be its doc comment, so the sibling walk (several
 * calls into WASM, each finding a node's parent from the root) can be skipped. That is when the
 * last character before it is `{` (the definition is the first item of its block), or `;` or `}`
 * (no decorator ends so) and either a blank line separates them or that character's line holds
 * no comment marker. True whenever unsure. Besides saving time, this keeps definitions nested
 * thousands deep linear: each sibling or parent lookup walks down from the root.
 */
export function mayHaveDocComment(code: string, start: number): boolean {
  let i = start - 1
  let newlines = 0
  for (; i >= 0; i--) {
    const c = code.charCodeAt(i)
    if (c === 10) newlines++
    else if (c !== 32 && c !== 9 && c !== 13) break
  }
  if (i < 0) return false
  const last = code[i]
  if (last !== ';' && last !== '{' && last !== '}') return true
  // `{` opens the block the definition is the first item of: nothing before it in there
  if (last === '{' || newlines >= 2) return false
  if (newlines === 0) return true
  const line = code.slice(code.lastIndexOf('\n', i) + 1, i + 1)
  return (
    line.includes('//') ||
    line.includes('/*') ||
    line.includes('*/') ||
    line.includes('<!--') ||
    line.includes('-->')
  )
}

function isComment(type: string): boolean {
  return type.includes('comment') || type === 'haddock'
}

/**
 * Definition node types of {@link slashCommentLanguages} that no wrapper starts together with
 * (`expression_statement` starts with its expression: assignments and namespaces are left out).
 */
const statementDefinitionTypes = new Set([
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'abstract_class_declaration',
  'method_definition',
  'interface_declaration',
  'type_alias_declaration',
  'enum_declaration',
  'function_signature',
  'method_signature',
  'abstract_method_signature',
  'public_field_definition',
  'field_definition',
])

/**
 * {@link outermostWrapper} without calls into WASM where the text settles it: in
 * {@link slashCommentLanguages}, a statement-like definition right after `;`, `{`, `}` or at the
 * start of the file is its own outermost node, since every wrapper (`export`, `declare`, `const`)
 * puts a keyword before it. Finding a parent otherwise costs a walk down from the root.
 */
export function outermostWrapperIn(definition: Node, languageId: string, code: string): Node {
  if (slashCommentLanguages.has(languageId)) {
    let i = definition.startIndex - 1
    for (; i >= 0; i--) {
      const c = code.charCodeAt(i)
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break
    }
    const last = i < 0 ? ';' : code[i]
    if ((last === ';' || last === '{' || last === '}') && statementDefinitionTypes.has(definition.type)) {
      return definition
    }
  }
  return outermostWrapper(definition)
}

/**
 * The node a doc comment would precede: the definition itself, or the declaration, `export`,
 * decorator list or template that wraps it.
 */
export function outermostWrapper(definition: Node): Node {
  let node = definition
  let parent = node.parent
  while (parent !== null && wrapperTypes.has(parent.type) && parent.parent !== null) {
    node = parent
    parent = node.parent
  }
  return node
}

/**
 * The doc comment of a definition: the comments right above it (no blank line between, none
 * trailing code on their line), attributes and decorators skipped; for Python the docstring;
 * for Elixir the `@doc` / `@moduledoc` string. Comment markers are stripped. `undefined` when
 * there is none. `anchor` (the definition's {@link outermostWrapper}) and `body` (its `body`
 * field) may be passed when already known.
 */
export function findDocComment(
  definition: Node,
  languageId: string,
  code: string,
  anchor: Node = outermostWrapper(definition),
  body: Node | null = definition.childForFieldName('body'),
): string | undefined {
  if (languageId === 'python') return pythonDocstring(definition, body, code)
  if (languageId === 'elixir') return elixirDoc(anchor, code)
  if (slashCommentLanguages.has(languageId) && !mayHaveDocComment(code, anchor.startIndex)) return undefined
  const comments: string[] = []
  let expectedRow = anchor.startPosition.row
  let sibling = absorbedComment(anchor, code) ?? anchor.previousNamedSibling
  while (sibling !== null) {
    if (attributeTypes.has(sibling.type)) {
      expectedRow = sibling.startPosition.row
    } else if (isComment(sibling.type)) {
      if (sibling.endPosition.row < expectedRow - 1) break
      const before = sibling.previousNamedSibling
      if (before !== null && before.endPosition.row === sibling.startPosition.row && !isComment(before.type))
        break
      comments.push(code.slice(sibling.startIndex, sibling.endIndex))
      expectedRow = sibling.startPosition.row
    } else {
      break
    }
    sibling = sibling.previousNamedSibling
  }
  if (comments.length === 0) return undefined
  const text = cleanComment(comments.reverse().join('\n'))
  return text === '' ? undefined : text
}

/**
 * Some grammars let the node before a definition absorb the comment that follows it (Haskell
 * and Kotlin import lists): the comment is then that node's last descendant, ending where it
 * ends. For the first definition in a list, the node before is the list's previous sibling.
 */
function absorbedComment(anchor: Node, code: string): Node | null {
  let node = anchor.previousNamedSibling ?? anchor.parent?.previousNamedSibling ?? null
  if (node === null || isComment(node.type)) return null
  for (let depth = 0; depth < 4 && node !== null; depth++) {
    const last: Node | null = node.lastNamedChild
    if (last === null || code.slice(last.endIndex, node.endIndex).trim() !== '') return null
    if (isComment(last.type)) return last
    node = last
  }
  return null
}

/** Strips comment markers (`/** *\/`, `///`, `//`, `#`, roxygen's `#'`, `--`, `-- |`, leading `*`) from every line. */
export function cleanComment(raw: string): string {
  const lines = raw
    .replace(/^\/\*+!?/, '')
    .replace(/\*+\/$/, '')
    .split('\n')
    .map((line) =>
      line
        .replace(/\*+\/\s*$/, '')
        .replace(/^\s*\/\*+!?/, '')
        .replace(/^\s*(\/\/[/!]?|#+'?|--+\s*\|?|;+|\*(?!\*))/, '')
        .replace(/^ /, '')
        .trimEnd(),
    )
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift()
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop()
  return lines.join('\n')
}

function stringContent(node: Node, code: string): string {
  const text = code.slice(node.startIndex, node.endIndex)
  const match = /^[a-zA-Z]*("""|'''|"|')([\s\S]*)\1$/.exec(text)
  return dedent(match?.[2] ?? text)
}

function dedent(text: string): string {
  const lines = text.replace(/^\n+/, '').trimEnd().split('\n')
  const indents = lines
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => /^\s*/.exec(line)?.[0].length ?? 0)
  const cut = indents.length > 0 ? Math.min(...indents) : 0
  return lines.map((line, i) => (i === 0 ? line.trim() : line.slice(cut))).join('\n')
}

/** A Python string literal's opening: an optional `r`/`u` prefix and the quotes (bytes and f-strings are no docstrings). */
const pythonStringOpening = /[rRuU]?("""|'''|"|')/y
/** What may follow a string that is a whole statement: spaces, a comment, the line's end. */
const statementEnd = /[ \t]*(?:#[^\n]*)?(?:\r?\n|;|$)/y

/**
 * The docstring of a function or class whose body starts at `index`: read from the source text
 * rather than the tree, which saves several calls into WASM per definition.
 */
function pythonDocstringAt(code: string, index: number): string | undefined {
  pythonStringOpening.lastIndex = index
  const opening = pythonStringOpening.exec(code)
  if (opening === null) return undefined
  const quote = opening[1] as string
  const start = pythonStringOpening.lastIndex
  let i = start
  while (i < code.length && !code.startsWith(quote, i)) {
    if (code[i] === '\\') i++
    else if (quote.length === 1 && code[i] === '\n') return undefined
    i++
  }
  if (i >= code.length) return undefined
  statementEnd.lastIndex = i + quote.length
  if (!statementEnd.test(code)) return undefined
  return dedent(code.slice(start, i)) || undefined
}

function pythonDocstring(definition: Node, body: Node | null, code: string): string | undefined {
  if (body !== null) return pythonDocstringAt(code, body.startIndex)
  // a module-level constant documented by the string statement after it
  const statement = definition.parent
  const next = statement?.type === 'expression_statement' ? statement.nextNamedSibling : null
  const string = next?.type === 'expression_statement' ? next.firstNamedChild : null
  return string?.type === 'string' && next?.namedChildCount === 1
    ? stringContent(string, code) || undefined
    : undefined
}

const elixirDocPattern = /^@(?:doc|moduledoc|typedoc)\s+(?:~[sS])?("""|")([\s\S]*?)\1\s*$/

function elixirDoc(definition: Node, code: string): string | undefined {
  // @moduledoc: the first attribute inside the module's do block
  const block = definition.namedChildren.find((child) => child?.type === 'do_block')
  const first = block?.firstNamedChild
  if (first?.type === 'unary_operator') {
    const match = /^@moduledoc\s/.test(code.slice(first.startIndex, first.endIndex))
      ? elixirDocPattern.exec(code.slice(first.startIndex, first.endIndex))
      : null
    if (match) return dedent(match[2] ?? '') || undefined
  }
  let sibling = definition.previousNamedSibling
  while (sibling?.type === 'unary_operator') {
    const text = code.slice(sibling.startIndex, sibling.endIndex)
    const match = /^@doc\s/.test(text) ? elixirDocPattern.exec(text) : null
    if (match) return dedent(match[2] ?? '') || undefined
    if (!/^@(spec|impl|deprecated)\b/.test(text)) break
    sibling = sibling.previousNamedSibling
  }
  return undefined
}

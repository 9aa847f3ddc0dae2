import { type JSONSchema, type ToolDefinition, toJsonSchema } from '@ql/provider'
import type { ChatCompletionFunctionDefinition } from 'gpt-tokenizer/functionCalling'
import { requireModule } from './load-encoding'

type FormatFunctionDefinitions = (functions: readonly ChatCompletionFunctionDefinition[]) => string
let formatFunctionDefinitions: FormatFunctionDefinitions | undefined

/** gpt-tokenizer's renderer, loaded with the first tool (so importing the router loads nothing). */
function formatter(): FormatFunctionDefinitions {
  formatFunctionDefinitions ??= (
    requireModule('gpt-tokenizer/functionCalling') as { formatFunctionDefinitions: FormatFunctionDefinitions }
  ).formatFunctionDefinitions
  return formatFunctionDefinitions
}

const HEADER = 'namespace functions {\n\n'
const FOOTER = '} // namespace functions'
const RENDERED_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'])
/** Keywords the rendering reads or that do not reach the model; any other one makes it a guess. */
const RENDERED_KEYWORDS = new Set([
  'type',
  'description',
  'enum',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'title',
  'default',
  '$schema',
])

interface RenderedTool {
  /** The tool fields the rendering was made from, to notice a tool object changed in place. */
  name: string
  description: string | undefined
  inputSchema: unknown
  text: string
  exact: boolean
}

const rendered = new WeakMap<ToolDefinition, RenderedTool>()

/**
 * The text OpenAI puts before the conversation for a list of function tools: a TypeScript-like
 * `namespace functions { ... }` (the rendering `gpt-tokenizer` reproduces and tests against the
 * API). Each tool's part is rendered once per tool object, and a zod schema converted once.
 */
export function formatToolsText(tools: readonly ToolDefinition[]): string {
  let text = HEADER
  for (const tool of tools) text += render(tool).text
  return text + FOOTER
}

/** True when the rendering of the tool is the one OpenAI uses (no `anyOf`, `$ref`, ... in its schema). */
export function isExactlyFormatted(tool: ToolDefinition): boolean {
  return render(tool).exact
}

function render(tool: ToolDefinition): RenderedTool {
  const cached = rendered.get(tool)
  if (
    cached !== undefined &&
    cached.name === tool.name &&
    cached.description === tool.description &&
    cached.inputSchema === tool.inputSchema
  ) {
    return cached
  }
  let schema: JSONSchema | undefined
  try {
    schema = toJsonSchema(tool.inputSchema)
  } catch {
    schema = undefined
  }
  const fn = {
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    ...(schema === undefined
      ? {}
      : { parameters: schema as unknown as ChatCompletionFunctionDefinition['parameters'] }),
  }
  let text: string
  try {
    const all = formatter()([fn as ChatCompletionFunctionDefinition])
    text = all.slice(HEADER.length, all.length - FOOTER.length)
  } catch {
    text = `type ${tool.name} = (_: ${safeJson(schema ?? {})}) => any;\n\n`
  }
  const entry: RenderedTool = {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    text,
    exact: schema !== undefined && isRenderedExactly(schema),
  }
  rendered.set(tool, entry)
  return entry
}

/** Deeper schemas than this are not rendered exactly (and a cyclic one ends here). */
const MAX_DEPTH = 16

function isRenderedExactly(schema: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH || typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return false
  const record = schema as Record<string, unknown>
  for (const key of Object.keys(record)) if (!RENDERED_KEYWORDS.has(key)) return false
  if (typeof record.type !== 'string' || !RENDERED_TYPES.has(record.type)) return false
  if (record.items !== undefined && !isRenderedExactly(record.items, depth + 1)) return false
  if (record.properties !== undefined) {
    if (typeof record.properties !== 'object' || record.properties === null) return false
    for (const property of Object.values(record.properties)) {
      if (!isRenderedExactly(property, depth + 1)) return false
    }
  }
  return true
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}

import { z } from 'zod/v4'
import { checkJsonSchema } from './check-json-schema'
import type { ValidationIssue } from './errors/invalid-request-error'
import { InvalidToolInputError } from './errors/invalid-tool-input-error'
import { isZodSchema, type JSONSchema } from './schemas/json-schema'
import type { ToolCall } from './schemas/tool-call'
import type { ToolDefinition } from './schemas/tool-definition'
import { formatIssuePath } from './validate-chat-request'

/**
 * The input type of a tool: the output type of its zod schema (defaults and transforms applied),
 * or `Record<string, unknown>` for a JSON Schema (a tool input is always an object).
 */
export type ToolInput<T extends ToolDefinition> =
  T['inputSchema'] extends z.ZodType<infer Output> ? Output : Record<string, unknown>

/** A tool call checked against its tool: `name` is one of the tools, `input` that tool's input. */
export type ValidatedToolCall<T extends ToolDefinition> = T extends ToolDefinition
  ? { id: string; name: T['name']; input: ToolInput<T> }
  : never

/**
 * Checks the tool calls of a response (or a list of tool calls) against the request's tool
 * definitions and returns them with typed inputs: for a zod schema the parsed output (defaults
 * and transforms applied), for a JSON Schema the input as it came, checked against the keywords
 * listed at {@link checkJsonSchema} (`type`, `properties`, `required`, `additionalProperties`,
 * `enum`, `items`, ...). The calls keep their order; nothing is changed in place.
 *
 * Names are literal types when the tools are written inline or declared `as const`, so the
 * result narrows by `name`:
 *
 * @example
 * ```ts
 * const tools = [
 *   { name: 'get_weather', inputSchema: z.object({ city: z.string() }) },
 *   { name: 'get_time', inputSchema: z.object({ zone: z.string() }) },
 * ] as const
 * const response = await model.generate({ messages, tools: [...tools] })
 * for (const call of validateToolCalls(response, tools)) {
 *   if (call.name === 'get_weather') console.log(call.input.city) // string
 * }
 * ```
 *
 * @throws InvalidToolInputError for the first call that fails: `reason` `unknown_tool` when its
 *   name is not one of `tools`, `schema_mismatch` (with `issues` naming each field inside the
 *   input) when its input fails the tool's schema. Retryable: a new sample usually gets it right;
 *   an agent can also send the message back to the model as an `isError` tool result.
 */
export function validateToolCalls<const T extends readonly ToolDefinition[]>(
  source: { readonly toolCalls: readonly ToolCall[] } | readonly ToolCall[],
  tools: T | undefined,
): ValidatedToolCall<T[number]>[] {
  const calls = Array.isArray(source)
    ? (source as readonly ToolCall[])
    : (source as { toolCalls: ToolCall[] }).toolCalls
  const byName = new Map<string, ToolDefinition>()
  for (const tool of tools ?? []) byName.set(tool.name, tool)
  return calls.map((call) => {
    const tool = byName.get(call.name)
    if (tool === undefined) {
      const known = [...byName.keys()].map((name) => `'${name}'`).join(', ')
      throw new InvalidToolInputError({
        message: `the model called tool '${call.name}' (call '${call.id}'), which is not one of the request's tools (${known || 'none'})`,
        toolName: call.name,
        toolCallId: call.id,
        rawInput: stringify(call.input),
        reason: 'unknown_tool',
      })
    }
    let issues: ValidationIssue[]
    let input: unknown = call.input
    if (isZodSchema(tool.inputSchema)) {
      const result = z.safeParse(tool.inputSchema, call.input)
      if (result.success) input = result.data
      issues = result.success
        ? []
        : result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }))
    } else {
      issues = checkJsonSchema(tool.inputSchema as JSONSchema, call.input)
    }
    if (issues.length > 0) {
      const listed = issues
        .slice(0, 5)
        .map((issue) => `${issue.path === '' ? '(input)' : issue.path}: ${issue.message}`)
        .join('; ')
      throw new InvalidToolInputError({
        message: `the model called tool '${call.name}' (call '${call.id}') with input that fails its schema: ${listed}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`,
        toolName: call.name,
        toolCallId: call.id,
        rawInput: stringify(call.input),
        reason: 'schema_mismatch',
        issues,
      })
    }
    return { id: call.id, name: call.name, input } as ValidatedToolCall<T[number]>
  })
}

function stringify(input: unknown): string {
  try {
    return JSON.stringify(input) ?? ''
  } catch {
    return String(input)
  }
}

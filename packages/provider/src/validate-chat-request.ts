import type { z } from 'zod/v4'
import { InvalidRequestError, type ValidationIssue } from './errors/invalid-request-error'
import { type ChatRequest, chatRequestSchema } from './schemas/chat-request'

/**
 * Checks a chat request and returns it typed, or throws an `InvalidRequestError` whose `issues`
 * name each wrong field (`messages[2].content[0].toolCallId`) and say what was expected.
 *
 * Beyond the shape of each field it checks the rules providers enforce across fields, so the
 * mistake is caught before a network call:
 * - every tool result answers a tool call made in an earlier assistant message;
 * - every tool call is answered by a tool result before the next user or assistant message (or
 *   the end of the messages): what an agent resumed in the middle of running a tool would send;
 * - tool names are unique;
 * - `toolChoice` `required` or a named tool needs `tools`, and a named tool must be one of them.
 *
 * What it returns is JSON-safe, so an agent can checkpoint it: image bytes come back as base64
 * (and bytes that went through JSON unvalidated, `{"0":137,…}`, are read back as the same base64),
 * and tool-call inputs and tool-result outputs must be JSON values — a `Map`, `Set`, `Date`, class
 * instance, function, bigint, `NaN`, `undefined` in an array or a cycle is rejected at its path
 * with what to pass instead. `validateChatRequest(JSON.parse(JSON.stringify(valid)))` deep-equals
 * `valid` (tool `inputSchema`s given as zod schemas aside: they are code, not data).
 *
 * @throws InvalidRequestError listing every problem found.
 */
export function validateChatRequest(request: unknown): ChatRequest {
  const result = chatRequestSchema.safeParse(request)
  if (!result.success) throw invalid(result.error.issues.map((issue) => toValidationIssue(issue, request)))
  const parsed = result.data as ChatRequest
  const issues = crossFieldIssues(parsed)
  if (issues.length > 0) throw invalid(issues)
  return parsed
}

function invalid(issues: ValidationIssue[]): InvalidRequestError {
  const lines = issues.slice(0, 10).map((issue) => `  - ${issue.path || '(request)'}: ${issue.message}`)
  if (issues.length > 10) lines.push(`  - ... and ${issues.length - 10} more`)
  const noun = issues.length === 1 ? 'problem' : 'problems'
  return new InvalidRequestError({
    message: `invalid chat request, ${issues.length} ${noun}:\n${lines.join('\n')}`,
    issues,
  })
}

/** Writes a zod path as code would: `messages[2].content[0].toolCallId`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`
    else text += text === '' ? String(key) : `.${String(key)}`
  }
  return text
}

function toValidationIssue(issue: z.core.$ZodIssue, request: unknown): ValidationIssue {
  const path = formatIssuePath(issue.path)
  if (issue.code === 'invalid_union' && 'discriminator' in issue && typeof issue.discriminator === 'string') {
    const field = issue.discriminator
    const expected = field === 'role' ? "'system', 'user', 'assistant' or 'tool'" : 'a known value'
    const fieldPath = issue.path.at(-1) === field ? issue.path : [...issue.path, field]
    const received = valueAt(request, fieldPath)
    const got = received === undefined ? ', but it is missing' : `, got ${JSON.stringify(received)}`
    return { path: formatIssuePath(fieldPath), message: `expected ${field} to be ${expected}${got}` }
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // report the branch that got furthest, which is the one the caller most likely meant
    const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a))
    const inner = best[0]
    if (inner !== undefined)
      return toValidationIssue({ ...inner, path: [...issue.path, ...inner.path] }, request)
  }
  return { path, message: issue.message }
}

function deepest(issues: z.core.$ZodIssue[]): number {
  return Math.max(...issues.map((issue) => issue.path.length), 0)
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

function crossFieldIssues(request: ChatRequest): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const toolNames = new Set<string>()
  request.tools?.forEach((tool, index) => {
    if (toolNames.has(tool.name)) {
      issues.push({
        path: `tools[${index}].name`,
        message: `tool name '${tool.name}' is defined more than once`,
      })
    }
    toolNames.add(tool.name)
  })

  const choice = request.toolChoice
  if (choice === 'required' && toolNames.size === 0) {
    issues.push({ path: 'toolChoice', message: "toolChoice 'required' needs at least one tool in tools" })
  } else if (typeof choice === 'object' && !toolNames.has(choice.toolName)) {
    issues.push({
      path: 'toolChoice.toolName',
      message: `toolChoice names '${choice.toolName}', which is not one of the tools`,
    })
  }

  const calledIds = new Set<string>()
  // the tool calls of the latest assistant message that no tool result has answered yet
  let open = new Map<string, { path: string; toolName: string }>()
  const closeOpen = (before: string) => {
    for (const [id, call] of open) {
      issues.push({
        path: call.path,
        message:
          `tool call '${id}' (${call.toolName}) has no tool result ${before}: providers reject a tool call ` +
          `that is not answered; add a tool message with a tool-result for toolCallId '${id}' right after ` +
          'this assistant message (an isError result if the tool did not run), or remove the call',
      })
    }
    open = new Map()
  }
  request.messages.forEach((message, m) => {
    if (message.role === 'user' || message.role === 'assistant')
      closeOpen(`before the next ${message.role} message (messages[${m}])`)
    if (message.role === 'assistant' && typeof message.content !== 'string') {
      message.content.forEach((part, p) => {
        if (part.type !== 'tool-call') return
        calledIds.add(part.toolCallId)
        open.set(part.toolCallId, { path: `messages[${m}].content[${p}]`, toolName: part.toolName })
      })
    }
    if (message.role === 'tool') {
      message.content.forEach((part, p) => {
        if (!calledIds.has(part.toolCallId)) {
          issues.push({
            path: `messages[${m}].content[${p}].toolCallId`,
            message: `no earlier assistant message made a tool call with id '${part.toolCallId}'`,
          })
        }
        open.delete(part.toolCallId)
      })
    }
  })
  closeOpen('at the end of the messages')
  return issues
}

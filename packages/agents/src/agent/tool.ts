import type { ToolDefinition } from '@ql/provider'
import type { z } from 'zod/v4'

/** What a tool's `execute` gets besides its input. */
export interface ToolContext {
  /** Aborts when the run is cancelled or the node times out; pass it to whatever the tool awaits. */
  readonly signal: AbortSignal
  /** The id of the model's tool call. */
  readonly toolCallId: string
  /** The agent node running the tool. */
  readonly node: string
  readonly threadId: string
}

/** A tool an {@link agentNode} can call: a provider tool definition plus the code that runs it. */
export interface AgentTool<Input = unknown, Output = unknown> extends ToolDefinition {
  /** Runs the tool with the validated input; its (JSON) result goes back to the model. A throw goes back as an error result. */
  execute(input: Input, context: ToolContext): Output | Promise<Output>
  /**
   * Ask before running: the run is interrupted with `{ type: 'tool-approval', toolCall }` and
   * resumed with `{ approved: boolean, reason?: string }` (or a plain boolean). A declined call goes
   * back to the model as an error result with the reason.
   */
  needsApproval?: boolean | ((input: Input) => boolean)
}

/** Options of {@link tool}. */
export interface ToolOptions<Schema extends z.ZodType, Output> {
  /** The name the model calls it by (letters, digits, `_`, `-`; at most 64). */
  name: string
  /** What it does and when to use it: the model reads this. */
  description?: string
  /** The input's zod schema. The model's arguments are validated against it before `execute` runs. */
  input: Schema
  execute(input: z.output<Schema>, context: ToolContext): Output | Promise<Output>
  needsApproval?: boolean | ((input: z.output<Schema>) => boolean)
}

/**
 * Declares a tool for {@link agentNode}:
 *
 * ```ts
 * const readFile = tool({
 *   name: 'read_file',
 *   description: 'Reads a file of the project',
 *   input: z.object({ path: z.string() }),
 *   execute: ({ path }, { signal }) => fs.readFile(path, { encoding: 'utf8', signal }),
 * })
 * ```
 */
export function tool<Schema extends z.ZodType, Output>(
  options: ToolOptions<Schema, Output>,
): AgentTool<z.output<Schema>, Output> {
  const definition: AgentTool<z.output<Schema>, Output> = {
    name: options.name,
    inputSchema: options.input,
    execute: options.execute,
  }
  if (options.description !== undefined) definition.description = options.description
  if (options.needsApproval !== undefined) definition.needsApproval = options.needsApproval
  return definition
}

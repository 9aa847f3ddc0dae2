import {
  type AssistantMessage,
  addUsage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type Message,
  type ToolCall,
  type ToolMessage,
  type UsageWithCost,
  validateToolCalls,
} from '@ql/provider'
import type { NodeContext } from '../graph/node-context'
import type { NodeFunction } from '../graph/types'
import { NODE_EVENTS, type NodeEvents } from '../run/run-task'
import { failSpan, inSpan } from '../telemetry/graph-telemetry'
import { MaxTurnsError } from './max-turns-error'
import type { AgentTool } from './tool'

/** Options of {@link agentNode}. */
export interface AgentNodeOptions {
  /** Any `ChatModel`: an adapter, a router, a wrapped model. */
  model: ChatModel
  /** The tools the model may call. */
  tools?: readonly AgentTool<any, any>[]
  /** The system prompt. */
  system?: string
  /** Model calls per node run; past it, with tools still asked for, the node fails with `MaxTurnsError`. Default 10. */
  maxTurns?: number
  /** The state key holding the conversation (a `Message[]` with the {@link appendMessages} reducer). Default `messages`. */
  messagesKey?: string
  /** When given, the state key that receives the usage and cost summed over this node's model calls (`{ usage, cost? }`). */
  usageKey?: string
  /** Stream each model call and relay its events as `model-delta` graph events. Default false (one `generate` per turn). */
  stream?: boolean
  /** Call options for every model call (the node's signal is always added). */
  callTimeoutMs?: number
}

/** What an approval interrupt asks: `{ type: 'tool-approval', toolCall }`. Answer `true`/`false` or `{ approved, reason? }`. */
export interface ToolApprovalRequest {
  type: 'tool-approval'
  toolCall: ToolCall
}

/**
 * The reducer for a conversation key: appends a node's new messages. `agentNode` returns only
 * the messages it added, so give its messages key this reducer.
 */
export function appendMessages(current: Message[], update: Message[]): Message[] {
  return current.concat(update)
}

/**
 * A node that runs a tool-calling loop over any `ChatModel`: it calls the model with the
 * conversation, runs the tools it asks for (in parallel; inputs validated against the tool's
 * schema first — an invalid input goes back to the model as an error result, never into the
 * tool), and repeats until the model answers without tools or `maxTurns` is reached. Tools with
 * `needsApproval` interrupt the run first. Model calls and tool runs are memoised (`context.memo`),
 * so resuming after an approval neither calls the model again nor repeats a tool.
 *
 * Returns `{ [messagesKey]: the new messages }` (and `{ [usageKey]: usage }`).
 */
export function agentNode<State extends Record<string, unknown>>(
  options: AgentNodeOptions,
): NodeFunction<State, unknown> {
  const maxTurns = options.maxTurns ?? 10
  const messagesKey = options.messagesKey ?? 'messages'
  const tools = options.tools ?? []
  const byName = new Map(tools.map((item) => [item.name, item]))
  if (!Number.isInteger(maxTurns) || maxTurns < 1)
    throw new RangeError('agentNode: maxTurns must be a positive integer.')
  if (byName.size !== tools.length) throw new RangeError('agentNode: two tools have the same name.')

  return (state, context) => {
    const events = (context as unknown as { [NODE_EVENTS]: NodeEvents })[NODE_EVENTS]
    return inSpan(
      events.tracer,
      `invoke_agent ${context.node}`,
      {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': context.node,
        'gen_ai.conversation.id': context.threadId,
      },
      async (span) => {
        const update = await loop(state, context, events)
        const total = update.total
        if (span.isRecording() && total !== undefined) {
          span.setAttributes({
            'gen_ai.usage.input_tokens': total.usage.inputTokens,
            'gen_ai.usage.output_tokens': total.usage.outputTokens,
          })
        }
        return update.result
      },
    )
  }

  async function loop(state: State, context: NodeContext, events: NodeEvents) {
    const history = state[messagesKey]
    if (!Array.isArray(history)) {
      throw new TypeError(`agentNode: state.${messagesKey} must be the conversation (an array of messages).`)
    }
    const added: Message[] = []
    let total: UsageWithCost | undefined
    for (let turn = 0; turn < maxTurns; turn++) {
      const request: ChatRequest = { messages: [...(history as Message[]), ...added] }
      if (options.system !== undefined) request.system = options.system
      if (tools.length > 0)
        request.tools = tools.map(({ name, description, inputSchema }) =>
          description === undefined ? { name, inputSchema } : { name, description, inputSchema },
        )
      const response = await context.memo(`turn:${turn}:model`, () =>
        callModel(options, request, context, events, turn),
      )
      total = total === undefined ? usageOf(response) : addUsage(total, usageOf(response))
      events.emit({
        type: 'model-end',
        node: context.node,
        turn,
        usage: response.usage,
        provider: response.provider,
        modelId: response.modelId,
      })
      added.push(response.message as AssistantMessage)
      if (response.toolCalls.length === 0) return { result: result(added, total), total }
      for (const call of response.toolCalls)
        events.emit({ type: 'tool-call', node: context.node, turn, call })
      const approvals = response.toolCalls.map((call) => approve(call, byName.get(call.name), context))
      const parts = await Promise.all(
        response.toolCalls.map((call, index) =>
          runTool(call, byName.get(call.name), approvals[index] as Approval, context, events, turn),
        ),
      )
      added.push({ role: 'tool', content: parts } as ToolMessage)
    }
    throw new MaxTurnsError({
      message: `The agent used its ${maxTurns} turns and the model still asked for tools.`,
      maxTurns,
    })
  }

  function result(added: Message[], total: UsageWithCost | undefined) {
    const update: Record<string, unknown> = { [messagesKey]: added }
    if (options.usageKey !== undefined && total !== undefined) update[options.usageKey] = total
    return update as Partial<State>
  }
}

function usageOf(response: ChatResponse): UsageWithCost {
  return response.cost === undefined
    ? { usage: response.usage }
    : { usage: response.usage, cost: response.cost }
}

async function callModel(
  options: AgentNodeOptions,
  request: ChatRequest,
  context: NodeContext,
  events: NodeEvents,
  turn: number,
): Promise<ChatResponse> {
  const callOptions = {
    signal: context.signal,
    ...(options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs }),
  }
  if (!options.stream) return options.model.generate(request, callOptions)
  const stream = options.model.stream(request, callOptions)
  const relaying = events.listening('model-delta')
  for await (const event of stream) {
    if (relaying) events.emit({ type: 'model-delta', node: context.node, turn, event })
  }
  return stream.response
}

type Approval = { approved: true } | { approved: false; reason: string }

function approve(call: ToolCall, definition: AgentTool | undefined, context: NodeContext): Approval {
  if (definition?.needsApproval === undefined || definition.needsApproval === false) return { approved: true }
  if (typeof definition.needsApproval === 'function') {
    let input: unknown
    try {
      input = validateToolCalls([call], [definition])[0]?.input
    } catch {
      // an invalid input goes back to the model without asking anyone
      return { approved: true }
    }
    if (!definition.needsApproval(input)) return { approved: true }
  }
  const request: ToolApprovalRequest = { type: 'tool-approval', toolCall: call }
  const answer = context.interrupt<unknown>(request)
  if (answer === true) return { approved: true }
  if (typeof answer === 'object' && answer !== null && (answer as { approved?: unknown }).approved === true)
    return { approved: true }
  const reason =
    typeof answer === 'object' && answer !== null ? (answer as { reason?: unknown }).reason : undefined
  return { approved: false, reason: typeof reason === 'string' && reason !== '' ? reason : 'no reason given' }
}

async function runTool(
  call: ToolCall,
  definition: AgentTool | undefined,
  approval: Approval,
  context: NodeContext,
  events: NodeEvents,
  turn: number,
): Promise<ToolMessage['content'][number]> {
  const done = (output: unknown, isError: boolean) => {
    events.emit({
      type: 'tool-result',
      node: context.node,
      turn,
      toolCallId: call.id,
      toolName: call.name,
      output,
      isError,
    })
    const part: ToolMessage['content'][number] = {
      type: 'tool-result',
      toolCallId: call.id,
      toolName: call.name,
      output: output as never,
    }
    if (isError) part.isError = true
    return part
  }
  if (definition === undefined) return done(`There is no tool named "${call.name}".`, true)
  if (!approval.approved) return done(`The user declined this call: ${approval.reason}`, true)
  let input: unknown
  try {
    input = validateToolCalls([call], [definition])[0]?.input
  } catch (error) {
    return done(error instanceof Error ? error.message : String(error), true)
  }
  const outcome = await context.memo(`turn:${turn}:tool:${call.id}`, () =>
    inSpan(
      events.tracer,
      `execute_tool ${call.name}`,
      {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': call.name,
        'gen_ai.tool.call.id': call.id,
        'gen_ai.tool.type': 'function',
      },
      async (span) => {
        try {
          const output = await definition.execute(input, {
            signal: context.signal,
            toolCallId: call.id,
            node: context.node,
            threadId: context.threadId,
          })
          return { ok: true as const, output: output === undefined ? null : output }
        } catch (error) {
          if (context.signal.aborted) throw error
          failSpan(span, error)
          return { ok: false as const, output: error instanceof Error ? error.message : String(error) }
        }
      },
    ),
  )
  return done(outcome.output, !outcome.ok)
}

import { type CompiledGraph, createGraph, END, type NodeContext, START } from '@ql/agents'
import { extractCodeBlocks, parseCode } from '@ql/parser'
import type { ChatModel } from '@ql/provider'
import { z } from 'zod'

const diagnosticSchema = z.object({
  line: z.number(),
  column: z.number(),
  endLine: z.number(),
  endColumn: z.number(),
  message: z.string(),
  sourceLine: z.string(),
})

/** The state of one `runGraph` run. */
export const codeGraphState = z.object({
  task: z.string().min(1),
  /** A parser language id (`typescript`, `python`, …). */
  language: z.string(),
  maxAttempts: z.number().int().positive().default(3),
  code: z.string().default(''),
  diagnostics: z.array(diagnosticSchema).default([]),
  attempts: z.number().int().default(0),
  modelCalls: z.number().int().default(0),
  inputTokens: z.number().int().default(0),
  outputTokens: z.number().int().default(0),
  costUsd: z.number().default(0),
})

/** The state's type. */
export type CodeGraphState = z.infer<typeof codeGraphState>

/** What the nodes emit besides the graph's own events (`custom` events). */
export type CodeGraphEvent =
  | { kind: 'token'; delta: string }
  | { kind: 'validated'; valid: boolean; problems: number }
  | {
      kind: 'model-call'
      provider: string
      modelId: string
      inputTokens: number
      outputTokens: number
      costUsd: number
    }

const WRITE_SYSTEM =
  'You write one source file for the task. Answer with a short sentence and the file in one fenced code block.'
const REPAIR_SYSTEM =
  'You fix syntax errors. Answer with one sentence on the fix and the whole corrected file in one fenced code block.'

/**
 * The graph behind `runGraph`: `write` → `validate` → (`repair` → `validate`)* → end. The
 * model writes a file, `@ql/parser` checks it, and the diagnostics go back to the model until
 * the file parses clean or the attempts run out. The model is any `ChatModel` (the gateway's
 * router); each call carries `metadata.phase` (`write`, `repair`) for routing.
 */
export function createCodeGraph(
  model: ChatModel,
  options: { maxTokens?: number } = {},
): CompiledGraph<CodeGraphState> {
  const maxTokens = options.maxTokens ?? 2048

  const callModel = async (
    state: CodeGraphState,
    context: NodeContext,
    phase: 'write' | 'repair',
    system: string,
    prompt: string,
  ): Promise<Partial<CodeGraphState>> => {
    const stream = model.stream(
      { system, maxTokens, messages: [{ role: 'user', content: prompt }] },
      { signal: context.signal, metadata: { phase } },
    )
    for await (const event of stream) {
      if (event.type === 'text-delta')
        context.emit({ kind: 'token', delta: event.delta } satisfies CodeGraphEvent)
    }
    const response = await stream.response
    const costUsd = response.cost?.totalCost ?? 0
    context.emit({
      kind: 'model-call',
      provider: response.provider,
      modelId: response.modelId,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costUsd,
    } satisfies CodeGraphEvent)
    const block = extractCodeBlocks(response.text)[0]
    return {
      code: block?.code ?? response.text,
      attempts: state.attempts + 1,
      modelCalls: state.modelCalls + 1,
      inputTokens: state.inputTokens + response.usage.inputTokens,
      outputTokens: state.outputTokens + response.usage.outputTokens,
      costUsd: state.costUsd + costUsd,
    }
  }

  return createGraph({ state: codeGraphState, name: 'gateway-code', version: 1 })
    .addNode('write', (state, context) =>
      callModel(state, context, 'write', WRITE_SYSTEM, `Language: ${state.language}\nTask: ${state.task}`),
    )
    .addNode('validate', async (state, context) => {
      const parsed = await parseCode(state.code, { language: state.language })
      try {
        const diagnostics = parsed.diagnostics.map(
          ({ line, column, endLine, endColumn, message, sourceLine }) => ({
            line,
            column,
            endLine,
            endColumn,
            message,
            sourceLine,
          }),
        )
        context.emit({ kind: 'validated', valid: diagnostics.length === 0, problems: diagnostics.length })
        return { diagnostics }
      } finally {
        parsed.dispose()
      }
    })
    .addConditionalEdges(
      'validate',
      (state) => (state.diagnostics.length === 0 || state.attempts >= state.maxAttempts ? END : 'repair'),
      { targets: ['repair', END] },
    )
    .addNode('repair', (state, context) =>
      callModel(
        state,
        context,
        'repair',
        REPAIR_SYSTEM,
        [
          `Task: ${state.task}`,
          `This ${state.language} file does not parse:`,
          '```',
          state.code,
          '```',
          'Problems:',
          ...state.diagnostics.map((d) => `- line ${d.line}, column ${d.column}: ${d.message}`),
        ].join('\n'),
      ),
    )
    .addEdge(START, 'write')
    .addEdge('write', 'validate')
    .addEdge('repair', 'validate')
    .compile()
}

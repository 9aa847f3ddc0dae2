import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { type Checkpointer, type CompiledGraph, createGraph, END, type NodeContext, START } from '@ql/agents'
import { buildRepoMap } from '@ql/parser'
import type { ChatModel, ChatRequest } from '@ql/provider'
import type { Router } from '@ql/router'
import { z } from 'zod'
import { checkRelativePath, filesFromAnswer, type GeneratedFile, mergeFiles } from './generated-files'
import { PLAN_SYSTEM, REPAIR_SYSTEM, repairPrompt, taskPrompt, WRITE_SYSTEM, writePrompt } from './prompts'
import { type FileProblem, validateFiles } from './validate-files'

const fileSchema = z.object({ path: z.string(), content: z.string() })
const problemSchema = z.object({
  path: z.string(),
  line: z.number(),
  column: z.number(),
  message: z.string(),
  sourceLine: z.string(),
  caret: z.number(),
})

/** The state of one code-generation thread; every step's changes are checkpointed. */
export const codegenState = z.object({
  task: z.string().min(1),
  /** Where the files are written at the end. */
  outDir: z.string(),
  /** An existing repository to map for context. */
  repoRoot: z.string().optional(),
  /** Write + repair attempts before giving up. */
  maxAttempts: z.number().int().positive().default(3),
  repoMap: z.string().default(''),
  plan: z.string().default(''),
  files: z.array(fileSchema).default([]),
  /** Files of the latest answer whose path could not be written (absolute, `..`): not kept. */
  rejected: z.array(z.object({ path: z.string(), reason: z.string() })).default([]),
  /** The latest validation's problems. */
  problems: z.array(problemSchema).default([]),
  /** Files in a language the parser does not know (written unchecked). */
  unchecked: z.array(z.string()).default([]),
  /** Problems found after each attempt: `[3, 0]` is a draft with 3, repaired clean. */
  problemsPerAttempt: z.array(z.number()).default([]),
  attempts: z.number().int().default(0),
  calls: z.number().int().default(0),
  fallbacks: z.number().int().default(0),
  inputTokens: z.number().int().default(0),
  outputTokens: z.number().int().default(0),
  /** US dollars, from the router's pricing table; 0 when no model's price is known. */
  costUsd: z.number().default(0),
  /** Time spent in model calls, ms. */
  modelMs: z.number().default(0),
  /** Who answered each call: `anthropic/claude-haiku-4-5`. */
  answeredBy: z.array(z.string()).default([]),
  written: z.array(z.string()).default([]),
  status: z.enum(['running', 'clean', 'unrepaired']).default('running'),
})

/** The state's type. */
export type CodegenState = z.infer<typeof codegenState>

/** What the nodes emit besides the graph's own events (`custom` events). */
export type CodegenEvent =
  | { kind: 'token'; phase: Phase; delta: string }
  | { kind: 'repo-map'; files: number; tokens: number; skipped: number }
  | { kind: 'file-written'; path: string; bytes: number }

/** Which prompt a model call is for; passed to the model as call metadata `phase`. */
export type Phase = 'plan' | 'write' | 'repair'

/** What the graph needs from outside. */
export interface CodegenDependencies {
  /** Any ChatModel: a router, one adapter, a wrapped model. */
  model: ChatModel
  /** The router under `model`, to count fallbacks per call (optional). */
  router?: Pick<Router, 'on' | 'off'>
  /** Token budget of the repository map. Default 1,024. */
  repoMapTokens?: number
  /** Output tokens per model call. Default 4,096. */
  maxTokens?: number
}

/**
 * The agent: `context` (a repository map when there is a repository) → `plan` → `write` →
 * `validate` → (`repair` → `validate`)* → `save`. A graph of plain functions over a typed state;
 * each step is checkpointed, so a thread resumes after Ctrl-C or a crash.
 */
export function createCodegenGraph(
  dependencies: CodegenDependencies,
  checkpointer?: Checkpointer,
): CompiledGraph<CodegenState> {
  const maxTokens = dependencies.maxTokens ?? 4096

  const callModel = async (
    state: CodegenState,
    context: NodeContext,
    phase: Phase,
    request: ChatRequest,
  ): Promise<{ text: string; update: Partial<CodegenState> }> => {
    let fallbacks = 0
    const onFallback = () => {
      fallbacks++
    }
    dependencies.router?.on('fallback', onFallback)
    const started = performance.now()
    try {
      const stream = dependencies.model.stream(
        { maxTokens, ...request },
        { signal: context.signal, metadata: { phase, attempt: state.attempts } },
      )
      for await (const event of stream) {
        if (event.type === 'text-delta') context.emit({ kind: 'token', phase, delta: event.delta })
      }
      const response = await stream.response
      return {
        text: response.text,
        update: {
          calls: state.calls + 1,
          fallbacks: state.fallbacks + fallbacks,
          inputTokens: state.inputTokens + response.usage.inputTokens,
          outputTokens: state.outputTokens + response.usage.outputTokens,
          costUsd: state.costUsd + (response.cost?.totalCost ?? 0),
          modelMs: state.modelMs + Math.round(performance.now() - started),
          answeredBy: [...state.answeredBy, `${response.provider}/${response.modelId}`],
        },
      }
    } finally {
      dependencies.router?.off('fallback', onFallback)
    }
  }

  return createGraph({ state: codegenState, name: 'codegen-agent', version: 1 })
    .addNode('context', async (state, context) => {
      if (state.repoRoot === undefined) return {}
      const map = await buildRepoMap(
        { root: state.repoRoot },
        {
          maxTokens: dependencies.repoMapTokens ?? 1024,
          focus: state.task.split(/\W+/).filter((word) => word.length > 2),
          // build output is rarely in the directory's own .gitignore (a parent's ignores it)
          ignore: ['dist/', 'build/', 'out/', 'coverage/', '*.min.js'],
          signal: context.signal,
        },
      )
      context.emit({
        kind: 'repo-map',
        files: map.files.length,
        tokens: map.tokens,
        skipped: map.skipped.length,
      })
      return { repoMap: map.text }
    })
    .addNode('plan', async (state, context) => {
      const { text, update } = await callModel(state, context, 'plan', {
        system: PLAN_SYSTEM,
        messages: [{ role: 'user', content: taskPrompt(state.task, state.repoMap) }],
      })
      return { ...update, plan: text }
    })
    .addNode('write', async (state, context) => {
      const { text, update } = await callModel(state, context, 'write', {
        system: WRITE_SYSTEM,
        messages: [{ role: 'user', content: writePrompt(state.task, state.repoMap, state.plan) }],
      })
      const { files, rejected } = splitByPath(filesFromAnswer(text))
      return { ...update, files, rejected, attempts: state.attempts + 1 }
    })
    .addNode('validate', async (state, context) => {
      const validation = await validateFiles(state.files, context.signal)
      const problems: FileProblem[] = [
        ...state.rejected.map((file) =>
          wholeFile(
            file.path,
            `cannot write this path (${file.reason}); use a path relative to the project root`,
          ),
        ),
        ...validation.problems,
      ]
      if (state.files.length === 0 && state.rejected.length === 0) {
        problems.push(
          wholeFile('(answer)', 'no files found: put each file in a fenced block named by its path'),
        )
      }
      return {
        problems,
        unchecked: validation.unchecked,
        problemsPerAttempt: [...state.problemsPerAttempt, problems.length],
      }
    })
    .addConditionalEdges(
      'validate',
      (state) => (state.problems.length === 0 || state.attempts >= state.maxAttempts ? 'save' : 'repair'),
      { targets: ['save', 'repair'] },
    )
    .addNode('repair', async (state, context) => {
      const { text, update } = await callModel(state, context, 'repair', {
        system: REPAIR_SYSTEM,
        messages: [{ role: 'user', content: repairPrompt(state.task, state.files, state.problems) }],
      })
      const { files, rejected } = splitByPath(filesFromAnswer(text))
      return { ...update, files: mergeFiles(state.files, files), rejected, attempts: state.attempts + 1 }
    })
    .addNode('save', async (state, context) => {
      const written: string[] = []
      for (const file of state.files) {
        const checked = checkRelativePath(file.path)
        if (!checked.ok) continue // never kept (splitByPath); checked again before any write
        const target = join(resolve(state.outDir), checked.path)
        await mkdir(dirname(target), { recursive: true })
        // write beside, then rename: a Ctrl-C never leaves a half-written file
        const temporary = `${target}.${process.pid}.tmp`
        await writeFile(temporary, file.content, { signal: context.signal })
        await rename(temporary, target)
        written.push(checked.path)
        context.emit({ kind: 'file-written', path: checked.path, bytes: Buffer.byteLength(file.content) })
      }
      return { written, status: state.problems.length === 0 ? 'clean' : 'unrepaired' }
    })
    .addEdge(START, 'context')
    .addEdge('context', 'plan')
    .addEdge('plan', 'write')
    .addEdge('write', 'validate')
    .addEdge('repair', 'validate')
    .addEdge('save', END)
    .compile({ checkpointer })
}

/** Files whose path can be written (normalised), and the others with the reason. */
function splitByPath(answer: readonly GeneratedFile[]): {
  files: GeneratedFile[]
  rejected: { path: string; reason: string }[]
} {
  const files: GeneratedFile[] = []
  const rejected: { path: string; reason: string }[] = []
  for (const file of answer) {
    const checked = checkRelativePath(file.path)
    if (checked.ok) files.push({ path: checked.path, content: file.content })
    else rejected.push({ path: file.path, reason: checked.reason })
  }
  return { files, rejected }
}

function wholeFile(path: string, message: string): FileProblem {
  return { path, line: 0, column: 0, message, sourceLine: '', caret: 0 }
}

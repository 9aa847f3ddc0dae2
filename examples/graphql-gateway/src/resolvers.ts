import { buildRepoMap, listLanguages, parseCode } from '@ql/parser'
import type { ChatModel, ChatRequest, ChatResponse } from '@ql/provider'
import type { ApiKeyRecord, ApiKeyStore } from './api-keys'
import { generateApiKey } from './api-keys'
import type { CodeGraphEvent, CodeGraphState, createCodeGraph } from './code-graph'
import { gatewayError, toGatewayError } from './gateway-errors'
import type { UsageLedger } from './usage-ledger'

/** What every resolver gets: the caller, and a way to tie work to the operation's lifetime. */
export interface GatewayContext {
  /** The authenticated key (the auth plugin rejects requests without one). */
  principal: ApiKeyRecord
  /** The client's connection; aborts when it goes away. */
  request: Request
}

/** What the resolvers need from the gateway. */
export interface ResolverDependencies {
  model: ChatModel
  graph: ReturnType<typeof createCodeGraph>
  keys: ApiKeyStore
  ledger: UsageLedger
  /** A signal for one operation: aborts when the client leaves or the gateway stops for good. */
  operationSignal(request: Request): { signal: AbortSignal; release(): void }
  /** True once a shutdown's grace period ran out (then aborted work is `SHUTTING_DOWN`, not `CANCELLED`). */
  stopping(): boolean
  log(error: unknown): void
  maxFiles: number
}

interface GenerateInput {
  prompt: string
  system?: string | null
  maxTokens?: number | null
  temperature?: number | null
}

interface RunGraphInput {
  task: string
  language: string
  maxAttempts: number
}

interface LanguageArgs {
  code: string
  language?: string | null
  filename?: string | null
}

/** The resolvers of `schema.ts`. */
export function createResolvers(deps: ResolverDependencies) {
  const fail = (error: unknown) =>
    deps.stopping() && isAbort(error)
      ? gatewayError('SHUTTING_DOWN', 'The gateway stopped before the operation finished; retry it.')
      : toGatewayError(error, deps.log)

  const account = (context: GatewayContext, response: ChatResponse) =>
    deps.ledger.addModelCalls(context.principal.clientId, context.principal.keyId, {
      modelCalls: 1,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costUsd: response.cost?.totalCost ?? 0,
    })

  const runGraphStream = (input: RunGraphInput, signal: AbortSignal) => {
    if (!(input.maxAttempts >= 1 && input.maxAttempts <= 5)) {
      throw gatewayError('BAD_USER_INPUT', 'maxAttempts must be between 1 and 5.')
    }
    checkLength('task', input.task, 20_000)
    const language = knownLanguage(input.language)
    return deps.graph.stream({ task: input.task, language, maxAttempts: input.maxAttempts }, { signal })
  }

  const graphRun = (
    context: GatewayContext,
    result: { threadId: string; status: string; state: CodeGraphState },
  ) => {
    const { state } = result
    deps.ledger.addModelCalls(context.principal.clientId, context.principal.keyId, state)
    return {
      threadId: result.threadId,
      status: result.status,
      language: state.language,
      code: state.code,
      valid: state.diagnostics.length === 0,
      attempts: state.attempts,
      diagnostics: state.diagnostics,
      modelCalls: state.modelCalls,
      usage: { inputTokens: state.inputTokens, outputTokens: state.outputTokens, costUsd: state.costUsd },
    }
  }

  return {
    Query: {
      validate: async (_: unknown, args: LanguageArgs) => {
        const parsed = await parse(args)
        try {
          return { language: parsed.language, valid: parsed.valid, diagnostics: parsed.diagnostics }
        } finally {
          parsed.dispose()
        }
      },
      parse: async (_: unknown, args: LanguageArgs) => {
        const parsed = await parse(args)
        try {
          const symbols = parsed.symbols()
          return {
            language: parsed.language,
            valid: parsed.valid,
            diagnostics: parsed.diagnostics,
            definitions: symbols.definitions.map((d) => ({
              name: d.name,
              kind: d.kind,
              line: d.range.startLine,
              signature: d.signature,
              enclosing: d.enclosing,
            })),
            references: symbols.references.map((r) => ({
              name: r.name,
              kind: r.kind,
              line: r.range.startLine,
            })),
            imports: symbols.imports.map((i) => ({
              source: i.source,
              names: i.names,
              line: i.range.startLine,
            })),
          }
        } finally {
          parsed.dispose()
        }
      },
      repoMap: async (
        _: unknown,
        args: { files: { path: string; content: string }[]; maxTokens: number; focus?: string[] | null },
        context: GatewayContext,
      ) => {
        if (args.files.length > deps.maxFiles) {
          throw gatewayError('INPUT_TOO_LARGE', `At most ${deps.maxFiles} files per repoMap.`)
        }
        if (!(args.maxTokens >= 1 && args.maxTokens <= 16_384)) {
          throw gatewayError('BAD_USER_INPUT', 'maxTokens must be between 1 and 16384.')
        }
        const { signal, release } = deps.operationSignal(context.request)
        try {
          const map = await buildRepoMap(
            { files: args.files },
            {
              maxTokens: args.maxTokens,
              ...(args.focus ? { focus: args.focus } : {}),
              budgetMs: 10_000,
              signal,
            },
          )
          return { text: map.text, tokens: map.tokens, files: map.files, skipped: map.skipped }
        } catch (error) {
          throw fail(error)
        } finally {
          release()
        }
      },
      languages: () => listLanguages(),
      usage: (_: unknown, __: unknown, context: GatewayContext) =>
        deps.ledger.usageOf(context.principal.clientId),
    },

    Mutation: {
      generate: async (_: unknown, { input }: { input: GenerateInput }, context: GatewayContext) => {
        const request = chatRequest(input)
        const { signal, release } = deps.operationSignal(context.request)
        try {
          const response = await deps.model.generate(request, { signal })
          account(context, response)
          return generation(response)
        } catch (error) {
          throw fail(error)
        } finally {
          release()
        }
      },
      runGraph: async (_: unknown, { input }: { input: RunGraphInput }, context: GatewayContext) => {
        const { signal, release } = deps.operationSignal(context.request)
        try {
          const run = runGraphStream(input, signal)
          return graphRun(context, await run.result)
        } catch (error) {
          throw fail(error)
        } finally {
          release()
        }
      },
      createApiKey: (_: unknown, args: { expiresInSeconds?: number | null }, context: GatewayContext) => {
        const { key, keyId, hash } = generateApiKey()
        const expiresAt =
          args.expiresInSeconds == null
            ? undefined
            : new Date(Date.now() + args.expiresInSeconds * 1000).toISOString()
        deps.keys.add({
          keyId,
          hash,
          clientId: context.principal.clientId,
          ...(expiresAt ? { expiresAt } : {}),
        })
        return { key, keyId, expiresAt }
      },
      revokeApiKey: (_: unknown, args: { keyId: string }, context: GatewayContext) =>
        deps.keys.revoke(context.principal.clientId, args.keyId),
    },

    Subscription: {
      generate: {
        subscribe: async function* (
          _: unknown,
          { input }: { input: GenerateInput },
          context: GatewayContext,
        ) {
          const request = chatRequest(input)
          const { signal, release } = deps.operationSignal(context.request)
          try {
            const stream = deps.model.stream(request, { signal })
            for await (const event of stream) {
              if (event.type === 'text-delta')
                yield { generate: { __typename: 'TokenDelta', delta: event.delta } }
            }
            const response = await stream.response
            account(context, response)
            yield { generate: { __typename: 'GenerationDone', generation: generation(response) } }
          } catch (error) {
            throw fail(error)
          } finally {
            release()
          }
        },
      },
      runGraph: {
        subscribe: async function* (
          _: unknown,
          { input }: { input: RunGraphInput },
          context: GatewayContext,
        ) {
          const { signal, release } = deps.operationSignal(context.request)
          try {
            const run = runGraphStream(input, signal)
            for await (const event of run) {
              const payload = graphEvent(event)
              if (payload !== undefined) yield { runGraph: payload }
            }
            yield { runGraph: { __typename: 'GraphDone', run: graphRun(context, await run.result) } }
          } catch (error) {
            throw fail(error)
          } finally {
            release()
          }
        },
      },
    },
  }
}

function graphEvent(event: {
  type: string
  node?: string
  step?: number
  durationMs?: number
  data?: unknown
}): Record<string, unknown> | undefined {
  switch (event.type) {
    case 'node-start':
      return { __typename: 'NodeStarted', node: event.node, step: event.step }
    case 'node-end':
      return { __typename: 'NodeFinished', node: event.node, step: event.step, durationMs: event.durationMs }
    case 'custom': {
      const data = event.data as CodeGraphEvent
      if (data.kind === 'token') return { __typename: 'GraphToken', node: event.node, delta: data.delta }
      if (data.kind === 'validated')
        return { __typename: 'CodeValidated', valid: data.valid, problems: data.problems }
      return undefined
    }
    default:
      return undefined
  }
}

function chatRequest(input: GenerateInput): ChatRequest {
  checkLength('prompt', input.prompt, 100_000)
  if (input.system != null) checkLength('system', input.system, 20_000)
  const maxTokens = input.maxTokens ?? 1024
  if (!(Number.isInteger(maxTokens) && maxTokens >= 1 && maxTokens <= 8192)) {
    throw gatewayError('BAD_USER_INPUT', 'maxTokens must be between 1 and 8192.')
  }
  if (input.temperature != null && !(input.temperature >= 0 && input.temperature <= 2)) {
    throw gatewayError('BAD_USER_INPUT', 'temperature must be between 0 and 2.')
  }
  return {
    messages: [{ role: 'user', content: input.prompt }],
    maxTokens,
    ...(input.system != null ? { system: input.system } : {}),
    ...(input.temperature != null ? { temperature: input.temperature } : {}),
  }
}

function generation(response: ChatResponse) {
  return {
    text: response.text,
    finishReason: response.finishReason,
    provider: response.provider,
    model: response.modelId,
    usage: {
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costUsd: response.cost?.totalCost ?? 0,
    },
  }
}

function checkLength(name: string, value: string, max: number) {
  if (value.length > max) throw gatewayError('INPUT_TOO_LARGE', `${name} is over ${max} characters.`)
}

function knownLanguage(language: string): string {
  const found = listLanguages().find((info) => info.id === language)
  if (found === undefined) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Unknown language ${JSON.stringify(language.slice(0, 40))}; query languages for the ids.`,
    )
  }
  return found.id
}

async function parse(args: LanguageArgs) {
  if (args.language == null && args.filename == null) {
    throw gatewayError('BAD_USER_INPUT', 'Pass language or filename.')
  }
  try {
    return await parseCode(
      args.code,
      args.language != null ? { language: args.language } : { filename: args.filename as string },
    )
  } catch (error) {
    throw toGatewayError(error)
  }
}

function isAbort(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: unknown }).code === 'aborted' ||
      (error as { name?: unknown }).name === 'AbortError' ||
      (error as { code?: unknown; cause?: unknown }).code === 'node_failed')
  )
}

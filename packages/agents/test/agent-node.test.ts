import type { Message } from '@ql/provider'
import { createMockChatModel } from '@ql/provider/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import {
  agentNode,
  appendMessages,
  createGraph,
  createMemoryCheckpointer,
  END,
  type GraphEvent,
  MaxTurnsError,
  START,
  type ToolApprovalRequest,
  tool,
} from '../src/index'

const state = z.object({
  messages: z.array(z.custom<Message>()),
  usage: z.custom<{ usage: { inputTokens: number; outputTokens: number } }>().optional(),
})

function agentGraph(node: ReturnType<typeof agentNode>, checkpointer = createMemoryCheckpointer()) {
  return createGraph({ state, reducers: { messages: appendMessages } })
    .addNode('agent', node)
    .addEdge(START, 'agent')
    .addEdge('agent', END)
    .compile({ checkpointer })
}

const user = (text: string): Message => ({ role: 'user', content: text })

describe('agentNode', () => {
  it('runs the tool loop: model, validated tool call, result back to the model, final answer; usage summed', async () => {
    const reads: string[] = []
    const readFile = tool({
      name: 'read_file',
      description: 'Reads a file',
      input: z.object({ path: z.string() }),
      execute: ({ path }) => {
        reads.push(path)
        return `contents of ${path}`
      },
    })
    const model = createMockChatModel({
      script: [
        {
          toolCalls: [{ id: 'c1', name: 'read_file', input: { path: 'a.ts' } }],
          usage: { inputTokens: 10, outputTokens: 5 },
        },
        { text: 'It exports one function.', usage: { inputTokens: 30, outputTokens: 7 } },
      ],
    })
    const graph = agentGraph(agentNode({ model, tools: [readFile], system: 'Be brief.', usageKey: 'usage' }))
    const { state: final } = await graph.run({ messages: [user('What is in a.ts?')] })
    expect(reads).toEqual(['a.ts'])
    expect(final.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    expect(final.messages[2]).toMatchObject({
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'read_file', output: 'contents of a.ts' }],
    })
    expect(final.usage?.usage).toMatchObject({ inputTokens: 40, outputTokens: 12 })
    const second = model.calls[1]?.request
    expect(second?.system).toBe('Be brief.')
    expect(second?.tools?.map((t) => t.name)).toEqual(['read_file'])
    expect(second?.messages).toHaveLength(3)
  })

  it('sends an invalid input, an unknown tool and a tool error back to the model as error results; the tool never sees bad input', async () => {
    let executed = 0
    const add = tool({
      name: 'add',
      input: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => {
        executed++
        if (a < 0) throw new Error('negative numbers are not supported')
        return a + b
      },
    })
    const model = createMockChatModel({
      script: [
        {
          toolCalls: [
            { id: 'bad', name: 'add', input: { a: 'one', b: 2 } },
            { id: 'ghost', name: 'subtract', input: {} },
            { id: 'throws', name: 'add', input: { a: -1, b: 1 } },
            { id: 'good', name: 'add', input: { a: 1, b: 2 } },
          ],
        },
        { text: 'done' },
      ],
    })
    const { state: final } = await agentGraph(agentNode({ model, tools: [add] })).run({
      messages: [user('add')],
    })
    const results = (
      final.messages[2] as { content: { toolCallId: string; output: unknown; isError?: boolean }[] }
    ).content
    expect(executed).toBe(2)
    expect(results.map((r) => [r.toolCallId, r.isError ?? false])).toEqual([
      ['bad', true],
      ['ghost', true],
      ['throws', true],
      ['good', false],
    ])
    expect(results[0]?.output).toMatch(/a/)
    expect(results[1]?.output).toMatch(/no tool named "subtract"/)
    expect(results[2]?.output).toBe('negative numbers are not supported')
    expect(results[3]?.output).toBe(3)
  })

  it('runs parallel tool calls concurrently', async () => {
    let running = 0
    let most = 0
    const slow = tool({
      name: 'slow',
      input: z.object({ n: z.number() }),
      execute: async ({ n }) => {
        running++
        most = Math.max(most, running)
        await new Promise((resolve) => setImmediate(resolve))
        running--
        return n
      },
    })
    const model = createMockChatModel({
      script: [
        { toolCalls: [1, 2, 3].map((n) => ({ id: `c${n}`, name: 'slow', input: { n } })) },
        { text: 'ok' },
      ],
    })
    await agentGraph(agentNode({ model, tools: [slow] })).run({ messages: [user('go')] })
    expect(most).toBe(3)
  })

  it('fails with MaxTurnsError when the model keeps asking for tools', async () => {
    const echo = tool({ name: 'echo', input: z.object({}), execute: () => 'again' })
    const model = createMockChatModel({ script: () => ({ toolCalls: [{ name: 'echo', input: {} }] }) })
    const error = await agentGraph(agentNode({ model, tools: [echo], maxTurns: 3 }))
      .run({ messages: [user('loop')] })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'node_failed', node: 'agent' })
    expect(MaxTurnsError.isInstance((error as { cause: unknown }).cause)).toBe(true)
    expect(model.calls).toHaveLength(3)
  })

  it('asks before a tool that needs approval, and on resume neither calls the model again nor repeats a tool', async () => {
    const deletes: string[] = []
    const reads: string[] = []
    const remove = tool({
      name: 'delete_file',
      input: z.object({ path: z.string() }),
      needsApproval: ({ path }) => !path.startsWith('tmp/'),
      execute: ({ path }) => {
        deletes.push(path)
        return 'deleted'
      },
    })
    const read = tool({
      name: 'read_file',
      input: z.object({ path: z.string() }),
      execute: ({ path }) => {
        reads.push(path)
        return 'x'
      },
    })
    const model = createMockChatModel({
      script: [
        {
          toolCalls: [
            { id: 'r', name: 'read_file', input: { path: 'a' } },
            { id: 't', name: 'delete_file', input: { path: 'tmp/x' } },
            { id: 'd', name: 'delete_file', input: { path: 'src/main.ts' } },
          ],
        },
        { text: 'cleaned up' },
      ],
    })
    const graph = agentGraph(agentNode({ model, tools: [read, remove] }))
    const paused = await graph.run({ messages: [user('clean')] }, { threadId: 'approve' })
    expect(paused.status).toBe('interrupted')
    const asked = paused.interrupts[0]?.payload as ToolApprovalRequest
    expect(asked).toMatchObject({ type: 'tool-approval', toolCall: { id: 'd', name: 'delete_file' } })
    // nothing ran while waiting for the answer
    expect([reads, deletes]).toEqual([[], []])

    const done = await graph.resume('approve', { approved: true })
    expect(done.status).toBe('done')
    expect(deletes).toEqual(['tmp/x', 'src/main.ts'])
    expect(reads).toEqual(['a'])
    expect(model.calls).toHaveLength(2)
  })

  it('sends a declined call back to the model with the reason', async () => {
    const remove = tool({ name: 'rm', input: z.object({}), needsApproval: true, execute: () => 'gone' })
    const model = createMockChatModel({
      script: [{ toolCalls: [{ id: 'x', name: 'rm', input: {} }] }, { text: 'ok, kept it' }],
    })
    const graph = agentGraph(agentNode({ model, tools: [remove] }))
    await graph.run({ messages: [user('rm')] }, { threadId: 'no' })
    const done = await graph.resume('no', { approved: false, reason: 'keep it' })
    const result = (done.state.messages[2] as { content: { output: unknown; isError?: boolean }[] })
      .content[0]
    expect(result).toMatchObject({ output: 'The user declined this call: keep it', isError: true })
  })

  it('streams the model and relays its events, tool calls and results as graph events', async () => {
    const now = tool({ name: 'now', input: z.object({}), execute: () => '12:00' })
    const model = createMockChatModel({
      script: [
        { toolCalls: [{ id: 'n', name: 'now', input: {} }] },
        { text: 'It is twelve o clock.', chunkSize: 5 },
      ],
    })
    const run = agentGraph(agentNode({ model, tools: [now], stream: true })).stream({
      messages: [user('time?')],
    })
    const events: GraphEvent[] = []
    for await (const event of run) events.push(event)
    const text = events
      .filter((e): e is Extract<GraphEvent, { type: 'model-delta' }> => e.type === 'model-delta')
      .map((e) => (e.event.type === 'text-delta' ? e.event.delta : ''))
      .join('')
    expect(text).toBe('It is twelve o clock.')
    expect(events.filter((e) => e.type === 'tool-call')).toMatchObject([
      { node: 'agent', turn: 0, call: { id: 'n' } },
    ])
    expect(events.filter((e) => e.type === 'tool-result')).toMatchObject([
      { toolCallId: 'n', output: '12:00', isError: false },
    ])
    expect(events.filter((e) => e.type === 'model-end')).toHaveLength(2)
    expect(model.calls.map((c) => c.method)).toEqual(['stream', 'stream'])
    expect((await run.result).state.messages).toHaveLength(4)
  })

  it('cancels the model call when the run is cancelled', async () => {
    const controller = new AbortController()
    const model = createMockChatModel({ script: [{ text: 'late', delayMs: 60_000 }] })
    const running = agentGraph(agentNode({ model })).run(
      { messages: [user('hi')] },
      { signal: controller.signal },
    )
    await new Promise((resolve) => setImmediate(resolve))
    controller.abort()
    await expect(running).rejects.toMatchObject({ code: 'aborted' })
    expect(model.calls[0]?.options?.signal?.aborted).toBe(true)
  })

  it('rejects bad options and a state without a conversation', async () => {
    const model = createMockChatModel({ script: [] })
    expect(() => agentNode({ model, maxTurns: 0 })).toThrow(/maxTurns/)
    const t = tool({ name: 'same', input: z.object({}), execute: () => 1 })
    expect(() => agentNode({ model, tools: [t, t] })).toThrow(/same name/)
    const graph = createGraph({ state: z.object({ chat: z.array(z.string()).optional() }) })
      .addNode('agent', agentNode({ model, messagesKey: 'chat' }))
      .addEdge(START, 'agent')
      .compile()
    await expect(graph.run({})).rejects.toThrow(/state.chat must be the conversation/)
  })
})

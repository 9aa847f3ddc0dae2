import { context, SpanStatusCode, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { Message } from '@ql/provider'
import { createMockChatModel } from '@ql/provider/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import {
  agentNode,
  appendMessages,
  createGraph,
  createMemoryCheckpointer,
  END,
  interrupt,
  START,
  tool,
} from '../src/index'

const exporter = new InMemorySpanExporter()
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
const tracer = provider.getTracer('test')
const manager = new AsyncLocalStorageContextManager()

beforeAll(() => {
  context.setGlobalContextManager(manager.enable())
})
afterAll(() => {
  manager.disable()
  context.disable()
})
beforeEach(() => exporter.reset())

describe('OpenTelemetry', () => {
  it('traces a run, its node attempts, the agent and its tools, nested, by the GenAI conventions', async () => {
    const secret = 'sk-live-abcdefghijklmnopqrstuvwxyz0123456789'
    const lookup = tool({
      name: 'lookup',
      input: z.object({ q: z.string() }),
      execute: ({ q }) => {
        if (q === 'bad') throw new Error(`upstream refused key ${secret}`)
        return `found ${q}`
      },
    })
    const model = createMockChatModel({
      script: [
        {
          toolCalls: [
            { id: 't1', name: 'lookup', input: { q: 'x' } },
            { id: 't2', name: 'lookup', input: { q: 'bad' } },
          ],
          usage: { inputTokens: 10, outputTokens: 2 },
        },
        { text: 'done', usage: { inputTokens: 20, outputTokens: 3 } },
      ],
    })
    const graph = createGraph({
      state: z.object({ messages: z.array(z.custom<Message>()) }),
      reducers: { messages: appendMessages },
      name: 'support',
    })
      .addNode('agent', agentNode({ model, tools: [lookup] }))
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile({ tracer })
    await graph.run({ messages: [{ role: 'user', content: 'hi' }] }, { threadId: 'thread-7' })

    const spans = exporter.getFinishedSpans()
    const byName = new Map(spans.map((span) => [span.name, span]))
    expect([...byName.keys()].sort()).toEqual([
      'execute_tool lookup',
      'invoke_agent agent',
      'invoke_workflow support',
      'node agent',
    ])
    const run = byName.get('invoke_workflow support')
    const node = byName.get('node agent')
    const agent = byName.get('invoke_agent agent')
    // the tools run in parallel: order them by call id
    const tools = spans
      .filter((span) => span.name === 'execute_tool lookup')
      .sort((a, b) =>
        String(a.attributes['gen_ai.tool.call.id']).localeCompare(
          String(b.attributes['gen_ai.tool.call.id']),
        ),
      )
    expect(run?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.conversation.id': 'thread-7',
      'ql.agents.graph': 'support',
      'ql.agents.status': 'done',
      'ql.agents.steps': 1,
    })
    expect(node?.attributes).toMatchObject({
      'ql.agents.node': 'agent',
      'ql.agents.step': 0,
      'ql.agents.attempt': 1,
    })
    expect(agent?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'agent',
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 5,
    })
    expect(tools.map((span) => span.attributes['gen_ai.tool.call.id'])).toEqual(['t1', 't2'])
    expect(tools[1]?.status.code).toBe(SpanStatusCode.ERROR)
    expect(tools[1]?.attributes['error.type']).toBe('_OTHER')
    // nesting: run > node > agent > tools
    expect(node?.parentSpanContext?.spanId).toBe(run?.spanContext().spanId)
    expect(agent?.parentSpanContext?.spanId).toBe(node?.spanContext().spanId)
    for (const span of tools) expect(span.parentSpanContext?.spanId).toBe(agent?.spanContext().spanId)
    // no message content and no secret anywhere in what was exported
    const exported = JSON.stringify(
      spans.map((span) => [span.name, span.attributes, span.status, span.events]),
    )
    expect(exported).not.toContain('sk-live')
    expect(exported).not.toContain('hi"')
  })

  it('marks a failed run and node with error.type, and an interrupt as no failure', async () => {
    const failing = createGraph({ state: z.object({ n: z.number() }), name: 'failing' })
      .addNode('boom', () => {
        throw new TypeError('bad input')
      })
      .addEdge(START, 'boom')
      .compile({ tracer })
    await failing.run({ n: 0 }).catch(() => {})
    const pausing = createGraph({ state: z.object({ n: z.number() }), name: 'pausing' })
      .addNode('ask', () => ({ n: interrupt<number>('?') }))
      .addEdge(START, 'ask')
      .compile({ tracer, checkpointer: createMemoryCheckpointer() })
    await pausing.run({ n: 0 }, { threadId: 'p' })

    const spans = new Map(exporter.getFinishedSpans().map((span) => [span.name, span]))
    expect(spans.get('invoke_workflow failing')?.attributes['error.type']).toBe('node_failed')
    expect(spans.get('node boom')?.attributes['error.type']).toBe('TypeError')
    expect(spans.get('node ask')?.status.code).not.toBe(SpanStatusCode.ERROR)
    expect(spans.get('node ask')?.attributes['ql.agents.interrupted']).toBe(true)
    expect(spans.get('invoke_workflow pausing')?.attributes['ql.agents.status']).toBe('interrupted')
  })

  it('records nothing and builds no context through the global no-op tracer', async () => {
    const graph = createGraph({ state: z.object({ n: z.number() }) })
      .addNode('a', () => {
        // no span is active inside a node when nothing records
        expect(trace.getActiveSpan()).toBeUndefined()
        return { n: 1 }
      })
      .addEdge(START, 'a')
      .compile()
    expect((await graph.run({ n: 0 })).state.n).toBe(1)
    expect(exporter.getFinishedSpans()).toEqual([])
  })
})

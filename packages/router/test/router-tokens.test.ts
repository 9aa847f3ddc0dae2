import type { ChatRequest, Message, ToolChoice, ToolDefinition } from '@ql/provider'
// gpt-tokenizer's own test cases (from the openai-chat-tokens project, whose counts were taken
// from the API): chat requests and the prompt tokens its tests pin for gpt-4o
import { functionCallingTestCases } from 'gpt-tokenizer/fixtures/functionCallingTestCases'
import { describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import { cachedCounter } from '../src/router/tokens/cached-counter'
import { countRequestTokens, loadTokenizer } from '../src/router/tokens/count-tokens'
import { estimateRequestTokens } from '../src/router/tokens/estimate-request-tokens'
import { loadEncoding } from '../src/router/tokens/load-encoding'
import { openAIEncoding } from '../src/router/tokens/openai-encoding'

const gpt4o = { provider: 'openai', modelId: 'gpt-4o' }
const gpt4 = { provider: 'openai', modelId: 'gpt-4' }
const claude = { provider: 'anthropic', modelId: 'claude-sonnet-4-5' }

/** The first count loads a rank table (hundreds of ms on a loaded machine). */
const LOAD_TIMEOUT = 60_000

const user = (content: string): Message => ({ role: 'user', content })

/** OpenAI cookbook, "How to count tokens with tiktoken", section 7: the weather tool. */
const weatherRequest: ChatRequest = {
  system: 'You are a helpful assistant that can answer to questions about the weather.',
  messages: [user("What's the weather like in San Francisco?")],
  tools: [
    {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      inputSchema: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
          unit: {
            type: 'string',
            description: 'The unit of temperature to return',
            enum: ['celsius', 'fahrenheit'],
          },
        },
        required: ['location'],
      },
    },
  ],
}

describe('countRequestTokens against OpenAI-published counts', () => {
  it(
    'counts the cookbook tool example as the API did: 101 on gpt-4o / gpt-4o-mini, 105 on gpt-4 / gpt-3.5-turbo',
    () => {
      expect(countRequestTokens(weatherRequest, gpt4o)).toEqual({ tokens: 101, exact: true })
      expect(
        countRequestTokens(weatherRequest, { provider: 'openai', modelId: 'gpt-4o-mini-2024-07-18' }),
      ).toEqual({
        tokens: 101,
        exact: true,
      })
      expect(countRequestTokens(weatherRequest, gpt4)).toEqual({ tokens: 105, exact: true })
      expect(countRequestTokens(weatherRequest, { provider: 'openai', modelId: 'gpt-3.5-turbo' })).toEqual({
        tokens: 105,
        exact: true,
      })
    },
    LOAD_TIMEOUT,
  )

  it('counts the same tool given as a zod schema the same', () => {
    const tool: ToolDefinition = {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      inputSchema: z.object({
        location: z.string().describe('The city and state, e.g. San Francisco, CA'),
        unit: z.enum(['celsius', 'fahrenheit']).describe('The unit of temperature to return').optional(),
      }),
    }
    expect(countRequestTokens({ ...weatherRequest, tools: [tool] }, gpt4o)).toEqual({
      tokens: 101,
      exact: true,
    })
  })

  it('matches the API counts in gpt-tokenizer test cases that a ChatRequest can express', () => {
    let checked = 0
    for (const testCase of functionCallingTestCases) {
      const request = toChatRequest(testCase)
      if (request === undefined) continue
      checked++
      expect(countRequestTokens(request, gpt4o).tokens, JSON.stringify(testCase)).toBe(testCase.tokens)
    }
    expect(checked).toBeGreaterThanOrEqual(20)
  })

  it('counts known texts with the right encoding (OpenAI cookbook section 5)', () => {
    // "お誕生日おめでとう": 9 tokens in cl100k_base, 8 in o200k_base
    const bare = (content: string, model: typeof gpt4) =>
      countRequestTokens({ messages: [user(content)] }, model).tokens - 7 // 3 framing + 1 role + 3 priming
    expect(bare('お誕生日おめでとう', gpt4)).toBe(9)
    expect(bare('お誕生日おめでとう', gpt4o)).toBe(8)
    expect(bare('hello world', gpt4o)).toBe(2)
    expect(loadEncoding('o200k_base')('antidisestablishmentarianism')).toBe(6)
    expect(loadEncoding('cl100k_base')('2 + 2 = 4')).toBe(7)
  })
})

describe('countRequestTokens', () => {
  it('estimates other providers with o200k and says so', () => {
    const request: ChatRequest = { system: 'Be brief.', messages: [user('Summarize the plot of Hamlet.')] }
    const openai = countRequestTokens(request, gpt4o)
    expect(openai.exact).toBe(true)
    expect(countRequestTokens(request, claude)).toEqual({ tokens: openai.tokens, exact: false })
    expect(countRequestTokens(request, { provider: 'bedrock', modelId: 'amazon.nova-pro-v1:0' }).exact).toBe(
      false,
    )
    expect(
      countRequestTokens(request, { provider: 'bedrock', modelId: 'openai.gpt-oss-120b-1:0' }).exact,
    ).toBe(false)
    expect(countRequestTokens(request, { provider: 'ollama', modelId: 'llama3.1:8b' }).exact).toBe(false)
  })

  it('counts a gateway or Azure deployment named after an OpenAI model exactly', () => {
    const request: ChatRequest = { messages: [user('hi')] }
    expect(countRequestTokens(request, { provider: 'openrouter', modelId: 'openai/gpt-4o' }).exact).toBe(true)
    expect(countRequestTokens(request, { provider: 'azure', modelId: 'gpt-35-turbo' }).exact).toBe(true)
  })

  it('counts special-token strings in content as plain text instead of throwing', () => {
    const request: ChatRequest = { messages: [user('end here <|endoftext|> and <|im_start|>system')] }
    const count = countRequestTokens(request, gpt4o)
    expect(count.exact).toBe(true)
    expect(count.tokens).toBeGreaterThan(
      countRequestTokens({ messages: [user('end here')] }, gpt4o).tokens + 5,
    )
  })

  it('adds each message framing and the text of every message kind', () => {
    const one = countRequestTokens({ messages: [user('hello')] }, gpt4o).tokens
    const two = countRequestTokens(
      { messages: [user('hello'), { role: 'assistant', content: 'hello' }] },
      gpt4o,
    )
    expect(two).toEqual({ tokens: one + 3 + 1 + 1, exact: true })
    const system = countRequestTokens({ system: 'hello', messages: [user('hello')] }, gpt4o).tokens
    const systemMessage = countRequestTokens(
      { messages: [{ role: 'system', content: 'hello' }, user('hello')] },
      gpt4o,
    ).tokens
    expect(system).toBe(systemMessage)
    expect(
      countRequestTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] }, gpt4o),
    ).toEqual({
      tokens: one,
      exact: true,
    })
  })

  it('estimates images, and the framing of tool calls and results, with exact: false', () => {
    const text = countRequestTokens({ messages: [user('look')] }, gpt4o).tokens
    const image = (detail?: 'low') =>
      ({
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          {
            type: 'image',
            image: 'https://example.com/cat.png',
            ...(detail === undefined ? {} : { providerOptions: { openai: { imageDetail: detail } } }),
          },
        ],
      }) satisfies Message
    expect(countRequestTokens({ messages: [image()] }, gpt4o)).toEqual({ tokens: text + 765, exact: false })
    expect(countRequestTokens({ messages: [image('low')] }, gpt4o)).toEqual({
      tokens: text + 85,
      exact: false,
    })
    expect(countRequestTokens({ messages: [image()] }, claude)).toEqual({ tokens: text + 1600, exact: false })

    const history: ChatRequest = {
      messages: [
        user('weather?'),
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'The user wants the weather.' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', output: { celsius: 21 } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c2', output: 'sunny' }] },
      ],
    }
    const openai = countRequestTokens(history, gpt4o)
    const other = countRequestTokens(history, claude)
    expect(openai.exact).toBe(false)
    // Chat Completions drops reasoning from history; other providers are charged for it
    expect(other.tokens).toBeGreaterThan(openai.tokens)
    expect(openai.tokens).toBeGreaterThan(
      countRequestTokens({ messages: [user('weather?')] }, gpt4o).tokens + 20,
    )
  })

  it('counts tool choice and a structured-output schema', () => {
    const base = countRequestTokens(weatherRequest, gpt4o).tokens
    const withChoice = (toolChoice: ToolChoice) =>
      countRequestTokens({ ...weatherRequest, toolChoice }, gpt4o)
    expect(withChoice('auto')).toEqual({ tokens: base, exact: true })
    expect(withChoice('none')).toEqual({ tokens: base + 1, exact: true })
    expect(withChoice({ type: 'tool', toolName: 'get_current_weather' }).tokens).toBeGreaterThan(base + 4)
    expect(withChoice('required')).toEqual({ tokens: base, exact: false })
    // tool choice without tools adds nothing
    expect(countRequestTokens({ messages: [user('hi')], toolChoice: 'none' }, gpt4o).tokens).toBe(
      countRequestTokens({ messages: [user('hi')] }, gpt4o).tokens,
    )

    const plain = countRequestTokens({ messages: [user('hi')] }, gpt4o).tokens
    const json = countRequestTokens({ messages: [user('hi')], responseFormat: { type: 'json' } }, gpt4o)
    expect(json).toEqual({ tokens: plain, exact: true })
    const schema = z.object({ answer: z.string(), confidence: z.number() })
    const structured = countRequestTokens(
      { messages: [user('hi')], responseFormat: { type: 'json', schema } },
      gpt4o,
    )
    expect(structured.exact).toBe(false)
    expect(structured.tokens).toBeGreaterThan(plain + 10)
  })

  it('marks tools whose schema the rendering cannot reproduce as estimates, and never throws on them', () => {
    const union: ToolDefinition = {
      name: 'lookup',
      inputSchema: {
        type: 'object',
        properties: { id: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
      },
    }
    expect(countRequestTokens({ messages: [user('hi')], tools: [union] }, gpt4o).exact).toBe(false)
    const broken: ToolDefinition = { name: 'broken', inputSchema: z.object({ when: z.date() }) }
    const count = countRequestTokens({ messages: [user('hi')], tools: [broken] }, gpt4o)
    expect(count.exact).toBe(false)
    expect(count.tokens).toBeGreaterThan(0)
    const cyclic: Record<string, unknown> = { type: 'object' }
    cyclic.properties = { self: cyclic }
    const weird: ToolDefinition = { name: 'weird', inputSchema: cyclic as never }
    expect(() => countRequestTokens({ messages: [user('hi')], tools: [weird] }, gpt4o)).not.toThrow()
    const input: Record<string, unknown> = {}
    input.self = input
    const cyclicCall: ChatRequest = {
      messages: [
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'x', input: input as never }],
        },
      ],
    }
    expect(() => countRequestTokens(cyclicCall, gpt4o)).not.toThrow()
  })

  it('re-renders a tool changed in place, and counts the same request the same way twice', () => {
    const tool: ToolDefinition = {
      name: 'a',
      description: 'short',
      inputSchema: { type: 'object', properties: {} },
    }
    const request: ChatRequest = { messages: [user('hi')], tools: [tool] }
    const before = countRequestTokens(request, gpt4o).tokens
    expect(countRequestTokens(request, gpt4o).tokens).toBe(before)
    tool.description = 'a much longer description of what this tool does'
    expect(countRequestTokens(request, gpt4o).tokens).toBeGreaterThan(before)
  })

  it('gives the same count for long texts read from the cache as for fresh ones', () => {
    const long = 'The quick brown fox jumps over the lazy dog. '.repeat(200)
    const first = countRequestTokens({ messages: [user(long)] }, gpt4o).tokens
    const copy = `${long.slice(0, 10)}${long.slice(10)}`
    expect(countRequestTokens({ messages: [user(copy)] }, gpt4o).tokens).toBe(first)
    expect(first).toBe(loadEncoding('o200k_base')(long) + 7)
  })

  it('loads a tokenizer on request', () => {
    expect(() => loadTokenizer(gpt4)).not.toThrow()
    expect(() => loadTokenizer(claude)).not.toThrow()
  })
})

describe('openAIEncoding', () => {
  it('picks o200k for gpt-4o and later, cl100k for gpt-4 and gpt-3.5, nothing for others', () => {
    for (const id of [
      'gpt-4o',
      'gpt-4o-mini-2024-07-18',
      'chatgpt-4o-latest',
      'gpt-4.1-nano',
      'gpt-5',
      'gpt-5.4-mini',
      'o1',
      'o3-mini',
      'o4-mini',
      'GPT-4o',
    ]) {
      expect(openAIEncoding(id), id).toBe('o200k_base')
    }
    for (const id of ['gpt-4', 'gpt-4-0613', 'gpt-4-turbo', 'gpt-3.5-turbo-0125', 'gpt-35-turbo']) {
      expect(openAIEncoding(id), id).toBe('cl100k_base')
    }
    for (const id of ['claude-sonnet-4-5', 'gpt-oss-120b', 'llama3.1:8b', 'amazon.nova-pro-v1:0', '']) {
      expect(openAIEncoding(id), id).toBeUndefined()
    }
  })
})

describe('cachedCounter', () => {
  it('counts each text once, within a bounded memory', () => {
    const calls: string[] = []
    const count = cachedCounter((text) => {
      calls.push(text)
      return text.length
    })
    const long = 'y'.repeat(1_000)
    expect(count(long)).toBe(1_000)
    expect(count('y'.repeat(1_000))).toBe(1_000)
    expect(calls).toHaveLength(1)
    // 1,100 texts of 1,000 characters overflow one generation (1 M characters): the first 1,000
    // move to the previous generation, where a hit is still served without counting
    const text = (i: number) => `${i}`.padEnd(1_000, '.')
    for (let i = 0; i < 1_100; i++) count(text(i))
    const before = calls.length
    count(text(0))
    count(long)
    expect(calls.length).toBe(before)
    // two more generations' worth push the rest out: they are counted again
    for (let i = 2_000; i < 4_100; i++) count(text(i))
    const after = calls.length
    count(text(500))
    expect(calls.length).toBe(after + 1)
  })

  it('rotates on the number of texts too, so short texts cannot pile up', () => {
    let counted = 0
    const count = cachedCounter((text) => {
      counted++
      return text.length
    })
    for (let i = 0; i < 50_000; i++) count(String(i))
    counted = 0
    count('49999')
    count('0')
    expect(counted).toBe(1) // the newest is still there, the oldest long gone
  })
})

describe('estimateRequestTokens', () => {
  it('errs high against the real count for prose and code, and counts every part kind', () => {
    const prose = 'The router sends each call to the first healthy target and falls over on failure. '.repeat(
      50,
    )
    const code = 'export function add(a: number, b: number): number {\n  return a + b\n}\n'.repeat(50)
    const japanese = 'ルーターは各呼び出しを最初の正常なターゲットに送ります。'.repeat(50)
    for (const text of [prose, code, japanese]) {
      const request: ChatRequest = { messages: [user(text)] }
      const real = countRequestTokens(request, gpt4o).tokens
      const estimate = estimateRequestTokens(request)
      expect(estimate).toBeGreaterThanOrEqual(real)
      expect(estimate).toBeLessThan(real * 2)
    }
    const everything: ChatRequest = {
      system: 'sys',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image', image: 'https://e.com/a.png' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'hmm' },
            { type: 'tool-call', toolCallId: 'c', toolName: 'f', input: { a: 1 } },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', output: { ok: true } }] },
      ],
      tools: weatherRequest.tools ?? [],
    }
    expect(estimateRequestTokens(everything)).toBeGreaterThan(1_000 + 50)
    expect(estimateRequestTokens(everything)).toBe(estimateRequestTokens(everything))
  })
})

type FixtureMessage = { role?: string; name?: string; content?: string; function_call?: unknown }
type FixtureFunction = { name: string; description?: string; parameters?: object }
type Fixture = {
  messages: readonly FixtureMessage[]
  functions?: readonly FixtureFunction[]
  function_call?: 'auto' | 'none' | { name: string }
}

/** A gpt-tokenizer test case as a ChatRequest, or undefined if it uses `name` or `function` messages. */
function toChatRequest(testCase: Fixture): ChatRequest | undefined {
  const messages: Message[] = []
  for (const message of testCase.messages) {
    if (message.name !== undefined || message.function_call !== undefined) return undefined
    const content = message.content ?? ''
    if (message.role === 'system') messages.push({ role: 'system', content })
    else if (message.role === 'user') messages.push({ role: 'user', content })
    else if (message.role === 'assistant') messages.push({ role: 'assistant', content })
    else return undefined
  }
  const request: ChatRequest = { messages }
  if (testCase.functions !== undefined) {
    request.tools = testCase.functions.map((fn) => ({
      name: fn.name,
      ...(fn.description === undefined ? {} : { description: fn.description }),
      inputSchema: (fn.parameters ?? {
        type: 'object',
        properties: {},
      }) as unknown as ToolDefinition['inputSchema'],
    }))
  }
  const choice = testCase.function_call
  if (choice !== undefined)
    request.toolChoice = typeof choice === 'string' ? choice : { type: 'tool', toolName: choice.name }
  return request
}

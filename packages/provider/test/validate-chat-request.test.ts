import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { InvalidRequestError, validateChatRequest } from '../src/index'

function issuesOf(request: unknown) {
  try {
    validateChatRequest(request)
  } catch (error) {
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    return (error as InvalidRequestError).issues
  }
  throw new Error('expected the request to be rejected')
}

describe('validateChatRequest', () => {
  it('accepts a full, valid conversation and returns it typed', () => {
    const request = {
      system: 'be brief',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'weather?' },
            { type: 'image', image: 'https://x/y.png' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'need the tool', signature: 'sig' },
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Oslo' } },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', output: { tempC: 3 } }] },
      ],
      tools: [{ name: 'weather', inputSchema: z.object({ city: z.string() }) }],
      toolChoice: { type: 'tool', toolName: 'weather' },
      responseFormat: { type: 'json', schema: { type: 'object' } },
      maxTokens: 100,
      temperature: 0.2,
      stop: ['\n\n'],
      providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
    }
    expect(validateChatRequest(request)).toEqual(request)
  })

  it('names the message whose role is wrong and what roles exist', () => {
    const issues = issuesOf({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'bot', content: 'hello' },
      ],
    })
    expect(issues).toEqual([
      {
        path: 'messages[1].role',
        message: `expected role to be 'system', 'user', 'assistant' or 'tool', got "bot"`,
      },
    ])
  })

  it('rejects a tool result without a tool call id, naming the field', () => {
    const issues = issuesOf({
      messages: [{ role: 'tool', content: [{ type: 'tool-result', output: 'x' }] }],
    })
    expect(issues[0]?.path).toBe('messages[0].content[0].toolCallId')
    expect(issues[0]?.message).toContain('toolCallId')
  })

  it('rejects a tool result that answers no earlier tool call', () => {
    const issues = issuesOf({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_9', output: 'x' }] },
      ],
    })
    expect(issues).toEqual([
      {
        path: 'messages[1].content[0].toolCallId',
        message: "no earlier assistant message made a tool call with id 'call_9'",
      },
    ])
  })

  describe('tool calls without a result', () => {
    const user = (content: string) => ({ role: 'user', content })
    const calls = (...ids: string[]) => ({
      role: 'assistant',
      content: [
        { type: 'text', text: 'checking' },
        ...ids.map((id) => ({
          type: 'tool-call',
          toolCallId: id,
          toolName: 'weather',
          input: { city: 'Oslo' },
        })),
      ],
    })
    const results = (...ids: string[]) => ({
      role: 'tool',
      content: ids.map((id) => ({ type: 'tool-result', toolCallId: id, output: 'sunny' })),
    })

    it('rejects a tool call left unanswered at the end (an agent resumed mid-tool), at the call', () => {
      const issues = issuesOf({ messages: [user('weather?'), calls('call_1')] })
      expect(issues).toEqual([
        {
          path: 'messages[1].content[1]',
          message:
            "tool call 'call_1' (weather) has no tool result at the end of the messages: providers reject a tool call " +
            "that is not answered; add a tool message with a tool-result for toolCallId 'call_1' right after " +
            'this assistant message (an isError result if the tool did not run), or remove the call',
        },
      ])
    })

    it('rejects a tool call whose result is missing before the next user or assistant message', () => {
      const beforeUser = issuesOf({
        messages: [user('a'), calls('call_1', 'call_2'), results('call_2'), user('b')],
      })
      expect(beforeUser.map((i) => i.path)).toEqual(['messages[1].content[1]'])
      expect(beforeUser[0]?.message).toContain(
        "'call_1' (weather) has no tool result before the next user message (messages[3])",
      )
      const beforeAssistant = issuesOf({
        messages: [user('a'), calls('call_1'), { role: 'assistant', content: 'done' }],
      })
      expect(beforeAssistant[0]?.message).toContain('before the next assistant message (messages[2])')
    })

    it('reports every unanswered call, in order', () => {
      const issues = issuesOf({ messages: [user('a'), calls('c1', 'c2'), user('b'), calls('c3')] })
      expect(issues.map((i) => i.path)).toEqual([
        'messages[1].content[1]',
        'messages[1].content[2]',
        'messages[3].content[1]',
      ])
    })

    it('accepts calls answered by one or several tool messages, and a system message in between', () => {
      const messages = [
        user('a'),
        calls('c1', 'c2'),
        results('c2'),
        { role: 'system', content: 'note' },
        results('c1'),
        { role: 'assistant', content: 'done' },
        user('b'),
      ]
      expect(validateChatRequest({ messages }).messages).toHaveLength(7)
    })
  })

  it('rejects a JSON Schema tool input that is not an object', () => {
    const issues = issuesOf({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ name: 'f', inputSchema: { type: 'string' } }],
    })
    expect(issues[0]?.path).toBe('tools[0].inputSchema')
    expect(issues[0]?.message).toContain('must describe an object')
  })

  it('rejects a zod tool input that is not an object, naming its type', () => {
    const issues = issuesOf({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ name: 'f', inputSchema: z.string() }],
    })
    expect(issues[0]).toEqual({
      path: 'tools[0].inputSchema',
      message: 'a tool input schema must describe an object (z.object({...})), not a zod string',
    })
  })

  it('says that zod 3 schemas are not supported instead of calling them non-objects', () => {
    const zod3Like = { _def: { typeName: 'ZodObject' }, safeParse: () => ({ success: true }) }
    const issues = issuesOf({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ name: 'f', inputSchema: zod3Like }],
    })
    expect(issues[0]?.message).toContain('zod 3 schemas are not supported')
  })

  it('checks tool names, duplicates and toolChoice against the tools', () => {
    const obj = { type: 'object', properties: {} }
    expect(
      issuesOf({
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ name: 'bad name', inputSchema: obj }],
      })[0],
    ).toMatchObject({ path: 'tools[0].name' })
    expect(
      issuesOf({
        messages: [{ role: 'user', content: 'hi' }],
        tools: [
          { name: 'a', inputSchema: obj },
          { name: 'a', inputSchema: obj },
        ],
      }),
    ).toEqual([{ path: 'tools[1].name', message: "tool name 'a' is defined more than once" }])
    expect(issuesOf({ messages: [{ role: 'user', content: 'hi' }], toolChoice: 'required' })[0]?.path).toBe(
      'toolChoice',
    )
    expect(
      issuesOf({
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ name: 'a', inputSchema: obj }],
        toolChoice: { type: 'tool', toolName: 'b' },
      })[0]?.path,
    ).toBe('toolChoice.toolName')
  })

  it('reports every problem at once, with readable paths and a message that lists them', () => {
    let error: unknown
    try {
      validateChatRequest({ messages: [], temperature: 5, maxTokens: 1.5 })
    } catch (e) {
      error = e
    }
    expect(InvalidRequestError.isInstance(error)).toBe(true)
    const e = error as InvalidRequestError
    expect(e.issues.map((i) => i.path).sort()).toEqual(['maxTokens', 'messages', 'temperature'])
    expect(e.message).toMatch(/^invalid chat request, 3 problems:/)
    expect(e.retryable).toBe(false)
    expect(e.code).toBe('invalid_request')
  })

  it('rejects inputs that are not requests at all', () => {
    expect(issuesOf(null)[0]?.path).toBe('')
    expect(issuesOf({ messages: 'hi' })[0]?.path).toBe('messages')
    expect(issuesOf({ messages: [{ role: 'user', content: [] }] })[0]?.path).toBe('messages[0].content')
    expect(issuesOf({ messages: [{ content: 'hi' }] })[0]?.message).toContain('but it is missing')
  })

  it('caps the message at ten problems but keeps every issue', () => {
    const messages = Array.from({ length: 12 }, () => ({ role: 'nobody', content: 'x' }))
    try {
      validateChatRequest({ messages })
      expect.unreachable()
    } catch (error) {
      const e = error as InvalidRequestError
      expect(e.issues).toHaveLength(12)
      expect(e.message).toContain('... and 2 more')
    }
  })
})

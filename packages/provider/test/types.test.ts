import { describe, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import type {
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStream,
  ChatStreamEvent,
  chatRequestSchema,
  ResponseFormat,
  responseFormatSchema,
  ToolDefinition,
  toolDefinitionSchema,
} from '../src/index'

// These assertions are checked by `pnpm typecheck` (tsc -b includes tests); at run time they are no-ops.
describe('the hand-written types agree with the schemas', () => {
  it('ChatRequest, ToolDefinition and ResponseFormat match what their schemas accept', () => {
    expectTypeOf<z.input<typeof chatRequestSchema>['messages']>().toEqualTypeOf<ChatRequest['messages']>()
    expectTypeOf<ChatRequest>().toExtend<z.input<typeof chatRequestSchema>>()
    expectTypeOf<ToolDefinition>().toExtend<z.input<typeof toolDefinitionSchema>>()
    expectTypeOf<ResponseFormat>().toExtend<z.input<typeof responseFormatSchema>>()
  })

  it('a stream is an async iterable of events with the response generate returns', () => {
    expectTypeOf<ChatStream>().toExtend<AsyncIterable<ChatStreamEvent>>()
    expectTypeOf<ChatStream['response']>().toEqualTypeOf<Promise<ChatResponse>>()
    expectTypeOf<ReturnType<ChatModel['generate']>>().toEqualTypeOf<Promise<ChatResponse>>()
    expectTypeOf<Extract<ChatStreamEvent, { type: 'finish' }>['response']>().toEqualTypeOf<ChatResponse>()
  })
})

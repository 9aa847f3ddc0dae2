import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  addUsage,
  type ChatResponse,
  type Cost,
  costSchema,
  type Usage,
  type UsageWithCost,
} from '../src/index'

const cost = (inputCost: number, outputCost: number): Cost => ({
  inputCost,
  outputCost,
  totalCost: inputCost + outputCost,
  currency: 'USD',
})

describe('addUsage', () => {
  it('sums the required fields and leaves optional ones absent when both lack them', () => {
    const sum = addUsage({ inputTokens: 10, outputTokens: 2 }, { inputTokens: 5, outputTokens: 7 })
    expect(sum).toStrictEqual({ inputTokens: 15, outputTokens: 9 })
    expect(Object.keys(sum)).toEqual(['inputTokens', 'outputTokens'])
  })

  it('sums every optional field, counting a missing one as 0 when the other side has it', () => {
    const a: Usage = { inputTokens: 100, outputTokens: 20, cachedInputTokens: 60, reasoningTokens: 5 }
    const b: Usage = { inputTokens: 50, outputTokens: 10, cacheCreationInputTokens: 40, reasoningTokens: 1 }
    expect(addUsage(a, b)).toStrictEqual({
      inputTokens: 150,
      outputTokens: 30,
      cachedInputTokens: 60,
      cacheCreationInputTokens: 40,
      reasoningTokens: 6,
    })
  })

  it('changes neither argument', () => {
    const a: Usage = { inputTokens: 1, outputTokens: 1 }
    const b: Usage = { inputTokens: 2, outputTokens: 2, cachedInputTokens: 1 }
    addUsage(a, b)
    expect(a).toStrictEqual({ inputTokens: 1, outputTokens: 1 })
    expect(b).toStrictEqual({ inputTokens: 2, outputTokens: 2, cachedInputTokens: 1 })
  })

  it('sums usage and cost across responses, starting from an empty total', () => {
    const response = (usage: Usage, c?: Cost) =>
      ({ usage, ...(c === undefined ? {} : { cost: c }) }) as Pick<
        ChatResponse,
        'usage' | 'cost'
      > as ChatResponse
    let total: UsageWithCost = { usage: { inputTokens: 0, outputTokens: 0 } }
    total = addUsage(total, response({ inputTokens: 10, outputTokens: 5 }, cost(0.25, 0.5)))
    total = addUsage(total, response({ inputTokens: 1, outputTokens: 1 })) // pricing unknown: adds no cost
    total = addUsage(
      total,
      response({ inputTokens: 4, outputTokens: 2, cachedInputTokens: 3 }, cost(0.125, 0.25)),
    )
    expect(total).toStrictEqual({
      usage: { inputTokens: 15, outputTokens: 8, cachedInputTokens: 3 },
      cost: { inputCost: 0.375, outputCost: 0.75, totalCost: 1.125, currency: 'USD' },
    })
  })

  it('leaves cost absent when neither side has one, and copies it when one side has', () => {
    const none = addUsage(
      { usage: { inputTokens: 1, outputTokens: 1 } },
      { usage: { inputTokens: 1, outputTokens: 1 } },
    )
    expect(none).toStrictEqual({ usage: { inputTokens: 2, outputTokens: 2 } })
    const c = cost(1, 2)
    const one = addUsage(
      { usage: { inputTokens: 0, outputTokens: 0 } },
      { usage: { inputTokens: 1, outputTokens: 1 }, cost: c },
    )
    expect(one.cost).toStrictEqual(c)
    expect(one.cost).not.toBe(c)
  })

  it('sums the optional cost breakdown like the optional usage fields', () => {
    const a: UsageWithCost = {
      usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 80 },
      cost: { ...cost(0.5, 1), cachedInputCost: 0.25 },
    }
    const b: UsageWithCost = {
      usage: { inputTokens: 10, outputTokens: 20, reasoningTokens: 5, cacheCreationInputTokens: 4 },
      cost: { ...cost(0.125, 2), cacheWriteCost: 0.0625, reasoningCost: 0.5 },
    }
    expect(addUsage(a, b).cost).toStrictEqual({
      inputCost: 0.625,
      outputCost: 3,
      totalCost: 3.625,
      currency: 'USD',
      cachedInputCost: 0.25,
      cacheWriteCost: 0.0625,
      reasoningCost: 0.5,
    })
    const plain = addUsage({ usage: a.usage, cost: cost(1, 1) }, { usage: b.usage, cost: cost(1, 1) })
    expect(Object.keys(plain.cost ?? {})).toEqual(['inputCost', 'outputCost', 'totalCost', 'currency'])
  })

  it('accepts a cost with the breakdown fields in the response schema, and rejects a negative one', () => {
    const valid = { ...cost(1, 2), cachedInputCost: 0.5, cacheWriteCost: 0.25, reasoningCost: 1 }
    expect(costSchema.parse(valid)).toStrictEqual(valid)
    expect(costSchema.safeParse({ ...cost(1, 2), reasoningCost: -1 }).success).toBe(false)
  })

  it('refuses to mix a Usage with a { usage, cost } value', () => {
    const mixed = addUsage as (a: unknown, b: unknown) => unknown
    expect(() =>
      mixed({ inputTokens: 1, outputTokens: 1 }, { usage: { inputTokens: 1, outputTokens: 1 } }),
    ).toThrow('addUsage takes two Usage values or two { usage, cost? } values, not one of each')
  })

  it('returns the type it was given (checked by tsc)', () => {
    const usage: Usage = { inputTokens: 1, outputTokens: 1 }
    const response = { usage, provider: 'p' } as ChatResponse
    expectTypeOf(addUsage(usage, usage)).toEqualTypeOf<Usage>()
    expectTypeOf(addUsage({ usage }, response)).toEqualTypeOf<UsageWithCost>()
    // @ts-expect-error a Usage and a { usage } value do not mix
    expectTypeOf(addUsage).toBeCallableWith(usage, response)
  })
})

import { addUsage, costSchema, type Usage } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { mapAnthropicUsage } from '../src/anthropic/map-anthropic-usage'
import { mapBedrockUsage } from '../src/bedrock/map-bedrock-usage'
import { mapOpenAIUsage } from '../src/openai/map-openai-usage'
import {
  blendedPricePerMTokens,
  computeCost,
  defaultPricing,
  findPricing,
  type ModelPricing,
  modelFamily,
  modelPricingSchema,
} from '../src/router/cost/pricing'

/** Dollars for `tokens` at `perM` dollars per million, for readable expectations. */
const usd = (tokens: number, perM: number) => (tokens * perM) / 1_000_000

function pricingOf(provider: string, modelId: string): ModelPricing {
  const pricing = findPricing(provider, modelId)
  if (pricing === undefined) throw new Error(`no pricing for ${provider}:${modelId}`)
  return pricing
}

describe('computeCost', () => {
  it('bills OpenAI cached input at the cached price, once (inputTokens includes the cached ones)', () => {
    // what OpenAI sends: prompt_tokens 10,000 of which 8,000 cached
    const usage = mapOpenAIUsage({
      prompt_tokens: 10_000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 8_000 },
    })
    const cost = computeCost(usage, pricingOf('openai', 'gpt-4o-2024-08-06'))
    const expected = usd(2_000, 2.5) + usd(8_000, 1.25)
    expect(cost.inputCost).toBeCloseTo(expected, 12)
    expect(cost.cachedInputCost).toBeCloseTo(usd(8_000, 1.25), 12)
    expect(cost.outputCost).toBeCloseTo(usd(500, 10), 12)
    expect(cost.totalCost).toBeCloseTo(cost.inputCost + cost.outputCost, 12)
    // the two mistakes LiteLLM users reported: cached tokens billed again on top of the full
    // input price, and all input billed at the full price
    expect(cost.inputCost).toBeLessThan(usd(10_000, 2.5) + usd(8_000, 1.25))
    expect(cost.inputCost).toBeLessThan(usd(10_000, 2.5))
  })

  it('bills Anthropic cache reads and 5-minute cache writes at their own rates', () => {
    // what Anthropic sends: input_tokens EXCLUDES the cache; the adapter adds the cache counts in
    const usage = mapAnthropicUsage({
      input_tokens: 500,
      cache_read_input_tokens: 8_000,
      cache_creation_input_tokens: 1_500,
      output_tokens: 400,
    })
    expect(usage.inputTokens).toBe(10_000)
    const cost = computeCost(usage, pricingOf('anthropic', 'claude-sonnet-4-5-20250929'))
    expect(cost.cachedInputCost).toBeCloseTo(usd(8_000, 0.3), 12)
    expect(cost.cacheWriteCost).toBeCloseTo(usd(1_500, 3.75), 12)
    expect(cost.inputCost).toBeCloseTo(usd(500, 3) + usd(8_000, 0.3) + usd(1_500, 3.75), 12)
    expect(cost.outputCost).toBeCloseTo(usd(400, 15), 12)
    expect(cost.totalCost).toBeCloseTo(0.009525 + 0.006, 12)
  })

  it('bills Bedrock Claude cache counts the same way', () => {
    const usage = mapBedrockUsage({
      inputTokens: 100,
      outputTokens: 50,
      totalTokens: 150,
      cacheReadInputTokens: 900,
      cacheWriteInputTokens: 0,
    })
    const cost = computeCost(usage, pricingOf('bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0'))
    expect(cost.inputCost).toBeCloseTo(usd(100, 3) + usd(900, 0.3), 12)
    expect(cost.cacheWriteCost).toBe(0)
  })

  it('bills reasoning at the reasoning price when there is one, at the output price otherwise', () => {
    const usage: Usage = { inputTokens: 1_000, outputTokens: 3_000, reasoningTokens: 2_500 }
    const o3 = pricingOf('openai', 'o3')
    const plain = computeCost(usage, o3)
    expect(plain.outputCost).toBeCloseTo(usd(3_000, 8), 12)
    expect(plain.reasoningCost).toBeCloseTo(usd(2_500, 8), 12)
    const own = computeCost(usage, { ...o3, reasoningPerMTokens: 4 })
    expect(own.outputCost).toBeCloseTo(usd(500, 8) + usd(2_500, 4), 12)
    expect(own.reasoningCost).toBeCloseTo(usd(2_500, 4), 12)
  })

  it('falls back to the input price for cache counts a pricing has no rate for', () => {
    const pricing: ModelPricing = { inputPerMTokens: 1, outputPerMTokens: 2 }
    const cost = computeCost(
      { inputTokens: 1_000, outputTokens: 0, cachedInputTokens: 400, cacheCreationInputTokens: 100 },
      pricing,
    )
    expect(cost.inputCost).toBeCloseTo(usd(1_000, 1), 12)
    expect(cost.cachedInputCost).toBeCloseTo(usd(400, 1), 12)
    expect(cost.cacheWriteCost).toBeCloseTo(usd(100, 1), 12)
  })

  it('has breakdown fields only for the counts the usage has, and fits the provider cost schema', () => {
    const pricing = pricingOf('openai', 'gpt-4o')
    const bare = computeCost({ inputTokens: 10, outputTokens: 10 }, pricing)
    expect(Object.keys(bare)).toEqual(['inputCost', 'outputCost', 'totalCost', 'currency'])
    expect(costSchema.parse(bare)).toStrictEqual(bare)
    const full = computeCost(
      {
        inputTokens: 10,
        outputTokens: 10,
        cachedInputTokens: 0,
        cacheCreationInputTokens: 0,
        reasoningTokens: 0,
      },
      pricing,
    )
    expect(full).toMatchObject({ cachedInputCost: 0, cacheWriteCost: 0, reasoningCost: 0 })
    expect(costSchema.parse(full)).toStrictEqual(full)
  })

  it('caps counts that exceed their total, so no part is ever negative', () => {
    const cost = computeCost(
      {
        inputTokens: 100,
        outputTokens: 10,
        cachedInputTokens: 150,
        cacheCreationInputTokens: 50,
        reasoningTokens: 99,
      },
      pricingOf('anthropic', 'claude-haiku-4-5'),
    )
    expect(cost.cachedInputCost).toBeCloseTo(usd(100, 0.1), 12)
    expect(cost.cacheWriteCost).toBe(0)
    expect(cost.inputCost).toBeCloseTo(usd(100, 0.1), 12)
    expect(cost.reasoningCost).toBeCloseTo(usd(10, 5), 12)
    expect(costSchema.safeParse(cost).success).toBe(true)
  })

  it('is zero for zero usage and sums across calls with addUsage', () => {
    const pricing = pricingOf('openai', 'gpt-4.1-mini')
    expect(computeCost({ inputTokens: 0, outputTokens: 0 }, pricing).totalCost).toBe(0)
    const a = { inputTokens: 1_000, outputTokens: 100, cachedInputTokens: 500 }
    const b = { inputTokens: 2_000, outputTokens: 200 }
    const total = addUsage(
      { usage: a, cost: computeCost(a, pricing) },
      { usage: b, cost: computeCost(b, pricing) },
    )
    const together = computeCost({ inputTokens: 3_000, outputTokens: 300, cachedInputTokens: 500 }, pricing)
    expect(total.cost?.totalCost).toBeCloseTo(together.totalCost, 12)
    expect(total.cost?.cachedInputCost).toBeCloseTo(together.cachedInputCost ?? Number.NaN, 12)
  })
})

describe('findPricing', () => {
  it('maps dated snapshots, aliases and Bedrock ids to their family', () => {
    const sonnet45 = defaultPricing['anthropic:claude-sonnet-4-5']
    expect(findPricing('anthropic', 'claude-sonnet-4-5-20250929')).toBe(sonnet45)
    expect(findPricing('anthropic', 'claude-3-5-sonnet-latest')).toBe(
      defaultPricing['anthropic:claude-3-5-sonnet'],
    )
    expect(findPricing('openai', 'gpt-4o-2024-11-20')).toBe(defaultPricing['openai:gpt-4o'])
    expect(findPricing('openai', 'gpt-4o-mini-2024-07-18')).toBe(defaultPricing['openai:gpt-4o-mini'])
    expect(findPricing('openai', 'gpt-5.4-mini-2026-03-17')).toBe(defaultPricing['openai:gpt-5.4-mini'])
    expect(findPricing('openai', 'gpt-3.5-turbo-0125')).toBe(defaultPricing['openai:gpt-3.5-turbo'])
    expect(findPricing('bedrock', 'anthropic.claude-3-5-sonnet-20241022-v2:0')).toBe(
      defaultPricing['bedrock:claude-3-5-sonnet'],
    )
    expect(findPricing('bedrock', 'us.anthropic.claude-opus-4-1-20250805-v1:0')).toBe(
      defaultPricing['bedrock:claude-opus-4-1'],
    )
    expect(findPricing('bedrock', 'global.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(
      defaultPricing['bedrock:claude-haiku-4-5'],
    )
    expect(
      findPricing(
        'bedrock',
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      ),
    ).toBe(defaultPricing['bedrock:claude-sonnet-4-5'])
    expect(findPricing('bedrock', 'amazon.nova-pro-v1:0')).toBe(defaultPricing['bedrock:nova-pro'])
    expect(findPricing('bedrock', 'us.amazon.nova-micro-v1:0')).toBe(defaultPricing['bedrock:nova-micro'])
  })

  it('lets a snapshot priced apart from its family keep its own price', () => {
    expect(findPricing('openai', 'gpt-4o-2024-05-13')).toEqual({ inputPerMTokens: 5, outputPerMTokens: 15 })
    expect(findPricing('openai', 'gpt-4o-2024-08-06')?.inputPerMTokens).toBe(2.5)
  })

  it('returns undefined rather than guessing for models it does not know', () => {
    expect(findPricing('openai', 'gpt-4o-mini-search-preview')).toBeUndefined()
    expect(findPricing('openai', 'ft:gpt-4o-mini-2024-07-18:acme::abc123')).toBeUndefined()
    expect(findPricing('my-vllm', 'gpt-4o')).toBeUndefined()
    expect(findPricing('openai', 'llama-3.1-70b')).toBeUndefined()
    expect(findPricing('openai', 'constructor')).toBeUndefined()
    expect(findPricing('openai', '__proto__')).toBeUndefined()
    expect(findPricing('anthropic', '')).toBeUndefined()
  })

  it('prefers overrides, exact over family, and prices models the table lacks', () => {
    const mine: ModelPricing = { inputPerMTokens: 1, outputPerMTokens: 1 }
    const dated: ModelPricing = { inputPerMTokens: 2, outputPerMTokens: 2 }
    const overrides = {
      'anthropic:claude-sonnet-4-5': mine,
      'anthropic:claude-sonnet-4-5-20250929': dated,
      'my-vllm:llama-3.1-70b': mine,
      'openai:ft:gpt-4o-mini-2024-07-18:acme::abc123': dated,
    }
    expect(findPricing('anthropic', 'claude-sonnet-4-5-20250929', overrides)).toBe(dated)
    expect(findPricing('anthropic', 'claude-sonnet-4-5-20251231', overrides)).toBe(mine)
    expect(findPricing('anthropic', 'claude-haiku-4-5', overrides)).toBe(
      defaultPricing['anthropic:claude-haiku-4-5'],
    )
    expect(findPricing('my-vllm', 'llama-3.1-70b', overrides)).toBe(mine)
    expect(findPricing('openai', 'ft:gpt-4o-mini-2024-07-18:acme::abc123', overrides)).toBe(dated)
  })
})

describe('modelFamily', () => {
  it('removes only suffixes that do not change the price', () => {
    expect(modelFamily('anthropic', 'claude-opus-4-20250514')).toBe('claude-opus-4')
    expect(modelFamily('anthropic', 'Claude-Sonnet-4-5@20250929')).toBe('claude-sonnet-4-5')
    expect(modelFamily('openai', 'o3-mini-2025-01-31')).toBe('o3-mini')
    expect(modelFamily('openai', 'gpt-4-0613')).toBe('gpt-4')
    expect(modelFamily('openai', 'chatgpt-4o-latest')).toBe('chatgpt-4o')
    expect(modelFamily('openai', 'gpt-4.1-nano')).toBe('gpt-4.1-nano')
    expect(modelFamily('openai', 'gpt-4-1106-preview')).toBe('gpt-4-1106-preview')
    expect(modelFamily('bedrock', 'eu.amazon.nova-lite-v1:0')).toBe('nova-lite')
    expect(modelFamily('bedrock', 'meta.llama3-1-70b-instruct-v1:0')).toBe('llama3-1-70b-instruct')
  })
})

describe('defaultPricing', () => {
  const entries = Object.entries(defaultPricing)

  it('is frozen, and every row is a valid pricing', () => {
    expect(Object.isFrozen(defaultPricing)).toBe(true)
    expect(entries.length).toBeGreaterThan(40)
    for (const [key, pricing] of entries) {
      expect(Object.isFrozen(pricing), key).toBe(true)
      expect(modelPricingSchema.safeParse(pricing).success, key).toBe(true)
      expect(key).toMatch(/^(openai|anthropic|bedrock):[a-z0-9.-]+$/)
    }
  })

  it('prices cache hits below input and cache writes above it', () => {
    for (const [key, pricing] of entries) {
      if (pricing.cachedInputPerMTokens !== undefined) {
        expect(pricing.cachedInputPerMTokens, key).toBeLessThan(pricing.inputPerMTokens)
      }
      if (pricing.cacheWritePerMTokens !== undefined) {
        expect(pricing.cacheWritePerMTokens, key).toBeGreaterThan(pricing.inputPerMTokens)
      }
      expect(pricing.outputPerMTokens, key).toBeGreaterThan(pricing.inputPerMTokens)
    }
  })

  it('has the 5-minute cache write (1.25x) and cache hit (0.1x) for every Claude model', () => {
    // Claude Haiku 3 is the published exception: $0.30 writes and $0.03 hits on $0.25 input
    expect(defaultPricing['anthropic:claude-3-haiku']).toMatchObject({
      cacheWritePerMTokens: 0.3,
      cachedInputPerMTokens: 0.03,
    })
    for (const [key, pricing] of entries.filter(
      ([k]) => k.includes(':claude-') && !k.endsWith('claude-3-haiku'),
    )) {
      expect(pricing.cacheWritePerMTokens, key).toBeCloseTo(pricing.inputPerMTokens * 1.25, 10)
      expect(pricing.cachedInputPerMTokens, key).toBeCloseTo(pricing.inputPerMTokens * 0.1, 10)
    }
  })

  it('prices Claude the same on Anthropic and Bedrock', () => {
    for (const [key, pricing] of entries.filter(([k]) => k.startsWith('anthropic:'))) {
      expect(defaultPricing[key.replace('anthropic:', 'bedrock:')], key).toEqual(pricing)
    }
  })
})

describe('modelPricingSchema', () => {
  it('accepts a full pricing and names the field of a bad one', () => {
    const full = {
      inputPerMTokens: 3,
      outputPerMTokens: 15,
      cachedInputPerMTokens: 0.3,
      cacheWritePerMTokens: 3.75,
      reasoningPerMTokens: 15,
    }
    expect(modelPricingSchema.parse(full)).toStrictEqual(full)
    const negative = modelPricingSchema.safeParse({ inputPerMTokens: -1, outputPerMTokens: 1 })
    expect(negative.error?.issues[0]?.message).toBe('inputPerMTokens must not be negative')
    const infinite = modelPricingSchema.safeParse({
      inputPerMTokens: 1,
      outputPerMTokens: Number.POSITIVE_INFINITY,
    })
    expect(infinite.error?.issues[0]?.path).toEqual(['outputPerMTokens'])
    const text = modelPricingSchema.safeParse({ inputPerMTokens: '3', outputPerMTokens: 1 })
    expect(text.error?.issues[0]?.message).toBe(
      'inputPerMTokens must be a number of US dollars per million tokens',
    )
    const typo = modelPricingSchema.safeParse({
      inputPerMTokens: 1,
      outputPerMTokens: 1,
      cachedInputPerMToken: 0.1,
    })
    expect(typo.success).toBe(false)
    expect(JSON.stringify(typo.error?.issues)).toContain('cachedInputPerMToken')
  })
})

describe('blendedPricePerMTokens', () => {
  it('blends 3 input : 1 output by default, and takes another share', () => {
    const pricing = { inputPerMTokens: 3, outputPerMTokens: 15 }
    expect(blendedPricePerMTokens(pricing)).toBeCloseTo(6, 12)
    expect(blendedPricePerMTokens(pricing, 0.5)).toBeCloseTo(9, 12)
    expect(blendedPricePerMTokens(pricing, 1)).toBe(3)
    expect(() => blendedPricePerMTokens(pricing, 1.5)).toThrow('inputShare must be between 0 and 1, not 1.5')
    expect(() => blendedPricePerMTokens(pricing, Number.NaN)).toThrow(RangeError)
  })
})

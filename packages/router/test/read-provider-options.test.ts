import { InvalidRequestError, type Warning } from '@ql/provider'
import { describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import { readProviderOptions } from '../src/shared/read-provider-options'

const schema = z.strictObject({
  reasoningEffort: z.enum(['low', 'high']).optional(),
  webSearchOptions: z
    .strictObject({
      searchContextSize: z.enum(['low', 'high']).optional(),
      userLocation: z.strictObject({ city: z.string() }).optional(),
    })
    .optional(),
  thinking: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('enabled'), budgetTokens: z.number().int() }),
      z.strictObject({ type: z.literal('disabled') }),
    ])
    .optional(),
  passThrough: z.record(z.string(), z.unknown()).optional(),
  parts: z.array(z.strictObject({ text: z.string() })).optional(),
})

function read(options: Record<string, unknown>, hints?: Record<string, string>) {
  const warnings: Warning[] = []
  const value = readProviderOptions({ acme: options, other: { anything: 1 } }, schema, {
    path: 'providerOptions',
    providerKey: 'acme',
    provider: 'acme',
    label: 'Acme',
    warnings,
    ...(hints === undefined ? {} : { hints }),
  })
  return { value, warnings }
}

const settings = (warnings: Warning[]) =>
  warnings.flatMap((warning) => (warning.type === 'unsupported-setting' ? [warning.setting] : []))

function errorOf(run: () => unknown): InvalidRequestError {
  try {
    run()
  } catch (error) {
    if (InvalidRequestError.isInstance(error)) return error
    throw error
  }
  throw new Error('expected an InvalidRequestError')
}

describe('readProviderOptions', () => {
  it('returns undefined when the request has no options for this provider', () => {
    const warnings: Warning[] = []
    const context = {
      path: 'providerOptions',
      providerKey: 'acme',
      provider: 'acme',
      label: 'Acme',
      warnings,
    }
    expect(readProviderOptions(undefined, schema, context)).toBeUndefined()
    expect(readProviderOptions({ other: { x: 1 } }, schema, context)).toBeUndefined()
    expect(warnings).toEqual([])
  })

  it('leaves out unknown keys at any depth with a warning naming the path, without changing the input', () => {
    const input = {
      reasoningEffort: 'low',
      mystery: 1,
      webSearchOptions: { searchContextSize: 'high', radius: 5 },
    }
    const snapshot = structuredClone(input)
    const { value, warnings } = read(input)
    expect(value).toEqual({ reasoningEffort: 'low', webSearchOptions: { searchContextSize: 'high' } })
    expect(warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.acme.mystery',
        details: 'not a known Acme option; it was not sent',
      },
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.acme.webSearchOptions.radius',
        details: 'not a known Acme option; it was not sent',
      },
    ])
    expect(input).toEqual(snapshot)
  })

  it('reads the snake_case spelling of a known name as that name, at any depth, and keys of a record as they are', () => {
    const input = {
      web_search_options: { search_context_size: 'low', user_location: { city: 'Oslo' } },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      passThrough: { top_k: 3 },
    }
    const { value, warnings } = read(input)
    expect(value).toEqual({
      webSearchOptions: { searchContextSize: 'low', userLocation: { city: 'Oslo' } },
      thinking: { type: 'enabled', budgetTokens: 1024 },
      passThrough: { top_k: 3 },
    })
    expect(warnings).toEqual([])
    expect(input.web_search_options).toEqual({ search_context_size: 'low', user_location: { city: 'Oslo' } })
  })

  it('warns about a snake_case name that is not known either, and one given twice, by the name written', () => {
    const { value, warnings } = read({ max_fun: 1, reasoningEffort: 'low', reasoning_effort: 'high' })
    expect(value).toEqual({ reasoningEffort: 'low' })
    expect(warnings.map((w) => w.type === 'unsupported-setting' && [w.setting, w.details])).toEqual(
      expect.arrayContaining([
        ['providerOptions.acme.max_fun', 'not a known Acme option; it was not sent'],
        [
          'providerOptions.acme.reasoning_effort',
          'given twice (as reasoningEffort and reasoning_effort); reasoning_effort was not sent',
        ],
      ]),
    )
    expect(warnings).toHaveLength(2)
  })

  it('walks into arrays and discriminated unions to find unknown keys', () => {
    const { value, warnings } = read({
      parts: [{ text: 'a' }, { text: 'b', weight: 2 }],
      thinking: { type: 'disabled', budget_tokens: 5 },
    })
    expect(value).toEqual({ parts: [{ text: 'a' }, { text: 'b' }], thinking: { type: 'disabled' } })
    expect(settings(warnings)).toEqual([
      'providerOptions.acme.parts[1].weight',
      'providerOptions.acme.thinking.budget_tokens',
    ])
  })

  it('says where a misplaced option belongs', () => {
    const { warnings } = read({ cachePoint: {} }, { cachePoint: 'belongs on a message; it was not sent' })
    expect(warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.acme.cachePoint',
        details: 'belongs on a message; it was not sent',
      },
    ])
  })

  it('throws InvalidRequestError naming the path of every wrong value and what it got', () => {
    const error = errorOf(() =>
      read({ reasoningEffort: 'fast', webSearchOptions: { searchContextSize: 7 }, thinking: { type: 'on' } }),
    )
    expect(error.code).toBe('invalid_request')
    expect(error.provider).toBe('acme')
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'providerOptions.acme.reasoningEffort',
      'providerOptions.acme.webSearchOptions.searchContextSize',
      'providerOptions.acme.thinking.type',
    ])
    expect(error.issues[0]?.message).toBe('expected one of "low"|"high", got "fast"')
    expect(error.issues[2]?.message).toContain('"enabled"')
    expect(error.message).toContain(
      'providerOptions.acme.reasoningEffort: expected one of "low"|"high", got "fast"',
    )
  })

  it('reports a missing field of an alias-renamed object under its camelCase name', () => {
    const error = errorOf(() => read({ thinking: { type: 'enabled', budget_tokens: 'lots' } }))
    expect(error.issues).toEqual([
      { path: 'providerOptions.acme.thinking.budgetTokens', message: 'expected number, received string' },
    ])
  })
})

import type { ModelPricing } from './model-pricing'

/*
 * Prices in US dollars per million tokens, standard (on-demand, non-batch, short-context) tier.
 * Checked 2026-12-02 against:
 * - Anthropic: platform.claude.com/docs/en/about-claude/pricing ("Model pricing": base input,
 *   5-minute cache writes, cache hits, output). Cache writes here are the 5-minute rate
 *   (1.25x input); 1-hour writes cost 2x input: override `cacheWritePerMTokens` if you use them.
 * - OpenAI: openai.com/api/pricing ("Standard" tier). The gpt-5.2/5.4/5.5 rows were taken from
 *   third-party copies of that page dated April-June 2026 (the page itself could not be fetched
 *   where this table was written). Rates for prompts over a model's long-context threshold
 *   (e.g. 270K tokens for gpt-5.4/5.5) are higher and not modelled: override if you send them.
 * - AWS Bedrock: aws.amazon.com/bedrock/pricing, on-demand. Claude on Bedrock is billed at
 *   Anthropic's rates for global and standard cross-region profiles; regional endpoints of some
 *   newer models carry a premium, and prices differ by region: override for your region.
 * Prices change: pass `pricing` on a target to override any row, or to price a model not here.
 */

type Rates = readonly [input: number, output: number, cachedInput?: number, cacheWrite?: number]

function rows(provider: string, families: readonly string[], rates: Rates): [string, ModelPricing][] {
  const [inputPerMTokens, outputPerMTokens, cachedInputPerMTokens, cacheWritePerMTokens] = rates
  const pricing: ModelPricing = { inputPerMTokens, outputPerMTokens }
  if (cachedInputPerMTokens !== undefined) pricing.cachedInputPerMTokens = cachedInputPerMTokens
  if (cacheWritePerMTokens !== undefined) pricing.cacheWritePerMTokens = cacheWritePerMTokens
  Object.freeze(pricing)
  return families.map((family) => [`${provider}:${family}`, pricing])
}

/** Claude models: [input, output, cache hits, 5-minute cache writes]. Anthropic and Bedrock alike. */
const CLAUDE: readonly (readonly [readonly string[], Rates])[] = [
  [
    ['claude-opus-4-6', 'claude-opus-4-5'],
    [5, 25, 0.5, 6.25],
  ],
  [
    ['claude-opus-4-1', 'claude-opus-4', 'claude-opus-4-0', 'claude-3-opus'],
    [15, 75, 1.5, 18.75],
  ],
  [
    [
      'claude-sonnet-4-6',
      'claude-sonnet-4-5',
      'claude-sonnet-4',
      'claude-sonnet-4-0',
      'claude-3-7-sonnet',
      'claude-3-5-sonnet',
    ],
    [3, 15, 0.3, 3.75],
  ],
  [['claude-haiku-4-5'], [1, 5, 0.1, 1.25]],
  [['claude-3-5-haiku'], [0.8, 4, 0.08, 1]],
  [['claude-3-haiku'], [0.25, 1.25, 0.03, 0.3]],
]

/** OpenAI models: [input, output, cached input]. OpenAI charges nothing extra to write its cache. */
const OPENAI: readonly (readonly [readonly string[], Rates])[] = [
  [['gpt-5.5'], [5, 30, 0.5]],
  [['gpt-5.4'], [2.5, 15, 0.25]],
  [['gpt-5.4-mini'], [0.75, 4.5, 0.075]],
  [['gpt-5.4-nano'], [0.2, 1.25, 0.02]],
  [['gpt-5.2'], [1.75, 14, 0.175]],
  [
    ['gpt-5.1', 'gpt-5'],
    [1.25, 10, 0.125],
  ],
  [['gpt-5-mini'], [0.25, 2, 0.025]],
  [['gpt-5-nano'], [0.05, 0.4, 0.005]],
  [['gpt-4.1'], [2, 8, 0.5]],
  [['gpt-4.1-mini'], [0.4, 1.6, 0.1]],
  [['gpt-4.1-nano'], [0.1, 0.4, 0.025]],
  [['gpt-4o'], [2.5, 10, 1.25]],
  // the first gpt-4o snapshot kept its launch price: a dated id that must not take its family's
  [['gpt-4o-2024-05-13'], [5, 15]],
  [['gpt-4o-mini'], [0.15, 0.6, 0.075]],
  [['o4-mini'], [1.1, 4.4, 0.275]],
  [['o3'], [2, 8, 0.5]],
  [['o3-mini'], [1.1, 4.4, 0.55]],
  [['o3-pro'], [20, 80]],
  [['o1'], [15, 60, 7.5]],
  [['gpt-4-turbo'], [10, 30]],
  [['gpt-3.5-turbo'], [0.5, 1.5]],
]

/** Amazon Nova on Bedrock: [input, output, cache reads]; cache writes bill as plain input. */
const NOVA: readonly (readonly [readonly string[], Rates])[] = [
  [['nova-premier'], [2.5, 12.5]],
  [['nova-pro'], [0.8, 3.2, 0.2]],
  [['nova-lite'], [0.06, 0.24, 0.015]],
  [['nova-micro'], [0.035, 0.14, 0.00875]],
]

/**
 * The built-in prices, keyed `${provider}:${family}` (`anthropic:claude-sonnet-4-5`,
 * `openai:gpt-4o`, `bedrock:nova-pro`; a few dated snapshots that kept a different price are
 * keyed by their full id). Read a model's price with {@link findPricing}, which maps dated ids
 * and Bedrock ids to their family. Dated sources are in this file's header; override any row
 * with a target's `pricing`.
 */
export const defaultPricing: Readonly<Record<string, Readonly<ModelPricing>>> = Object.freeze(
  Object.fromEntries([
    ...CLAUDE.flatMap(([families, rates]) => rows('anthropic', families, rates)),
    ...CLAUDE.flatMap(([families, rates]) => rows('bedrock', families, rates)),
    ...OPENAI.flatMap(([families, rates]) => rows('openai', families, rates)),
    ...NOVA.flatMap(([families, rates]) => rows('bedrock', families, rates)),
  ]),
)

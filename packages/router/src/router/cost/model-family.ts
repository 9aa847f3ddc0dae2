/** Bedrock cross-region inference profiles put a geography in front of the model id. */
const BEDROCK_GEO_PREFIX = /^(?:us|us-gov|eu|apac|ap|jp|au|ca|global)\./
/** Bedrock model ids name the vendor first: `anthropic.`, `amazon.`, `meta.`, `mistral.`... */
const BEDROCK_VENDOR_PREFIX = /^[a-z0-9-]+\./
/** Bedrock's version suffix: `-v1:0`, `-v2:0`, `:0`. */
const BEDROCK_VERSION_SUFFIX = /(?:-v\d+)?(?::\d+)?$/
/**
 * Snapshot dates that do not change the price: `-2024-08-06` (OpenAI), `-20250514` (Anthropic),
 * `@20250514` (Vertex), `-0613` (older OpenAI), and the `-latest` aliases.
 */
const DATE_SUFFIX = /(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|(?:0[1-9]|1[0-2])\d{2})|-latest)$/

/**
 * The pricing family of a model id: the id without the parts that do not change its price, so a
 * dated snapshot (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-11-20`), an alias (`-latest`) or a
 * Bedrock id (`us.anthropic.claude-sonnet-4-20250514-v1:0`, an inference-profile ARN) finds the
 * price of its family (`claude-sonnet-4-5`, `gpt-4o`, `claude-sonnet-4`).
 *
 * Only suffixes are removed, never a name part: `gpt-4o-mini-search-preview` is its own family
 * (and has no price in the built-in table) rather than being billed as `gpt-4o-mini`.
 *
 * @param provider - The provider as a `ChatModel` reports it (`openai`, `anthropic`, `bedrock`).
 * @param modelId - The model id as configured or as the response reports it.
 */
export function modelFamily(provider: string, modelId: string): string {
  let id = modelId.trim().toLowerCase()
  if (provider === 'bedrock') {
    const slash = id.lastIndexOf('/')
    if (slash !== -1) id = id.slice(slash + 1)
    id = id
      .replace(BEDROCK_GEO_PREFIX, '')
      .replace(BEDROCK_VENDOR_PREFIX, '')
      .replace(BEDROCK_VERSION_SUFFIX, '')
  }
  return id.replace(DATE_SUFFIX, '')
}

/** The BPE encodings of OpenAI's chat models. */
export type OpenAIEncodingName = 'o200k_base' | 'cl100k_base'

/** gpt-4o and everything after it (4.1, 4.5, 5.x, the o-series, codex, computer-use) use o200k. */
const O200K = /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|codex-|computer-use)/
/** gpt-4 (turbo and the originals) and gpt-3.5-turbo use cl100k (Azure spells it gpt-35-turbo). */
const CL100K = /^(?:gpt-4|gpt-3\.5-turbo|gpt-35-turbo)/

/**
 * The encoding OpenAI's tokenizer uses for a model, or `undefined` when the model is not one of
 * OpenAI's chat models (or is one whose chat format differs, such as `gpt-oss`, which speaks
 * Harmony). A vendor prefix (`openai/gpt-4o` on a gateway) is ignored, so a gateway or Azure
 * deployment named after the model still counts exactly.
 */
export function openAIEncoding(modelId: string): OpenAIEncodingName | undefined {
  const slash = modelId.lastIndexOf('/')
  const id = (slash === -1 ? modelId : modelId.slice(slash + 1)).trim().toLowerCase()
  if (O200K.test(id)) return 'o200k_base'
  if (CL100K.test(id)) return 'cl100k_base'
  return undefined
}

/**
 * The default token counter of `chunkCode` and `buildRepoMap`: one token per four characters,
 * rounded up. It needs no tokenizer and is close for English and code with common BPE
 * tokenizers (cl100k, o200k) — usually within ±25% — so budgets are approximate. Pass a real
 * tokenizer's counter (`countTokens`) when the limit is hard.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

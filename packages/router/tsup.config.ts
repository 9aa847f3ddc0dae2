import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'openai/index': 'src/openai/index.ts',
    'anthropic/index': 'src/anthropic/index.ts',
    'bedrock/index': 'src/bedrock/index.ts',
    'openai-compatible/index': 'src/openai-compatible/index.ts',
    'testing/index': 'src/testing/index.ts',
    'redis/index': 'src/redis/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  target: 'node20',
  sourcemap: true,
  clean: true,
  splitting: true,
  // p-retry 7 is ESM-only: bundled, so the CommonJS build loads on every Node 20 (require(esm)
  // came unflagged only in 20.19)
  noExternal: ['p-retry', 'is-network-error'],
  // src/router/tokens/load-encoding.ts loads gpt-tokenizer on first use with
  // createRequire(import.meta.url): the CommonJS build needs tsup's import.meta.url shim
  shims: true,
})

import { defineConfig } from 'tsup'

export default defineConfig({
  // the repo-map worker is its own entry: buildRepoMap starts it next to index.js
  entry: { index: 'src/index.ts', 'repo-map-worker': 'src/repo-map/repo-map-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  target: 'node20',
  sourcemap: true,
  clean: true,
  // src/load-language.ts resolves grammar .wasm files with createRequire(import.meta.url).
  shims: true,
})

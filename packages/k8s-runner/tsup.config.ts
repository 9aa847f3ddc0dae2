import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'worker/bin': 'src/worker/bin.ts',
  },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  target: 'node20',
  sourcemap: true,
  clean: true,
  splitting: true,
})
